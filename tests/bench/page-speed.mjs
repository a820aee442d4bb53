// Measures the built page (dist/) in headless Chromium with the default config (or a preset):
// time from page load to the first finished training step, and steps per second after warm-up,
// per backend. Prints JSON and a Markdown table.
// Run: node tests/bench/page-speed.mjs [cpu,webgpu] [preset, e.g. dcgan_mnist]
import { launchBrowser, openPlayground } from '../e2e/browser.mjs';
import { serveDirectory } from '../e2e/static-server.mjs';

const backends = (process.argv[2] || 'cpu,webgpu').split(',');
const preset = process.argv[3];
// Steps to warm up and to measure: the DCGAN is ~100x slower per step than the 2-D default.
const counts = (backend) => {
  const slow = preset?.includes('mnist');
  if (backend === 'cpu') return slow ? [3, 20] : [200, 2000];
  return slow ? [1, 3] : [5, 20];
};
const server = await serveDirectory(process.env.DIST_DIR || 'dist');
const browser = await launchBrowser();
const rows = [];
try {
  for (const backend of backends) {
    const start = Date.now();
    const { page } = await openPlayground(browser.context, server.url, backend);
    await page.waitForFunction(() => window.__readyStats, null, { timeout: 600_000 });
    const el = page.locator('gan-playground');
    if (preset) {
      await el.evaluate((e, id) => e.loadPreset(id), preset);
      await page.waitForFunction((id) => document.querySelector('gan-playground').presetId === id, preset, { timeout: 600_000 });
    }
    const first = await el.evaluate(async (e) => { const t = performance.now(); await e.step(1); return performance.now() - t; });
    const loadToFirstStep = Date.now() - start;
    const [warm, measured] = counts(backend);
    const rate = await el.evaluate(async (e, [w, n]) => {
      await e.step(w);
      const t = performance.now();
      await e.step(n);
      return n / ((performance.now() - t) / 1000);
    }, [warm, measured]);
    rows.push({ backend: await el.evaluate((e) => e.stats.backend), preset: preset ?? 'default', firstStepMs: Math.round(first), loadToFirstStepMs: loadToFirstStep, stepsPerSecond: Number(rate.toFixed(2)) });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(rows));
console.log('| backend | config | first step (ms) | page load → first step (ms) | steps/s |\n|---|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.backend} | ${r.preset} | ${r.firstStepMs} | ${r.loadToFirstStepMs} | ${r.stepsPerSecond} |`);
