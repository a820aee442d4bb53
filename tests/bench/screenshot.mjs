// Writes docs/screenshot.png: the playground (CPU backend) after training the GAN 2014 preset,
// with the learned D beside D* = p_data/(p_data + p_g). Run after `trunk build`:
//   node tests/bench/screenshot.mjs [steps]
import { launchBrowser, openPlayground } from '../e2e/browser.mjs';
import { serveDirectory } from '../e2e/static-server.mjs';

const steps = Number(process.argv[2] ?? 3000);
const server = await serveDirectory(process.env.DIST_DIR || 'dist');
const browser = await launchBrowser();
try {
  const { page } = await openPlayground(browser.context, server.url, 'cpu');
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 60_000 });
  const el = page.locator('gan-playground');
  await el.evaluate((e) => e.loadPreset('gan_2014'));
  await el.evaluate((e, n) => e.step(n), steps);
  await el.evaluate((e) => e.debug.refreshView?.());
  await page.waitForTimeout(1500);
  await el.screenshot({ path: 'docs/screenshot.png' });
  console.log('docs/screenshot.png after', await el.evaluate((e) => e.stats.step), 'steps');
} finally {
  await browser.close();
  await server.close();
}
