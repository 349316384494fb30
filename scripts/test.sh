#!/usr/bin/env bash
# Everything CI checks, in order: installs what is missing (scripts/setup.sh),
# then formatting, clippy (native and wasm32), native tests, wasm tests in
# headless Chromium, a release build of the page, and the browser end-to-end
# tests against that build. Stops at the first failure.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SLATELENS_ROOT"

timings=()
step_no=0
step_total=8

# Runs one step under a banner and records how long it took.
step() {
  local name="$1"
  shift
  step_no=$((step_no + 1))
  banner "[$step_no/$step_total] $name"
  local start=$SECONDS
  "$@"
  timings+=("$(printf '%5ds  %s' $((SECONDS - start)) "$name")")
}

# The whole workspace must build for the browser; the web crate's browser
# tests (tests/browser.rs) exist only on wasm32, so lint them there too.
clippy_wasm() {
  cargo clippy --workspace --target wasm32-unknown-unknown -- -D warnings
  cargo clippy -p slatelens-web --all-targets --target wasm32-unknown-unknown -- -D warnings
}

step "setup (installs only what is missing)" bash scripts/setup.sh
step "cargo fmt --all --check" cargo fmt --all --check
step "cargo clippy (native)" cargo clippy --workspace --all-targets -- -D warnings
step "cargo clippy (wasm32)" clippy_wasm
step "cargo test (native)" cargo test --workspace
step "wasm tests in headless Chromium" \
  cargo test -p slatelens-web --target wasm32-unknown-unknown
step "trunk build --release --public-url ./" trunk build --release --public-url ./
step "browser end-to-end tests (Playwright, Chromium)" node tests/e2e/run.mjs

banner "all $step_total steps passed"
printf '%s\n' "${timings[@]}"
