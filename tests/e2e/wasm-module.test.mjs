// Checks on the built wasm modules themselves (dist/, after `trunk build`), on the linker's
// output they were made from (cargo's target directory, where the function names are still
// present), and the page's size budgets (tests/bench/sizes.mjs; sizes are deterministic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUDGET, filesUnder, sizesOf } from '../bench/sizes.mjs';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const dist = process.env.DIST_DIR || 'dist';
// Each module's own profile (Cargo.toml): `web` for the small CPU module, `web-fast` for the fast
// one, `web-gpu` for the WebGPU one.
const PROFILES = { minimax_web: 'web', minimax_web_fast: 'web-fast', minimax_web_gpu: 'web-gpu' };
const linked = (crate) => join(process.env.CARGO_TARGET_DIR || 'target', 'wasm32-unknown-unknown', PROFILES[crate], `${crate}.wasm`);
const MODULES = ['minimax-web_bg.wasm', 'minimax-web-fast_bg.wasm', 'minimax-web-gpu_bg.wasm'];

test('no export re-runs the static constructors (wasm-ld "command" wrappers)', () => {
  for (const crate of Object.keys(PROFILES)) {
    assert.ok(existsSync(linked(crate)), `${linked(crate)} not found: build the page first (trunk build)`);
    // wasm-ld names the wrappers `<export>.command_export`; each one ran every constructor again
    // (3.5 ms per call). lib.rs calls __wasm_call_ctors once so that wasm-ld emits none.
    assert.equal(readFileSync(linked(crate)).includes('command_export'), false, `${crate}: found *.command_export wrappers`);
  }
});

test('the page loads three valid modules without their debug names; only the WebGPU one has WebGPU', () => {
  const imports = {};
  for (const file of MODULES) {
    const wasm = readFileSync(join(dist, file));
    assert.ok(WebAssembly.validate(wasm), `${file} does not validate`);
    const module = new WebAssembly.Module(wasm);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    assert.ok(exports.includes('__wbindgen_start'), `${file} exports: ${exports.slice(0, 10)}`);
    assert.ok(exports.some((e) => e.startsWith('playground_')), `${file} has the Playground class`);
    // scripts/strip-wasm-names.mjs (a Trunk hook) drops the "name" section.
    assert.deepEqual(WebAssembly.Module.customSections(module, 'name'), []);
    imports[file] = WebAssembly.Module.imports(module).map((i) => i.name).join(' ');
  }
  // The CPU modules (the small one and its fast build) import nothing of WebGPU: Burn's wgpu
  // stack is not in them.
  assert.doesNotMatch(imports['minimax-web_bg.wasm'], /requestDevice|createComputePipeline/);
  assert.doesNotMatch(imports['minimax-web-fast_bg.wasm'], /requestDevice|createComputePipeline/);
  assert.match(imports['minimax-web-gpu_bg.wasm'], /requestDevice|createComputePipeline/);
});

test('size budgets: the WebGPU module and every file of dist/', (t) => {
  const gpu = sizesOf(join(dist, 'minimax-web-gpu_bg.wasm'), { brotli: false });
  t.diagnostic(`WebGPU module: ${gpu.raw} bytes raw, ${gpu.gzip} gzip (budget ${BUDGET.webgpuModuleGzip})`);
  assert.ok(gpu.gzip <= BUDGET.webgpuModuleGzip, `WebGPU module: ${gpu.gzip} bytes gzip > ${BUDGET.webgpuModuleGzip}`);
  for (const file of filesUnder(dist)) {
    const { size } = statSync(join(dist, file));
    assert.ok(size <= BUDGET.fileRaw, `${file}: ${size} bytes > 20 MiB`);
  }
});

test('size budget: what a reader downloads before the first 2-D step on the CPU', { timeout: 120_000 }, async (t) => {
  const server = await serveDirectory(dist);
  const browser = await launchBrowser();
  try {
    // Every request of the page and of its engine worker, from the navigation on.
    const fetched = new Set();
    browser.context.on('request', (r) => fetched.add(new URL(r.url()).pathname));
    // When the first step finished, in the page's clock: what the page fetched later (uPlot, once
    // there are losses to plot) is not part of the budget.
    const initScript = () => new MutationObserver((_, observer) => {
      const el = document.querySelector('gan-playground');
      if (!el) return;
      observer.disconnect();
      el.addEventListener('step', () => (window.__firstStepMs ??= performance.now()));
    }).observe(document, { childList: true, subtree: true });
    const { page, problems } = await openPlayground(browser.context, server.url, 'auto', { initScript });
    await page.waitForFunction(() => window.__readyStats, null, { timeout: 60_000 });
    const el = page.locator('gan-playground');
    assert.equal((await el.evaluate((e) => e.step(1))).step, 1);
    assert.equal(await el.evaluate((e) => e.stats.backend), 'cpu', 'auto trains a 2-D model on the CPU at once');
    const later = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((r) => r.startTime >= window.__firstStepMs).map((r) => new URL(r.name).pathname));
    const files = [...fetched].filter((p) => p !== '/favicon.ico' && !later.includes(p))
      .map((p) => (p === '/' ? 'index.html' : decodeURIComponent(p.slice(1))));
    for (const needed of ['index.html', 'web/engine/engine-worker.js', 'minimax-web.js', 'minimax-web_bg.wasm']) {
      assert.ok(files.includes(needed), `${needed} was fetched: ${files}`);
    }
    let gzip = 0;
    for (const file of files) gzip += sizesOf(join(dist, file), { brotli: false }).gzip;
    t.diagnostic(`before the first step: ${files.length} files, ${gzip} bytes gzip (budget ${BUDGET.firstStepGzip})`);
    assert.ok(!files.includes('minimax-web-gpu_bg.wasm'), `the WebGPU module is not fetched: ${files}`);
    assert.ok(!files.includes('minimax-web-fast_bg.wasm'), `the fast CPU module is not fetched: ${files}`);
    assert.ok(!files.includes('vendor/uplot/uPlot.esm.js'), `uPlot comes after the first step: ${files}`);
    assert.ok(gzip <= BUDGET.firstStepGzip, `${gzip} bytes gzip > ${BUDGET.firstStepGzip}: ${files.join(', ')}`);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await browser.close();
    await server.close();
  }
});
