# shellcheck shell=bash
# Sourced by the scripts in this folder: the repo root, the PATH and the
# variables every step needs. Defines nothing else.

SLATELENS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SLATELENS_ROOT

# npm's wasm-opt (binaryen 132) must win over any other wasm-opt: Debian's
# binaryen 108 builds a wasm that fails in the browser.
export PATH="$SLATELENS_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# wasm-bindgen-test-runner drives headless Chromium through ChromeDriver, with
# the capabilities in tests/webdriver.json (no outside connections).
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$SLATELENS_ROOT/tests/webdriver.json"

SLATELENS_TRUNK_VERSION="0.21.14"
SLATELENS_WASM_BINDGEN_VERSION="0.2.130"
SLATELENS_WASM_OPT_VERSION="132"

# Prints a banner for one step.
banner() {
  printf '\n==> %s\n' "$*"
}

# Trunk asks crates.io for a newer version at every start; nothing to gain here.
export TRUNK_SKIP_VERSION_CHECK=true
