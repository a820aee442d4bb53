// Checks on the built wasm module itself (dist/, after `trunk build`) and on the linker's output
// it was made from (cargo's target directory, where the function names are still present).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.env.DIST_DIR || 'dist';
const linked = join(process.env.CARGO_TARGET_DIR || 'target', 'wasm32-unknown-unknown', 'release', 'minimax_web.wasm');

test('no export re-runs the static constructors (wasm-ld "command" wrappers)', () => {
  assert.ok(existsSync(linked), `${linked} not found: build the page first (trunk build --release)`);
  // wasm-ld names the wrappers `<export>.command_export`; each one ran every constructor again
  // (3.5 ms per call). lib.rs calls __wasm_call_ctors once so that wasm-ld emits none.
  assert.equal(readFileSync(linked).includes('command_export'), false, 'found *.command_export wrappers');
});

test('the page loads a valid module without its debug names', () => {
  const wasm = readFileSync(join(dist, 'minimax-web_bg.wasm'));
  assert.ok(WebAssembly.validate(wasm), 'the module does not validate');
  const module = new WebAssembly.Module(wasm);
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  assert.ok(exports.includes('__wbindgen_start'), `exports: ${exports.slice(0, 10)}`);
  // scripts/strip-wasm-names.mjs (a Trunk hook) drops the "name" section: 8 MB of 45.
  assert.deepEqual(WebAssembly.Module.customSections(module, 'name'), []);
});
