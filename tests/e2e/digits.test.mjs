// End-to-end tests of the digit mode (DCGAN on real MNIST) of the built page in headless
// Chromium: the MNIST download with its progress line, training, the digit panels, the digit
// picker, checkpoints (save, load, corrupt, pretrained), bad assets, the dataset switch and one
// WebGPU run. Run: node --test tests/e2e/digits.test.mjs
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';
const PRETRAINED = `${DIST}/assets/dcgan-mnist.ckpt`;

let server;
let browser;

before(async () => {
  assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html not found: build the page first (trunk build)`);
  assert.ok(existsSync(`${DIST}/assets/mnist.bin`), `${DIST}/assets/mnist.bin not found: run scripts/setup.sh, then trunk build`);
  server = await serveDirectory(DIST);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(backend = 'cpu', readyTimeout = 120_000, options = {}) {
  const { page, problems } = await openPlayground(browser.context, server.url, backend, options);
  await page.waitForFunction(() => window.__readyStats, null, { timeout: readyTimeout });
  return { page, problems, el: page.locator('gan-playground') };
}

// Hidden itself or inside a hidden part of the shadow root.
const isHidden = (el, selector) => el.evaluate((e, s) => e.shadowRoot.querySelector(s).closest('[hidden]') !== null, selector);
const text = (el, selector) => el.evaluate((e, s) => e.shadowRoot.querySelector(s).textContent, selector);
const errorText = (el) => el.evaluate((e) => e.debug.errorText);

// Picks a preset in the menu, as a person would, and waits for its first digit view.
async function pickDigitPreset(page, el, id, timeout = 120_000) {
  await page.locator('gan-playground select#preset').selectOption(id);
  await page.waitForFunction(
    (wanted) => {
      const e = document.querySelector('gan-playground');
      return e.presetId === wanted && e.mode === 'digits' && e.debug.digits.lastView !== null;
    },
    id,
    { timeout },
  );
}

// Chromium reports a fetch whose body is read through a stream reader (as the progress line
// does) as "net::ERR_ABORTED" about half the time although every byte arrives; only those
// reports are ignored. A short file would not pass: Rust rejects it (see the truncated test).
const STREAMED = /^request failed: \S+\/assets\/(mnist\.bin|dcgan-mnist\.ckpt) net::ERR_ABORTED$/;
const realProblems = (problems) => problems.filter((p) => !STREAMED.test(p));

// The largest difference between a digit canvas and the bytes it was drawn from (the red
// channel at each digit pixel's centre; ink 255 is rgb(29, 31, 36), paper 0 is white), over
// the cells not in `skip` (those carry the A/B marks). `source`: a path in debug.digits.
function canvasError(el, selector, source, cols, skip = []) {
  return el.evaluate(
    (e, [s, source, cols, skip]) => {
      const canvas = e.shadowRoot.querySelector(s);
      const bytes = source.split('.').reduce((o, k) => o[k], e.debug.digits);
      const scale = canvas.width / (cols * 28);
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let worst = 0;
      for (let k = 0; k < bytes.length / 784; k++) {
        if (skip.includes(k)) continue;
        for (let p = 0; p < 784; p++) {
          const x = ((k % cols) * 28 + (p % 28)) * scale + Math.floor(scale / 2);
          const y = (Math.floor(k / cols) * 28 + Math.floor(p / 28)) * scale + Math.floor(scale / 2);
          const expected = Math.round(255 + ((29 - 255) * bytes[k * 784 + p]) / 255);
          worst = Math.max(worst, Math.abs(data[4 * (y * canvas.width + x)] - expected));
        }
      }
      return { worst, scale, distinct: new Set(bytes).size };
    },
    [selector, source, cols, skip],
  );
}

// Share of dark (ink) and light (paper) pixels of a digit canvas.
function inkAndPaper(el, selector) {
  return el.evaluate((e, s) => {
    const canvas = e.shadowRoot.querySelector(s);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    let light = 0;
    for (let i = 0; i < data.length; i += 4) {
      const lum = (data[i] + data[i + 1] + data[i + 2]) / 3;
      if (lum < 80) dark++;
      else if (lum > 200) light++;
    }
    const n = data.length / 4;
    return { dark: dark / n, light: light / n, width: canvas.width };
  }, selector);
}

test('the MNIST preset downloads with progress, trains on the CPU and draws the digit panels', { timeout: 300_000 }, async () => {
  const { page, problems, el } = await open();
  assert.equal(await el.evaluate((e) => e.mode), '2d');
  assert.equal(await isHidden(el, '[data-part="digit-panels"]'), true, 'no digit panels in 2-D mode');
  // Every text the progress line shows, and whether it was ever visible.
  await el.evaluate((e) => {
    const line = e.shadowRoot.querySelector('[data-part="asset-progress"]');
    window.__progress = [];
    new MutationObserver(() => !line.hidden && window.__progress.push(line.textContent)).observe(line, {
      attributes: true,
      childList: true,
      subtree: true,
      characterData: true,
    });
  });

  await pickDigitPreset(page, el, 'dcgan_mnist');
  const progress = await page.evaluate(() => window.__progress);
  assert.ok(progress.length > 0, 'the download showed a progress line');
  assert.ok(progress.some((t) => /^Loading MNIST digits: \d+\.\d (\/ 7\.9 MB|MB received)$/.test(t)), progress.join(' | '));
  assert.equal(await isHidden(el, '[data-part="asset-progress"]'), true, 'the progress line goes once loaded');
  for (const part of ['[data-part="data-space"]', '.panel.dstar', '[data-part="value-plot"]', 'button[name="export-csv"]']) {
    assert.equal(await isHidden(el, part), true, `${part} is hidden in digit mode`);
  }
  assert.equal(await isHidden(el, '[data-part="digit-panels"]'), false);
  assert.equal(await isHidden(el, '[data-digits="picker"]'), true, 'no digit picker for an unconditional G');
  assert.equal(await isHidden(el, 'button[name="save-checkpoint"]'), false);

  await page.locator('gan-playground button[name="play"]').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').stats.step >= 2, null, { timeout: 120_000, polling: 250 });
  await page.locator('gan-playground button[name="play"]').click();
  const stats = await el.evaluate(async (e) => {
    await e.debug.refreshView();
    return e.stats;
  });
  assert.ok(stats.step >= 2, `trained ${stats.step} steps`);
  for (const k of ['dLoss', 'gLoss']) assert.ok(Number.isFinite(stats[k]), `${k} is finite`);
  assert.equal(await text(el, '[data-status="step"]'), `Step ${stats.step.toLocaleString('en-US')}`);
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.debug.plotPoints > 0 && e.debug.historyLength === e.stats.step;
  }, null, { timeout: 10_000 });

  const view = await el.evaluate((e) => {
    const v = e.debug.digits.lastView;
    return { fake: v.fake.length, real: v.real.length, side: v.side, inkShare: v.fake.filter((p) => p > 128).length / v.fake.length };
  });
  assert.deepEqual([view.fake, view.real, view.side], [64 * 784, 64 * 784, 28]);
  // Both grids show exactly their bytes, upscaled by a whole number without blur.
  const ends = await el.evaluate((e) => e.debug.digits.ends);
  const fakeGrid = await canvasError(el, 'canvas[data-digits="fake"]', 'lastView.fake', 8, ends);
  assert.ok(Number.isInteger(fakeGrid.scale) && fakeGrid.scale >= 1, `whole-number upscale ${fakeGrid.scale}`);
  assert.ok(fakeGrid.worst <= 1, `generated grid drawn from its bytes: ${JSON.stringify(fakeGrid)}`);
  assert.ok(fakeGrid.distinct > 10, 'the generated digits are not blank');
  assert.ok((await canvasError(el, 'canvas[data-digits="real"]', 'lastView.real', 8)).worst <= 1, 'real grid drawn from its bytes');
  const real = await inkAndPaper(el, 'canvas[data-digits="real"]');
  assert.ok(real.dark > 0.05 && real.light > 0.5, `real digits are dark strokes on white: ${JSON.stringify(real)}`);

  // The quality panel measures once paused, against the real digits' reference values.
  await page.waitForFunction(() => /^\d+\.\d\d$/.test(document.querySelector('gan-playground').shadowRoot.querySelector('[data-quality="score"]').textContent), null, { timeout: 60_000 });
  const quality = await el.evaluate((e) => e.debug.digits.quality);
  assert.ok(quality.classifierScore >= 1 && quality.classifierScore <= 10, `score ${quality.classifierScore}`);
  assert.match(await text(el, '[data-quality="real-score"]'), /^real digits: \d+\.\d\d$/);
  assert.ok(quality.realScore > 8, `real digits score ${quality.realScore}`);
  assert.match(await text(el, '[data-quality="covered"]'), /^\d+\/10$/);
  const bars = await el.evaluate((e) => e.shadowRoot.querySelectorAll('.class-bar').length);
  assert.equal(bars, 10);
  const emptyBars = await el.evaluate((e) => e.shadowRoot.querySelectorAll('.class-bar.empty').length);
  assert.equal(emptyBars, quality.classHistogram.filter((n) => n === 0).length, 'an empty class shows as an empty bar');

  // Interpolation between grid samples: two clicks choose A and B.
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.digits.interpolation?.length === 10 * 784, null, { timeout: 30_000 });
  assert.ok((await canvasError(el, 'canvas[data-digits="interpolation"]', 'interpolation', 10)).worst <= 1, 'interpolation drawn');
  const grid = page.locator('gan-playground canvas[data-digits="fake"]');
  const box = await grid.boundingBox();
  const cell = box.width / 8;
  await grid.click({ position: { x: 2.5 * cell, y: 3.5 * cell } }); // row 3, column 2: sample 26
  await grid.click({ position: { x: 7.5 * cell, y: 0.5 * cell } }); // sample 7
  assert.deepEqual(await el.evaluate((e) => e.debug.digits.ends), [26, 7]);
  assert.match(await text(el, '[data-digits="interpolation-panel"] .caption'), /sample A \(#27\) to sample B \(#8\)/);

  // The latent walk pad, by keyboard; the digit follows the pad.
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.digits.walk.pixels?.length === 784);
  const atOrigin = await el.evaluate((e) => Array.from(e.debug.digits.walk.pixels));
  const pad = page.locator('gan-playground canvas[data-digits="walk-pad"]');
  await pad.focus();
  await pad.press('ArrowRight');
  await pad.press('ArrowUp');
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.digits.walk.last?.v === 0.25, null, { timeout: 10_000 });
  assert.deepEqual(await el.evaluate((e) => [e.debug.digits.walk.u, e.debug.digits.walk.v]), [0.25, 0.25]);
  await page.waitForFunction((origin) => document.querySelector('gan-playground').debug.digits.walk.pixels.some((v, i) => v !== origin[i]), atOrigin, { timeout: 10_000 });
  assert.ok((await canvasError(el, 'canvas[data-digits="walk-digit"]', 'walk.pixels', 1)).worst <= 1, 'the walked digit is drawn');
  // A burst of 20 moves: one call in flight, then one more for the latest position, not 20.
  const callsBefore = await el.evaluate((e) => {
    const calls = e.debug.digits.walk.calls;
    const target = e.shadowRoot.querySelector('canvas[data-digits="walk-pad"]');
    for (let i = 0; i < 20; i++) target.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    return calls;
  });
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.digits.walk.last?.v === -3, null, { timeout: 10_000 });
  const burst = await el.evaluate((e) => e.debug.digits.walk);
  assert.equal(burst.v, -3, 'the pad stops at −3');
  assert.ok(burst.calls - callsBefore <= 2, `${burst.calls - callsBefore} walk calls for 20 moves`);
  // And by pointer: a drag from the centre to three quarters right, one quarter down the pad.
  const padBox = await pad.boundingBox();
  await page.mouse.move(padBox.x + padBox.width / 2, padBox.y + padBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(padBox.x + padBox.width * 0.75, padBox.y + padBox.height * 0.75, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.digits.walk.last?.u > 1, null, { timeout: 10_000 });
  const dragged = await el.evaluate((e) => e.debug.digits.walk.last);
  assert.ok(Math.abs(dragged.u - 1.5) < 0.1 && Math.abs(dragged.v + 1.5) < 0.1, `dragged to ${JSON.stringify(dragged)}`);

  // A fresh G draws grey noise; training turns it into dark ink on white paper (~100 steps).
  await page.locator('gan-playground button[name="play"]').click();
  await page.waitForFunction(
    () => {
      const fake = document.querySelector('gan-playground').debug.digits.lastView.fake;
      let ink = 0;
      let paper = 0;
      for (const p of fake) (p >= 200 ? ink++ : p <= 50 ? paper++ : 0);
      return ink > 0.005 * fake.length && paper > 0.2 * fake.length;
    },
    null,
    { timeout: 180_000, polling: 500 },
  );
  await el.evaluate((e) => e.pause());
  const fake = await inkAndPaper(el, 'canvas[data-digits="fake"]');
  assert.ok(fake.dark > 0.003 && fake.light > 0.15, `the generated grid shows ink and paper: ${JSON.stringify(fake)}`);
  assert.deepEqual(realProblems(problems), []);
  await page.close();
});

test('a conditional preset shows the digit picker and draws the chosen digit', { timeout: 300_000 }, async () => {
  const { page, problems, el } = await open();
  let downloads = 0;
  page.on('request', (r) => r.url().endsWith('/assets/mnist.bin') && downloads++);
  await pickDigitPreset(page, el, 'dcgan_mnist');
  await pickDigitPreset(page, el, 'cdcgan_mnist');
  assert.equal(downloads, 1, 'switching digit presets reuses the downloaded digits');
  assert.equal(await el.evaluate((e) => e.debug.digits.lastView.conditional), true);
  assert.equal(await isHidden(el, '[data-digits="picker"]'), false, 'the picker is shown');
  await el.evaluate((e) => e.step(2));
  await page.locator('gan-playground [data-digits="picker"] button[data-digit="7"]').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.digits.digit === 7);
  assert.equal(await page.locator('gan-playground [data-digits="picker"] button[data-digit="7"]').getAttribute('aria-pressed'), 'true');
  // The picked digit reaches view(): a conditional G draws other images for "7" than for "all".
  const sevens = await el.evaluate(async (e) => {
    await e.debug.refreshView();
    return Array.from(e.debug.digits.lastView.fake.subarray(0, 784 * 4));
  });
  await page.locator('gan-playground [data-digits="picker"] button[data-digit="all"]').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.digits.digit === null);
  const all = await el.evaluate(async (e) => {
    await e.debug.refreshView();
    return Array.from(e.debug.digits.lastView.fake.subarray(0, 784 * 4));
  });
  assert.ok(sevens.some((v, i) => v !== all[i]), 'asking for a 7 changes the samples');
  assert.deepEqual(realProblems(problems), []);
  await page.close();
});

test('checkpoints: save and load back; a corrupt file is reported and training goes on', { timeout: 300_000 }, async () => {
  const { page, problems, el } = await open();
  await pickDigitPreset(page, el, 'dcgan_mnist');
  await el.evaluate((e) => e.step(3));

  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.locator('gan-playground button[name="save-checkpoint"]').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'minimax-dcgan_mnist-step3.ckpt');
  const saved = readFileSync(await download.path());
  assert.ok(saved.length > 1000, `checkpoint of ${saved.length} bytes`);
  const savedLosses = await el.evaluate((e) => Array.from(e.history.dLoss));

  // Corrupt bytes through the file input, while training plays: a message, nothing else changes.
  await page.locator('gan-playground button[name="play"]').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').stats.step >= 4, null, { timeout: 60_000 });
  const garbage = Buffer.concat([Buffer.from('not a checkpoint'), randomBytes(4096)]);
  await page.locator('gan-playground input[name="checkpoint-file"]').setInputFiles({ name: 'broken.ckpt', mimeType: 'application/octet-stream', buffer: garbage });
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.errorText !== '', null, { timeout: 60_000 });
  const message = await errorText(el);
  assert.match(message, /checkpoint/, message);
  assert.match(message, /Training continues on the CPU model/);
  const stepAfterError = await el.evaluate((e) => e.stats.step);
  await page.waitForFunction((s) => document.querySelector('gan-playground').stats.step > s, stepAfterError, { timeout: 60_000 });
  assert.equal(await el.evaluate((e) => e.playing), true, 'training kept playing');
  assert.equal(await el.evaluate((e) => e.mode), 'digits');
  await el.evaluate((e) => e.pause());

  // The saved file loads back: step 3 and its loss history.
  await page.locator('gan-playground input[name="checkpoint-file"]').setInputFiles({ name: 'mine.ckpt', mimeType: 'application/octet-stream', buffer: saved });
  // The step reads 3 as soon as the loaded model is installed; the notice follows once the load
  // has finished (CI once caught the old notice still showing in between).
  await page.waitForFunction(() => document.querySelector('gan-playground').stats.step === 3 &&
    /^Loaded mine\.ckpt at step 3\./.test(document.querySelector('gan-playground').shadowRoot.querySelector('[data-banner="notice"]').textContent),
  null, { timeout: 60_000 });
  assert.equal(await errorText(el), '');
  const restored = await el.evaluate((e) => ({ losses: Array.from(e.history.dLoss), presetId: e.presetId }));
  assert.deepEqual(restored.losses, savedLosses, 'the loss history came back');
  assert.equal(restored.presetId, 'dcgan_mnist', 'the config is the preset’s');
  assert.equal((await el.evaluate((e) => e.step(1))).step, 4, 'training continues from the checkpoint');
  assert.deepEqual(realProblems(problems), []);
  await page.close();
});

test('"Load pretrained digits" loads the pretrained run from the 2-D mode', { timeout: 300_000 }, async (t) => {
  if (!existsSync(PRETRAINED)) return t.skip(`${PRETRAINED} does not exist yet (the pretrained checkpoint is not committed)`);
  const { page, problems, el } = await open();
  assert.equal(await el.evaluate((e) => e.mode), '2d');
  await page.locator('gan-playground button[name="load-pretrained"]').click();
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.mode === 'digits' && e.debug.digits.quality !== null;
  }, null, { timeout: 120_000 });
  assert.equal(await errorText(el), '');
  assert.match(await text(el, '[data-banner="notice"]'), /^Loaded the pretrained digits at step [\d,]+\./);
  const { step, historyLength, quality } = await el.evaluate((e) => ({ step: e.stats.step, historyLength: e.debug.historyLength, quality: e.debug.digits.quality }));
  assert.ok(step > 100, `pretrained for ${step} steps`);
  assert.equal(historyLength, step, 'the loss history came with it');
  assert.ok(quality.classifierScore > 5, `pretrained digits look like digits: score ${quality.classifierScore}`);
  assert.ok(quality.classesCovered >= 8, `and cover the classes: ${quality.classesCovered}/10`);

  // Data augmentation, measured live with the pretrained (class-conditional) G: three arms.
  assert.equal(await text(el, 'button[name="measure-augmentation"]'), 'Measure (seed 1)');
  const started = Date.now();
  await page.locator('gan-playground button[name="measure-augmentation"]').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.digits.augmentation.length === 1, null, { timeout: 240_000 });
  const seconds = (Date.now() - started) / 1000;
  const [result] = await el.evaluate((e) => e.debug.digits.augmentation);
  assert.deepEqual(result.arms.map((a) => [a.name, a.trainDigits]), [
    ['real only', 100], ['real + classic augmentation', 1100], ['real + conditional GAN digits', 1100],
  ]);
  assert.ok(result.arms.every((a) => a.accuracy > 0.3 && a.accuracy <= 1), JSON.stringify(result.arms));
  assert.equal(result.ganNote, '');
  const rows = await el.evaluate((e) => [...e.shadowRoot.querySelectorAll('[data-augment="table"] tbody tr')].map((r) => r.textContent));
  assert.equal(rows.length, 3);
  assert.equal(await text(el, 'button[name="measure-augmentation"]'), 'Measure (seed 2)');
  assert.equal(await el.evaluate((e) => e.stats.step), step, 'the GAN did not train meanwhile');
  console.log(`# augmentation live (seed 1, 10 real/class, +100, 300 steps, ${seconds.toFixed(0)} s): ` +
    result.arms.map((a) => `${a.name} ${(100 * a.accuracy).toFixed(1)} %`).join(', '));
  assert.deepEqual(realProblems(problems), []);
  await page.close();
});

test('missing or bad assets are reported; the training goes on', { timeout: 300_000 }, async () => {
  const { page, el } = await open();
  const full = readFileSync(`${DIST}/assets/mnist.bin`);
  let mnist = 'missing';
  await page.route('**/assets/mnist.bin', (route) => {
    if (mnist === 'missing') return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' });
    if (mnist === 'truncated') return route.fulfill({ status: 200, contentType: 'application/octet-stream', body: full.subarray(0, 100_000) });
    return route.continue();
  });
  await el.evaluate((e) => e.step(3));

  await page.locator('gan-playground select#preset').selectOption('dcgan_mnist');
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.errorText !== '', null, { timeout: 60_000 });
  assert.match(await errorText(el), /MNIST asset missing \(404\): run scripts\/setup\.sh/);
  assert.equal(await el.evaluate((e) => e.mode), '2d');
  assert.equal(await isHidden(el, '[data-part="asset-progress"]'), true, 'no progress line left behind');

  // Failed assets are not kept: each attempt fetches again (here Rust rejects the bytes, then
  // they are fine).
  mnist = 'truncated';
  await page.locator('gan-playground button[name="dismiss"]').click();
  assert.equal((await el.evaluate((e) => e.loadPreset('dcgan_mnist'))).ok, false);
  const message = await errorText(el);
  assert.match(message, /MNIST asset/, message);
  assert.match(message, /Training continues on the CPU model/);
  assert.equal(await el.evaluate((e) => e.mode), '2d');
  assert.equal(await isHidden(el, '[data-part="data-space"]'), false, 'the 2-D panels stay');
  assert.equal((await el.evaluate((e) => e.step(2))).step, 5, 'the 2-D run goes on');

  // No pretrained checkpoint in the build.
  await page.route('**/assets/dcgan-mnist.ckpt', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.locator('gan-playground button[name="dismiss"]').click();
  await page.locator('gan-playground button[name="load-pretrained"]').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').debug.errorText !== '', null, { timeout: 60_000 });
  assert.match(await errorText(el), /^Pretrained digits missing \(404\): assets\/dcgan-mnist\.ckpt is not in this build\.$/);
  assert.equal(await el.evaluate((e) => e.mode), '2d');

  // Without the classifier the digits train, and the quality panel says why it has no numbers.
  mnist = 'real';
  await page.route('**/assets/classifier.bpk', (route) => route.fulfill({ status: 404, body: 'not found' }));
  assert.equal((await el.evaluate((e) => e.loadPreset('dcgan_mnist'))).ok, true, await errorText(el));
  assert.equal((await el.evaluate((e) => e.step(1))).step, 1);
  assert.equal(await isHidden(el, '[data-quality="problem"]'), false);
  assert.match(await text(el, '[data-quality="problem"]'), /^Quality scores unavailable: Classifier asset missing \(404\)/);
  assert.equal(await text(el, '[data-quality="score"]'), '–');
  await page.close();
});

test('choosing the dataset "mnist" loads the DCGAN preset; a 2-D dataset goes back to 2-D', { timeout: 300_000 }, async () => {
  const { page, problems, el } = await open();
  const dataset = page.locator('gan-playground .field[data-path="data.dataset"] select');
  await dataset.selectOption('mnist');
  // The preset id is set once the change has applied, a moment after the digit model is current.
  await page.waitForFunction(() => document.querySelector('gan-playground').presetId === 'dcgan_mnist', null, { timeout: 120_000 });
  assert.equal(await el.evaluate((e) => e.mode), 'digits');
  assert.match(await text(el, '[data-banner="notice"]'), /MNIST digits need the DCGAN networks: loaded the preset/);
  assert.equal(await el.evaluate((e) => e.config.generator.kind), 'dcgan');

  const twoD = await dataset.evaluate((s) => [...s.options].map((o) => o.value).find((v) => v !== 'mnist' && v !== 'drawn'));
  await dataset.selectOption(twoD);
  // The notice comes once the change has applied, a moment after the 2-D model is current.
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.mode === '2d' && /2-D data uses/.test(e.shadowRoot.querySelector('[data-banner="notice"]').textContent);
  }, null, { timeout: 60_000 });
  assert.match(await text(el, '[data-banner="notice"]'), /2-D data uses the MLP networks/);
  const config = await el.evaluate((e) => e.config);
  assert.equal(config.data.dataset, twoD);
  assert.equal(config.generator.kind, 'mlp');
  assert.equal(await isHidden(el, '[data-part="digit-panels"]'), true);
  assert.equal(await isHidden(el, '[data-part="data-space"]'), false);
  assert.equal((await el.evaluate((e) => e.step(5))).step, 5);
  assert.equal(await errorText(el), '');
  assert.deepEqual(realProblems(problems), []);
  await page.close();
});

// WebGPU on a software adapter (SwiftShader) compiles every shader on first use and runs a
// DCGAN step slowly: allow minutes.
test('WebGPU: the DCGAN trains a step (slow on SwiftShader); a lost device goes on on the CPU', { timeout: 900_000 }, async () => {
  const { page, problems, el } = await open('webgpu', 300_000);
  const result = await el.evaluate((e) => e.loadPreset('dcgan_mnist'));
  assert.equal(result.ok, true, JSON.stringify(result.errors) + (await errorText(el)));
  assert.equal(await el.evaluate((e) => e.stats.backend), 'webgpu');
  assert.equal(await el.evaluate((e) => e.mode), 'digits');
  const stats = await el.evaluate((e) => e.step(1));
  assert.ok(stats.step >= 1, `trained ${stats.step} step`);
  assert.ok(Number.isFinite(stats.dLoss) && Number.isFinite(stats.gLoss), JSON.stringify(stats));
  const grid = await canvasError(el, 'canvas[data-digits="fake"]', 'lastView.fake', 8, await el.evaluate((e) => e.debug.digits.ends));
  assert.ok(grid.worst <= 1 && grid.distinct > 1, `the grid shows the generated digits: ${JSON.stringify(grid)}`);

  // The copy in page memory was taken after the first step; two more, then the device goes.
  assert.equal(await el.evaluate((e) => e.debug.snapshotStep), 1);
  await el.evaluate((e) => e.step(2));
  const copy = await el.evaluate((e) => e.debug.snapshotStep); // 1, or later if a step took 5 s
  const lost = el.evaluate((e) => new Promise((resolve) => e.addEventListener('devicelost', (ev) => resolve(ev.detail), { once: true })));
  assert.ok((await el.evaluate((e) => e.debug.loseGpu())) >= 1, 'the engine worker opened a device');
  const detail = await lost;
  assert.deepEqual({ step: detail.step, lostSteps: detail.lostSteps }, { step: copy, lostSteps: 3 - copy });
  const after = await el.evaluate((e) => ({ backend: e.stats.backend, mode: e.mode, preset: e.presetId, history: e.debug.historyLength }));
  assert.deepEqual(after, { backend: 'cpu', mode: 'digits', preset: 'dcgan_mnist', history: copy });
  const cpu = await el.evaluate((e) => e.step(1));
  assert.equal(cpu.step, copy + 1);
  assert.ok(Number.isFinite(cpu.dLoss) && Number.isFinite(cpu.gLoss), JSON.stringify(cpu));
  // cubecl logs the loss itself (through Rust's logger); nothing else may go wrong.
  assert.deepEqual(realProblems(problems).filter((p) => !/^console\.error: \[cubecl_wgpu::compute::device_poison\] the wgpu device was lost \(Destroyed\): /.test(p)), []);
  await page.close();
});
