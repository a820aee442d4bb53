// Checks on the built wasm module itself (dist/, after `trunk build`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.env.DIST_DIR || 'dist';

test('no export re-runs the static constructors (wasm-ld "command" wrappers)', () => {
  const file = readdirSync(dist).find((f) => /^minimax-web-.*_bg\.wasm$/.test(f));
  assert.ok(file, `no minimax-web-*_bg.wasm in ${dist}`);
  const wasm = readFileSync(join(dist, file));
  assert.ok(WebAssembly.validate(wasm), 'the module does not validate');
  // wasm-ld names the wrappers `<export>.command_export`; each one ran every constructor again
  // (3.5 ms per call). lib.rs calls __wasm_call_ctors once so that wasm-ld emits none.
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name);
  assert.ok(exports.includes('__wbindgen_start'), `exports: ${exports.slice(0, 10)}`);
  assert.equal(wasm.includes('command_export'), false, 'found *.command_export wrappers');
});
