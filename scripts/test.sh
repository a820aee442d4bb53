#!/usr/bin/env bash
# Every check and test, headless, on a machine without a GPU (WebGPU runs on SwiftShader).
# fmt, clippy -D warnings (native and wasm), cargo doc -D warnings, module cycles, native tests, browser tests (wasm-bindgen-test
# in Chromium and Firefox), the page build, the end-to-end tests of the built page (Chromium), and a smoke of the
# main journeys in Chromium, Firefox and WebKit. Stops at the first failure.
source "$(dirname "$0")/setup.sh"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_WEBDRIVER_JSON=$PWD/webdriver.json
# The first WebGPU step on SwiftShader compiles every kernel: minutes, not the default 20 s.
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-900}
start=$SECONDS
step() { printf '\n== %s (%ss)\n' "$1" $((SECONDS - start)); shift; "$@"; }

# One profile everywhere (release): the dependency builds are shared by every step.
step "rustfmt" cargo fmt --all -- --check
step "clippy, native" cargo clippy --release --all-targets -q -- -D warnings
# The web crate, its fast build (minimax-web-fast) and its WebGPU feature (minimax-web-gpu): the code of all three modules.
step "clippy, wasm" cargo clippy --release -p minimax-web -p minimax-web-fast -p minimax-web-gpu --target wasm32-unknown-unknown --all-targets -q -- -D warnings
# API docs build without a broken link or a bad doc comment (RUSTDOCFLAGS needs env: step runs a command).
step "cargo doc, native" env RUSTDOCFLAGS="-D warnings" cargo doc --release --no-deps -q
step "cargo doc, wasm" env RUSTDOCFLAGS="-D warnings" cargo doc --release --no-deps -q -p minimax-web -p minimax-web-fast -p minimax-web-gpu --target wasm32-unknown-unknown
step "module cycles (Rust crates, web/)" node scripts/module-cycles.mjs
# JSDoc types of web/ and the element's .d.ts (typescript from npm; the page keeps no build step).
step "type-check web/ (tsc, checkJs)" node_modules/.bin/tsc -p jsconfig.json
step "native tests" cargo test --release -q
step "browser tests (wasm-bindgen-test, headless Chromium)" \
  cargo test --release -p minimax-web --features webgpu --target wasm32-unknown-unknown
# The same tests in Firefox (no WebGPU there: the WebGPU tests check the CPU fallback and its note).
# The runner takes GECKODRIVER before CHROMEDRIVER.
step "browser tests (wasm-bindgen-test, headless Firefox)" \
  env GECKODRIVER="$(command -v geckodriver)" cargo test --release -p minimax-web --features webgpu --target wasm32-unknown-unknown
step "page build (trunk: the CPU, fast CPU and WebGPU modules, profiles web, web-fast and web-gpu)" trunk build
step "page sizes" node tests/bench/sizes.mjs
# One test file at a time: a machine with more cores must not start several SwiftShader browsers.
step "unit tests of web/ (node) and end-to-end tests (playwright-core, headless Chromium)" node --test --test-concurrency=1 tests/unit/ tests/e2e/
step "the main journeys in Chromium, Firefox and WebKit (selenium-webdriver)" node --test --test-concurrency=1 tests/browsers/
# A smoke of the speed benchmark (one configuration, CPU, one load, against TF.js), so that it
# cannot silently break; the full run is scripts/bench.sh.
smoke=$(mktemp -d)
step "speed benchmark smoke" scripts/bench.sh --quick --no-build --configs mlp-s --backends cpu --out "$smoke"
rm -rf "$smoke"
printf '\n== all tests passed in %ss\n' $((SECONDS - start))
