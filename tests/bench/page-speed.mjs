// Measures the built page (dist/) in headless Chromium with the default config: time from page
// load to the first finished training step, and steps per second after warm-up, per backend.
// Prints JSON and a Markdown table. Run: node tests/bench/page-speed.mjs [cpu,webgpu]
import { launchBrowser, openPlayground } from '../e2e/browser.mjs';
import { serveDirectory } from '../e2e/static-server.mjs';

const backends = (process.argv[2] || 'cpu,webgpu').split(',');
const server = await serveDirectory(process.env.DIST_DIR || 'dist');
const browser = await launchBrowser();
const rows = [];
try {
  for (const backend of backends) {
    const start = Date.now();
    const { page } = await openPlayground(browser.context, server.url, backend);
    await page.waitForFunction(() => window.__readyStats, null, { timeout: 600_000 });
    const el = page.locator('gan-playground');
    const first = await el.evaluate(async (e) => { const t = performance.now(); await e.step(1); return performance.now() - t; });
    const loadToFirstStep = Date.now() - start;
    const warm = backend === 'cpu' ? 200 : 5;
    const measured = backend === 'cpu' ? 2000 : 20;
    const rate = await el.evaluate(async (e, [w, n]) => {
      await e.step(w);
      const t = performance.now();
      await e.step(n);
      return n / ((performance.now() - t) / 1000);
    }, [warm, measured]);
    rows.push({ backend: await el.evaluate((e) => e.stats.backend), firstStepMs: Math.round(first), loadToFirstStepMs: loadToFirstStep, stepsPerSecond: Number(rate.toFixed(2)) });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(rows));
console.log('| backend | first step (ms) | page load → first step (ms) | steps/s (default config) |\n|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.backend} | ${r.firstStepMs} | ${r.loadToFirstStepMs} | ${r.stepsPerSecond} |`);
