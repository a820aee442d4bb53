#!/usr/bin/env bash
# The speed benchmark, one command: builds the page and the CLI, installs the TensorFlow.js peer
# (../shared/peers/tfjs-gan-bench) into the cache, runs both in one headless Chromium, then the
# native CLI. Writes docs/bench/{browser,native}.{json,md} and prints the tables.
#   scripts/bench.sh            # full grid: 4 configs x (cpu, webgpu), 3 page loads (~40 min)
#   scripts/bench.sh --quick    # short phases, 1 load: a smoke run
#   scripts/bench.sh --quick --no-build --configs mlp-s --backends cpu --out DIR   # what test.sh runs
# Extra arguments go to tests/bench/speed/run.mjs (e.g. --configs mlp-s --backends cpu).
source "$(dirname "$0")/setup.sh"
PEER_SRC=${PEER_SRC:-../shared/peers/tfjs-gan-bench}
PEER_DIR="$MINIMAX_CACHE/peers/tfjs-gan-bench"
OUT=docs/bench
args=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --out) OUT=$2; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
set -- "${args[@]}"

if [ $build = 1 ]; then
  say "building the page (trunk) and the CLI"
  trunk build
fi
cargo build --release -q -p minimax-cli

[ -f "$PEER_SRC/package.json" ] || { echo "no TF.js peer at $PEER_SRC (set PEER_SRC)" >&2; exit 1; }
if ! cmp -s "$PEER_SRC/package-lock.json" "$PEER_DIR/package-lock.json" || [ ! -d "$PEER_DIR/node_modules" ]; then
  say "installing the TF.js peer into $PEER_DIR"
  rm -rf "$PEER_DIR" && mkdir -p "$(dirname "$PEER_DIR")"
  cp -r "$PEER_SRC" "$PEER_DIR" && chmod -R u+w "$PEER_DIR"
  (cd "$PEER_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi

loads=(--loads 3); seconds=3; memory=(--memory)
for a in "$@"; do [ "$a" = --quick ] && { loads=(--loads 1); seconds=0.5; memory=(); }; done

say "browser: minimax vs TensorFlow.js in headless Chromium"
mkdir -p "$OUT"
node tests/bench/speed/run.mjs --peer "$PEER_DIR" "${memory[@]}" --out "$OUT" "${loads[@]}" "$@" > /dev/null

say "native CLI (CPU)"
minimax=$CARGO_TARGET_DIR/release/minimax
"$minimax" bench --memory --seconds "$seconds" --json "$OUT/native.json" > "$OUT/native.md"

cat "$OUT/browser.md"
echo
cat "$OUT/native.md"
