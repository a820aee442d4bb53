// End-to-end tests of the CycleGAN digit translator in the page (issue 23): the preset
// "CycleGAN: thin digits → thick digits" builds a DigitCyclePlayground in the engine worker,
// trains on the CPU (and a step on WebGPU), draws x / G(x) / F(G(x)) and y / F(y) / G(F(y)) for
// held-out digits, measures the label kept, the ink and the cycle error, survives a checkpoint
// round trip, loads the shipped translator and hands back to other modes from the form.
// Run: node --test tests/e2e/digit-cycle.test.mjs
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';
const RESULTS = process.env.RESULTS_DIR || 'test-results';
const DIGITS = 6 * 8 * 784; // six rows of eight digits

let server;
let browser;

before(async () => {
  assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html not found: build the page first (trunk build --release)`);
  mkdirSync(RESULTS, { recursive: true });
  server = await serveDirectory(DIST);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// Chromium reports a fetch read through a stream reader (the progress line) as ERR_ABORTED about
// half the time although every byte arrives (see digits.test.mjs): only those are ignored.
const STREAMED = /^request failed: \S+\/assets\/(mnist\.bin|cyclegan-mnist\.ckpt) net::ERR_ABORTED$/;
const realProblems = (problems) => problems.filter((p) => !STREAMED.test(p));
const isHidden = (el, selector) => el.evaluate((e, s) => e.shadowRoot.querySelector(s).closest('[hidden]') !== null, selector);
const text = (el, selector) => el.evaluate((e, s) => e.shadowRoot.querySelector(s).textContent, selector);

/** Opens the page on `backend`, picks the translator preset in the menu and waits for its view. */
async function openTranslator(backend, readyTimeout) {
  const { page, problems } = await openPlayground(browser.context, server.url, backend);
  const el = page.locator('gan-playground');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: readyTimeout });
  await page.locator('gan-playground select#preset').selectOption('cyclegan_mnist');
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.presetId === 'cyclegan_mnist' && e.mode === 'digit-cycle' && e.debug.digits.translation.pixels !== null;
  }, null, { timeout: readyTimeout });
  return { page, problems, el };
}

/** Waits for the translator's numbers measured at the run's current step (the panel measures a
 * new run at once, and where training pauses: after the chunk that was in flight, so the step
 * to wait for is the one the element shows once that chunk is in). */
async function measuredNow(page, el) {
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    const when = e.shadowRoot.querySelector('[data-translation="when"]').textContent;
    return e.metrics !== null && when.startsWith(`at step ${e.stats.step.toLocaleString('en-US')},`);
  }, null, { timeout: 120_000 });
  return el.evaluate((e) => e.metrics);
}

test('digit translator on the CPU: the preset trains, draws the translation rows, measures it and survives a checkpoint', { timeout: 300_000 }, async () => {
  const { page, problems, el } = await openTranslator('cpu', 120_000);
  assert.equal(await el.evaluate((e) => e.stats.backend), 'cpu');
  assert.equal(await el.evaluate((e) => e.debug.digits.translation.pixels.length), DIGITS);
  assert.equal(await isHidden(el, '[data-digits="translation"]'), false);
  assert.equal(await isHidden(el, '[data-digits="quality"]'), true, 'the digit GAN panels are hidden');
  assert.equal(await isHidden(el, '[data-part="data-space"]'), true);
  const rows = await el.evaluate((e) => [...e.shadowRoot.querySelectorAll('.translation-rows li')].map((li) => li.textContent));
  assert.deepEqual(rows, ['x ∈ X (MNIST)', 'G(x): to thick', 'F(G(x)): round trip', 'y ∈ Y (thick)', 'F(y): to thin', 'G(F(y)): round trip']);

  const first = await measuredNow(page, el);
  assert.ok(first.samples >= 495 && first.samples <= 505, `${first.samples} held-out digits per domain`);
  assert.ok(first.inkY > 1.5 * first.inkX, `thick digits hold more ink: ${first.inkX} vs ${first.inkY}`);
  // Play, then pause: the numbers for where training stopped.
  await el.evaluate((e) => e.play());
  await page.waitForFunction(() => document.querySelector('gan-playground').stats.step >= 20, null, { timeout: 120_000 });
  await el.evaluate((e) => e.pause());
  const m = await measuredNow(page, el);
  const stats = await el.evaluate((e) => e.stats);
  assert.ok(stats.step >= 20, `paused at step ${stats.step}`);
  for (const k of ['dLoss', 'gLoss', 'value', 'gradNorm']) assert.ok(Number.isFinite(stats[k]), `${k} is finite`);
  for (const k of ['labelKeptX', 'labelKeptY', 'inkX', 'inkGx', 'inkY', 'inkFy']) assert.ok(m[k] >= 0 && m[k] <= 1, `${k} = ${m[k]}`);
  assert.ok(m.classifierScoreGx >= 1 && m.classifierScoreGx <= 10);
  assert.match(await text(el, '[data-translation="kept-x"]'), /^\d+\.\d %$/);
  assert.match(await text(el, '[data-translation="when"]'), /^at step [\d,]+, \d+ digits per domain$/);

  // A checkpoint: the file continues the same translation run.
  const saved = await el.evaluate(async (e) => Array.from(await e.saveCheckpoint()));
  await el.evaluate((e) => e.step(3));
  const original = await el.evaluate((e) => Array.from(e.history.dLoss));
  const good = await el.evaluate((e, bytes) => e.loadCheckpoint(new Uint8Array(bytes), 'translator.ckpt'), saved);
  assert.equal(good, true, await el.evaluate((e) => e.debug.errorText));
  assert.deepEqual(await el.evaluate((e) => ({ step: e.stats.step, mode: e.mode })), { step: stats.step, mode: 'digit-cycle' });
  await el.evaluate((e) => e.step(3));
  assert.equal(await el.evaluate((e, i) => e.history.dLoss[i], stats.step), original[stats.step], 'the networks and random streams came back exactly');

  // A field a digit translation refuses is named; the run goes on.
  const refused = await el.evaluate((e) => e.setConfig({ data: { conditional: true } }));
  assert.equal(refused.ok, false);
  assert.match(await el.evaluate((e) => e.debug.errorText), /a translator keeps the digit it is given/);
  assert.equal((await el.evaluate((e) => e.step(1))).step, stats.step + 4);
  assert.deepEqual(realProblems(problems), []);
  await page.close();
});

test('"Load pretrained translator": the shipped CycleGAN keeps the digit and thickens the strokes', { timeout: 300_000 }, async () => {
  const { page, problems } = await openPlayground(browser.context, server.url, 'cpu');
  const el = page.locator('gan-playground');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
  await page.locator('gan-playground button[name="load-pretrained-cyclegan"]').click();
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.mode === 'digit-cycle' && e.metrics !== null;
  }, null, { timeout: 120_000 });
  assert.equal(await el.evaluate((e) => e.debug.errorText), '');
  assert.match(await text(el, '[data-banner="notice"]'), /^Loaded the pretrained digit translator at step [\d,]+\./);
  const m = await el.evaluate((e) => e.metrics);
  assert.ok(m.labelKeptX >= 0.8 && m.labelKeptY >= 0.8, `label kept ${m.labelKeptX} / ${m.labelKeptY}`);
  assert.ok(Math.abs(m.inkGx - m.inkY) < Math.abs(m.inkGx - m.inkX), `G(x) has Y's ink: ${JSON.stringify(m)}`);
  await page.locator('gan-playground [data-digits="translation"]').screenshot({ path: `${RESULTS}/digit-cycle-pretrained.png` });
  console.log(`# pretrained digit translator in the page: label kept ${(100 * m.labelKeptX).toFixed(1)} % (G) / ${(100 * m.labelKeptY).toFixed(1)} % (F), ink x ${m.inkX.toFixed(3)} → G(x) ${m.inkGx.toFixed(3)} (y ${m.inkY.toFixed(3)}), cycle error ${m.cycleError.toFixed(3)}, classifier score of G(X) ${m.classifierScoreGx.toFixed(2)}`);

  // The form: a 2-D dataset goes back to a 2-D GAN; thick digits bring the translator back.
  const dataset = page.locator('gan-playground .field[data-path="data.dataset"] select');
  await dataset.selectOption('ring8');
  await page.waitForFunction(() => document.querySelector('gan-playground').mode === '2d', null, { timeout: 60_000 });
  await dataset.selectOption('mnist_thick');
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.mode === 'digit-cycle' && /Translating digits/.test(e.shadowRoot.querySelector('[data-banner="notice"]').textContent);
  }, null, { timeout: 120_000 });
  assert.equal(await el.evaluate((e) => e.presetId), 'cyclegan_mnist');
  assert.match(await text(el, '[data-banner="notice"]'), /Translating digits needs the translator networks/);
  assert.deepEqual(realProblems(problems), []);
  await page.close();
});

// WebGPU on a software adapter (SwiftShader) compiles every shader on first use: allow minutes.
test('digit translator on WebGPU: the preset trains a step and draws its rows', { timeout: 600_000 }, async () => {
  const { page, problems, el } = await openTranslator('webgpu', 300_000);
  assert.equal(await el.evaluate((e) => e.stats.backend), 'webgpu');
  const stats = await el.evaluate((e) => e.step(2));
  assert.equal(stats.step, 2);
  for (const k of ['dLoss', 'gLoss', 'value']) assert.ok(Number.isFinite(stats[k]), `${k} is finite`);
  await el.evaluate((e) => e.debug.refreshView());
  assert.equal(await el.evaluate((e) => e.debug.digits.translation.pixels.length), DIGITS);
  assert.deepEqual(realProblems(problems), []);
  await page.close();
});
