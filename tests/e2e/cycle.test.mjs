// End-to-end tests of CycleGAN in the page (issue 23): the "CycleGAN: two moons → ring" preset
// builds a CyclePlayground in the engine worker, trains on the CPU and on WebGPU, draws both
// directions of the translation (lines x → G(x), round trips, D_Y or D_X as the heat map) with
// its metrics, lowers the cycle error, survives a checkpoint round trip and hands back to a GAN
// from noise when another preset is picked.
// Run: node --test tests/e2e/
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';
const RESULTS = process.env.RESULTS_DIR || 'test-results';

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

/** Opens the page on `backend` and loads the CycleGAN preset. */
async function openCycle(backend, readyTimeout) {
  const { page, problems } = await openPlayground(browser.context, server.url, backend);
  const el = page.locator('gan-playground');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: readyTimeout });
  const loaded = await el.evaluate((e) => e.loadPreset('cyclegan_2017'));
  assert.equal(loaded.ok, true, JSON.stringify(loaded));
  assert.equal(await el.evaluate((e) => e.mode), 'cycle');
  return { page, problems, el };
}

/** What the data-space panel shows of the last view. */
const shown = (el) => el.evaluate(async (e) => {
  await e.debug.refreshView();
  const q = (s) => e.shadowRoot.querySelector(s);
  const v = e.debug.lastView;
  return {
    kind: v.kind,
    lengths: Object.fromEntries(['source', 'translated', 'roundTrip', 'real', 'translatedBack', 'roundTripBack'].map((k) => [k, v[k]?.length])),
    heat: [v.heat.length, v.heatSource?.length],
    metrics: e.metrics,
    drawn: e.debug.drawn,
    readout: q('[data-part="cycle-metrics"]').textContent,
    readoutHidden: q('[data-part="cycle-metrics"]').hidden,
    heatLabel: q('[data-heat="label"]').textContent,
    legend: ['source', 'real', 'fake', 'round-trip'].map((k) => q(`[data-legend="${k}"]`).textContent),
    hidden: Object.fromEntries(['dstar-panel', 'likelihood', 'divergence-plot', 'data-space', 'value-plot'].map((p) => [p, q(`[data-part="${p}"]`).hidden])),
  };
});

test('CycleGAN on the CPU: the preset trains, draws both directions, lowers the cycle error and survives a checkpoint', { timeout: 300_000 }, async () => {
  const { page, problems, el } = await openCycle('cpu', 120_000);
  const first = await shown(el);
  assert.equal(first.kind, 'cycle');
  assert.deepEqual(first.lengths, { source: 1024, translated: 1024, roundTrip: 1024, real: 1024, translatedBack: 1024, roundTripBack: 1024 });
  assert.equal(first.heat[0], first.heat[1], 'D_X and D_Y on the same grid');
  assert.equal(first.metrics.modesTotal, 8, 'Y is the 8-mode ring');
  assert.equal(first.metrics.sourceModesTotal, null, 'two moons is not a mixture');
  assert.deepEqual(first.hidden, { 'dstar-panel': true, likelihood: true, 'divergence-plot': true, 'data-space': false, 'value-plot': false });
  assert.equal(first.readoutHidden, false);
  assert.deepEqual(first.legend, ['x ∈ X (source)', 'y ∈ Y (target)', 'G(x)', 'F(G(x)): round trip']);
  assert.equal(first.heatLabel, 'D_Y');
  assert.deepEqual([first.drawn.links, first.drawn.roundTrips], [512, 512], 'a line and a round trip per view point');

  const stats = await el.evaluate((e) => e.step(600));
  assert.equal(stats.step, 600);
  for (const k of ['dLoss', 'gLoss', 'value', 'gradNorm']) assert.ok(Number.isFinite(stats[k]), `${k} is finite`);
  const trained = await shown(el);
  const m = trained.metrics;
  assert.ok(m.cycleError < first.metrics.cycleError / 2, `cycle error ${first.metrics.cycleError} → ${m.cycleError}`);
  assert.ok(m.modesCovered >= 5, `G(X) reaches ${m.modesCovered} of 8 modes after 600 steps`);
  assert.match(trained.readout, new RegExp(`^G\\(X\\) covers ${m.modesCovered}/8 modes · high quality [\\d.]+% · cycle error \\|F\\(G\\(x\\)\\) − x\\| ${m.cycleErrorX.toFixed(3)} · \\|G\\(F\\(y\\)\\) − y\\| ${m.cycleErrorY.toFixed(3)}$`));
  await page.locator('gan-playground [data-part="data-space"]').screenshot({ path: `${RESULTS}/cycle-data-space.png` });
  console.log(`# CycleGAN two moons → ring8, 600 steps on the CPU: cycle error ${first.metrics.cycleError.toFixed(3)} → ${m.cycleError.toFixed(3)}, modes ${m.modesCovered}/8, high quality ${(100 * m.highQuality).toFixed(1)} %`);

  // The other direction: F and D_X.
  await el.evaluate((e) => {
    const select = e.shadowRoot.querySelector('select[name="cycle-direction"]');
    select.value = 'yx';
    select.dispatchEvent(new Event('change'));
  });
  const back = await shown(el);
  assert.deepEqual(back.legend, ['y ∈ Y (source)', 'x ∈ X (target)', 'F(y)', 'G(F(y)): round trip']);
  assert.equal(back.heatLabel, 'D_X');
  assert.deepEqual([back.drawn.links, back.drawn.roundTrips], [512, 512]);
  await page.screenshot({ path: `${RESULTS}/cycle-cpu.png`, fullPage: true });

  // A checkpoint: the file continues the same translation run.
  const saved = await el.evaluate(async (e) => Array.from(await e.saveCheckpoint()));
  await el.evaluate((e) => e.step(20));
  const original = await el.evaluate((e) => Array.from(e.history.dLoss));
  const good = await el.evaluate((e, bytes) => e.loadCheckpoint(new Uint8Array(bytes), 'cycle.ckpt'), saved);
  assert.equal(good, true, await el.evaluate((e) => e.debug.errorText));
  const loaded = await el.evaluate((e) => ({ step: e.stats.step, mode: e.mode, source: e.config.cycle.source }));
  assert.deepEqual(loaded, { step: 600, mode: 'cycle', source: 'two_moons' });
  await el.evaluate((e) => e.step(20));
  const resumed = await el.evaluate((e) => Array.from(e.history.dLoss));
  assert.equal(resumed[600], original[600], 'the networks and random streams came back exactly');

  // A field CycleGAN runs refuse is named; the run goes on.
  const refused = await el.evaluate((e) => e.setConfig({ stabilizers: { packing: 2 } }));
  assert.equal(refused.ok, false);
  assert.match(await el.evaluate((e) => e.debug.errorText), /packing is not part of CycleGAN runs/);
  assert.equal((await el.evaluate((e) => e.step(1))).step, 621);

  // Another preset: back to a GAN from noise and its panels.
  await el.evaluate((e) => e.loadPreset('gan_2014'));
  const gan = await shown(el);
  assert.equal(await el.evaluate((e) => e.mode), '2d');
  assert.equal(gan.kind, undefined);
  assert.equal(gan.hidden['dstar-panel'], false);
  assert.equal(gan.readoutHidden, true);
  assert.deepEqual(gan.legend.slice(1, 3), ['real data', 'generated']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('CycleGAN from the form: choosing a source domain switches the run, λ changes live, "off" switches back', { timeout: 180_000 }, async () => {
  const { page, problems } = await openPlayground(browser.context, server.url, 'cpu');
  const el = page.locator('gan-playground');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
  const source = page.locator('gan-playground .field[data-path="cycle.source"] select');
  const lambda = page.locator('gan-playground .field[data-path="cycle.cycle_weight"]');
  assert.equal(await source.inputValue(), 'off');
  assert.equal(await lambda.isVisible(), false, 'λ is hidden while CycleGAN is off');
  assert.match(await page.locator('gan-playground .field[data-path="cycle.source"]').textContent(), /↻/, 'a new source restarts the run');

  await source.selectOption('two_moons');
  await page.waitForFunction(() => document.querySelector('gan-playground').mode === 'cycle', null, { timeout: 60_000 });
  await lambda.waitFor({ state: 'visible' });
  assert.equal(await el.evaluate((e) => e.config.cycle.source), 'two_moons');
  await el.evaluate((e) => e.step(5));

  const box = lambda.locator('input[type="number"]');
  await box.fill('0');
  await box.press('Enter');
  await page.waitForFunction(() => document.querySelector('gan-playground').config.cycle.cycle_weight === 0);
  assert.equal(await el.evaluate((e) => e.stats.step), 5, 'λ changes on the running networks');

  await source.selectOption('off');
  await page.waitForFunction(() => document.querySelector('gan-playground').mode === '2d', null, { timeout: 60_000 });
  assert.equal(await el.evaluate((e) => e.config.cycle?.source ?? null), null);
  await lambda.waitFor({ state: 'hidden' });
  assert.equal((await el.evaluate((e) => e.step(2))).step, 2, 'a GAN from noise trains from step 0');
  assert.deepEqual(problems, []);
  await page.close();
});

// A reader's link carries the translation setup: a fresh page opens in CycleGAN mode with the
// same config (λ changed from the preset's included) and trains it.
test('CycleGAN share link: a fresh page opens the same translation run', { timeout: 300_000 }, async () => {
  const { page, problems, el } = await openCycle('cpu', 120_000);
  const changed = await el.evaluate((e) => e.setConfig({ cycle: { cycle_weight: 5 } }));
  assert.equal(changed.ok, true, JSON.stringify(changed));
  const { link, code, config } = await el.evaluate((e) => ({ link: e.shareLink(), code: e.embedCode(), config: e.config }));
  assert.equal(config.cycle.cycle_weight, 5);
  assert.match(link, /#playground=/);
  assert.match(code, /<gan-playground preset="cyclegan_2017" config='\{"cycle":\{"cycle_weight":5\}\}'><\/gan-playground>$/);
  assert.deepEqual(problems, []);
  await page.close();

  const { page: shared, problems: sharedProblems } = await openPlayground(browser.context, link, 'cpu', { path: '' });
  await shared.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
  const opened = shared.locator('gan-playground');
  await shared.waitForFunction(() => document.querySelector('gan-playground').mode === 'cycle', null, { timeout: 60_000 });
  assert.deepEqual(await opened.evaluate((e) => e.config), config);
  const stats = await opened.evaluate((e) => e.step(30));
  assert.equal(stats.step, 30);
  const view = await shown(opened);
  assert.equal(view.kind, 'cycle');
  assert.deepEqual([view.drawn.links, view.drawn.roundTrips], [512, 512]);
  assert.deepEqual(sharedProblems, []);
  await shared.close();
});

// The first WebGPU step on a software adapter (SwiftShader) compiles shaders: allow minutes.
test('CycleGAN on WebGPU: the preset trains and draws its views', { timeout: 600_000 }, async () => {
  const { page, problems, el } = await openCycle('webgpu', 300_000);
  assert.equal(await el.evaluate((e) => e.stats.backend), 'webgpu');
  const first = await shown(el);
  const stats = await el.evaluate((e) => e.step(60));
  assert.equal(stats.step, 60);
  for (const k of ['dLoss', 'gLoss', 'value']) assert.ok(Number.isFinite(stats[k]), `${k} is finite`);
  const trained = await shown(el);
  assert.equal(trained.kind, 'cycle');
  assert.ok(trained.metrics.cycleError < first.metrics.cycleError, `cycle error ${first.metrics.cycleError} → ${trained.metrics.cycleError}`);
  assert.deepEqual([trained.drawn.links, trained.drawn.roundTrips], [512, 512]);
  await page.screenshot({ path: `${RESULTS}/cycle-webgpu.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
