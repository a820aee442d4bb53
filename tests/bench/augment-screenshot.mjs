// Writes docs/augmentation.png: the digit mode's "Data augmentation, measured" panel after one
// live measurement (seed 1) with the pretrained class-conditional DCGAN, on the CPU backend.
// Run after `trunk build` (needs dist/assets/dcgan-mnist.ckpt):
//   node tests/bench/augment-screenshot.mjs [out.png]
import { existsSync } from 'node:fs';
import { launchBrowser, openPlayground } from '../e2e/browser.mjs';
import { serveDirectory } from '../e2e/static-server.mjs';

const dist = process.env.DIST_DIR || 'dist';
const out = process.argv[2] ?? 'docs/augmentation.png';
if (!existsSync(`${dist}/assets/dcgan-mnist.ckpt`)) {
  console.error(`${dist}/assets/dcgan-mnist.ckpt not found: commit assets/dcgan-mnist.ckpt, then trunk build`);
  process.exit(1);
}
const server = await serveDirectory(dist);
const browser = await launchBrowser();
try {
  const { page } = await openPlayground(browser.context, server.url, 'cpu');
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
  const el = page.locator('gan-playground');
  if (!(await el.evaluate((e) => e.loadPretrained()))) throw new Error(await el.evaluate((e) => e.debug.errorText));
  await page.locator('gan-playground button[name="measure-augmentation"]').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.digits.augmentation.length === 1, null, { timeout: 300_000 });
  await page.locator('gan-playground [data-digits="augment-panel"]').screenshot({ path: out });
  const [result] = await el.evaluate((e) => e.debug.digits.augmentation);
  console.log(`${out}: seed ${result.seed}, ${result.perClass} real digits per class, +${result.extra}: ` +
    result.arms.map((a) => `${a.name} ${(100 * a.accuracy).toFixed(1)} %`).join(', '));
} finally {
  await browser.close();
  await server.close();
}
