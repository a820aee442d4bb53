// What the page weighs: every file of dist/ raw, gzip -9 and brotli (q 11), the two wasm
// modules, and what a reader downloads before the first 2-D training step on the CPU (the files
// the browser fetched, listed by tests/e2e/wasm-module.test.mjs, which checks the budgets).
// Sizes are deterministic for a build.
//   node tests/bench/sizes.mjs [--json docs/bench/sizes.json]
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Budgets of issue 19 (bytes). */
export const BUDGET = {
  firstStepGzip: 1.0e6, // everything before the first 2-D step on the CPU
  webgpuModuleGzip: 3.5e6, // the WebGPU module, fetched only when WebGPU is tried
  fileRaw: 20 * 1024 * 1024, // no file over 20 MiB (some hosts refuse 25 MiB)
};

/**
 * @param {string} path
 * @param {{brotli?: boolean}} options brotli: also brotli q11 (slow on the WebGPU module)
 * @returns {{raw: number, gzip: number, brotli?: number}}
 */
export function sizesOf(path, { brotli = true } = {}) {
  const bytes = readFileSync(path);
  const sizes = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  if (brotli) sizes.brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return sizes;
}

/** @returns {string[]} every file under `dir`, relative to it */
export function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

function main() {
  const dist = process.env.DIST_DIR || 'dist';
  const files = filesUnder(dist).map((file) => ({ file, ...sizesOf(join(dist, file)) }));
  const total = files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const mb = (n) => (n / 1e6).toFixed(3);
  const rows = files.filter((f) => f.raw > 20_000 || f.file.endsWith('.wasm'));
  console.log('| file | raw MB | gzip MB | brotli MB |\n| --- | ---: | ---: | ---: |');
  for (const f of rows) console.log(`| ${f.file} | ${mb(f.raw)} | ${mb(f.gzip)} | ${mb(f.brotli)} |`);
  console.log(`| all ${files.length} files | ${mb(total.raw)} | ${mb(total.gzip)} | ${mb(total.brotli)} |`);
  const out = process.argv.indexOf('--json');
  if (out > 0) writeFileSync(process.argv[out + 1], `${JSON.stringify({ measured: new Date().toISOString(), files, total, budget: BUDGET }, null, 1)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
