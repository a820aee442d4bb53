#!/usr/bin/env bash
# Builds the playground (release wasm) and serves it on http://127.0.0.1:8080, rebuilding on change.
source "$(dirname "$0")/setup.sh"
echo "== building and serving on http://127.0.0.1:8080 (first build of the two wasm modules: ~12 min)"
exec trunk serve
