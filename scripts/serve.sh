#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then serves the page with Trunk
# on http://127.0.0.1:8080/ and opens it in a browser when one is available.
# Trunk rebuilds on every change; reload the page by hand (the page's CSP
# blocks Trunk's inline live-reload script).
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SLATELENS_ROOT"

bash scripts/setup.sh
banner "trunk serve on http://127.0.0.1:8080/"
open=()
if [ -z "${CI:-}" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; }; then
  open=(--open)
fi
exec trunk serve --port 8080 "${open[@]}" "$@"
