// Long run: the playground (dist/) trains 100,000 steps of the default config on the CPU backend
// with every plot and view open, and reports JS heap (after a forced GC), wasm memory, the loss
// history's length and the points the plots draw, every 10,000 steps. Prints JSON and a table;
// with --out DIR writes long-run.{json,md} there.
//   node tests/bench/long-run.mjs [--steps 100000] [--every 10000] [--out docs/bench]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openPlayground } from '../e2e/browser.mjs';
import { serveDirectory } from '../e2e/static-server.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const STEPS = Number(opt('steps', 100_000));
const EVERY = Number(opt('every', 10_000));
const OUT = opt('out', null);

const server = await serveDirectory(process.env.DIST_DIR || 'dist');
const browser = await launchBrowser();
const rows = [];
const start = Date.now();
try {
  const { page, problems } = await openPlayground(browser.context, server.url, 'cpu');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
  const el = page.locator('gan-playground');
  const cdp = await page.context().newCDPSession(page);
  await el.evaluate((e) => { e.stepsPerFrame = 200; e.play(); });
  for (let mark = EVERY; mark <= STEPS; mark += EVERY) {
    await page.waitForFunction((m) => document.querySelector('gan-playground').stats.step >= m, mark, { timeout: 1_800_000, polling: 500 });
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const row = await el.evaluate(async (e) => ({
      step: e.stats.step,
      stepsPerSecond: e.stats.stepsPerSecond,
      wasmBytes: (await e.debug.engineMemory()).cpu, // the engine worker's CPU module
      historyLength: e.debug.historyLength,
      plotPoints: e.debug.plotPoints,
      metricsRows: e.debug.metricsLength,
    }));
    rows.push({ ...row, jsHeapUsedBytes: heap.usedSize, seconds: (Date.now() - start) / 1000 });
    console.error(`${row.step} steps: JS heap ${(heap.usedSize / 2 ** 20).toFixed(2)} MB, wasm ${(row.wasmBytes / 2 ** 20).toFixed(2)} MB, ${row.stepsPerSecond.toFixed(0)} steps/s`);
  }
  await el.evaluate((e) => e.pause());
  if (problems.length) throw new Error(`console problems: ${problems.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
}
const mb = (b) => (b / 2 ** 20).toFixed(2);
const table = [
  '| step | JS heap after GC (MB) | wasm memory (MB) | loss history (steps) | plotted points | metric rows | steps/s |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.step} | ${mb(r.jsHeapUsedBytes)} | ${mb(r.wasmBytes)} | ${r.historyLength} | ${r.plotPoints} | ${r.metricsRows} | ${r.stepsPerSecond.toFixed(0)} |`),
].join('\n');
console.log(JSON.stringify(rows));
console.log(table);
if (OUT) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'long-run.json'), `${JSON.stringify(rows, null, 1)}\n`);
  writeFileSync(join(OUT, 'long-run.md'), `${table}\n`);
}
