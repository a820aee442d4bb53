// Writes docs/digits.png: the digit panels of the playground (CPU backend) with the pretrained
// DCGAN loaded: generated and real digits, sample quality, interpolation and the latent walk.
// With `stylegan`, docs/stylegan.png: the same with the pretrained StyleGAN-lite, whose panels
// add the style-mixing grid, truncation and the interpolation in w.
// Run after `trunk build` (needs dist/assets/dcgan-mnist.ckpt or stylegan-mnist.ckpt):
//   node tests/bench/digits-screenshot.mjs [digits|stylegan] [out.png]
import { existsSync } from 'node:fs';
import { launchBrowser, openPlayground } from '../e2e/browser.mjs';
import { serveDirectory } from '../e2e/static-server.mjs';

const dist = process.env.DIST_DIR || 'dist';
const args = process.argv.slice(2);
const which = args[0] === 'stylegan' || args[0] === 'digits' ? args.shift() : 'digits';
const out = args[0] ?? (which === 'stylegan' ? 'docs/stylegan.png' : 'docs/digits.png');
const file = which === 'stylegan' ? 'stylegan-mnist.ckpt' : 'dcgan-mnist.ckpt';
if (!existsSync(`${dist}/assets/${file}`)) {
  console.error(`${dist}/assets/${file} not found: commit assets/${file}, then trunk build`);
  process.exit(1);
}
const server = await serveDirectory(dist);
const browser = await launchBrowser();
try {
  const { page } = await openPlayground(browser.context, server.url, 'cpu');
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
  const el = page.locator('gan-playground');
  if (!(await el.evaluate((e, w) => e.loadPretrained(w), which))) throw new Error(await el.evaluate((e) => e.debug.errorText));
  // Interpolate between two different-looking samples and move the walk off its origin.
  const grid = page.locator('gan-playground canvas[data-digits="fake"]');
  const box = await grid.boundingBox();
  await grid.click({ position: { x: box.width * (1.5 / 8), y: box.height * (0.5 / 8) } });
  await grid.click({ position: { x: box.width * (6.5 / 8), y: box.height * (5.5 / 8) } });
  const pad = page.locator('gan-playground canvas[data-digits="walk-pad"]');
  await pad.focus();
  for (const key of ['Shift+ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown']) await pad.press(key);
  await page.waitForFunction(() => {
    const d = document.querySelector('gan-playground').debug.digits;
    return d.quality !== null && d.walk.last?.u === 1.5 && d.interpolation !== null && (!d.style?.visible || (d.style.mix && d.style.w));
  }, null, { timeout: 120_000 });
  await pad.blur();
  await page.waitForTimeout(500);
  await page.locator('gan-playground [data-part="digit-panels"]').screenshot({ path: out });
  const { step, quality } = await el.evaluate((e) => ({ step: e.stats.step, quality: e.debug.digits.quality }));
  console.log(`${out}: pretrained run at step ${step}, classifier score ${quality.classifierScore.toFixed(2)}, ` +
    `Fréchet ${quality.frechetDistance?.toFixed(1)}, ${quality.classesCovered}/10 classes`);
} finally {
  await browser.close();
  await server.close();
}
