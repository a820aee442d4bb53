// Trunk post-build hook: drops the wasm "name" custom section (function names for debuggers'
// stack traces; 8.2 of 45 MB) from the built module. wasm-opt would do more, but the machine's
// is too old for this output and Trunk must not download one. Usage (Trunk sets the variable):
//   TRUNK_STAGING_DIR=dist node scripts/strip-wasm-names.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'minimax-web_bg.wasm');
const bytes = readFileSync(file);
if (bytes.readUInt32BE(0) !== 0x0061736d) throw new Error(`${file} is not a wasm module`);

function leb128(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return { value, at };
  }
}

const kept = [bytes.subarray(0, 8)];
let removed = 0;
for (let at = 8; at < bytes.length; ) {
  const start = at;
  const id = bytes[at];
  const size = leb128(at + 1);
  const end = size.at + size.value;
  let drop = false;
  if (id === 0) {
    const name = leb128(size.at);
    drop = bytes.subarray(name.at, name.at + name.value).toString() === 'name';
  }
  if (drop) removed += end - start;
  else kept.push(bytes.subarray(start, end));
  at = end;
}
if (removed > 0) writeFileSync(file, Buffer.concat(kept));
console.log(`strip-wasm-names: ${file}: removed ${(removed / 1e6).toFixed(2)} MB of function names`);
