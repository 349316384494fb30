#!/usr/bin/env bash
# Installs what building and testing slatelens needs, and only what is missing
# or at the wrong version: the wasm32 target, trunk, wasm-bindgen-cli, Debian's
# chromium and chromium-driver, and the npm dev tools (playwright-core,
# binaryen's wasm-opt). With everything present it takes about a second.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SLATELENS_ROOT"

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# rustup target
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  banner "setup: rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# trunk (no prebuilt binary is reachable: build it; ~9 min on 2 cores)
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $SLATELENS_TRUNK_VERSION" ]; then
  banner "setup: cargo install trunk $SLATELENS_TRUNK_VERSION (about 9 minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install trunk --locked --version "$SLATELENS_TRUNK_VERSION"
fi

# wasm-bindgen-cli: must match the wasm-bindgen crate exactly. No --locked: its
# lock file wants a webpki-roots version the registry lacks.
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $SLATELENS_WASM_BINDGEN_VERSION" ] ||
  ! command -v wasm-bindgen-test-runner >/dev/null; then
  banner "setup: cargo install wasm-bindgen-cli $SLATELENS_WASM_BINDGEN_VERSION (about 4 minutes)"
  cargo install wasm-bindgen-cli --version "$SLATELENS_WASM_BINDGEN_VERSION"
fi

# Debian's Chromium and ChromeDriver (never a browser downloaded by a test tool)
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  banner "setup: apt-get install chromium chromium-driver"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

# npm dev tools, reinstalled only when package-lock.json changed
stamp="node_modules/.slatelens-lock.sha256"
want="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x node_modules/.bin/wasm-opt ] ||
  [ ! -f node_modules/playwright-core/package.json ]; then
  banner "setup: npm dev tools (playwright-core, binaryen)"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
  else
    npm install --no-audit --no-fund
  fi
  want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
  echo "$want" >"$stamp"
fi

wasm_opt_version="$(wasm-opt --version 2>/dev/null || true)"
case "$wasm_opt_version" in
  *"version $SLATELENS_WASM_OPT_VERSION"*) ;;
  *)
    echo "setup: expected wasm-opt version $SLATELENS_WASM_OPT_VERSION first on PATH, found '$wasm_opt_version' at $(command -v wasm-opt || echo nowhere)" >&2
    exit 1
    ;;
esac
