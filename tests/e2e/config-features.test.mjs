// End-to-end tests of the config features on the CPU backend: schema-driven bool and `when`
// fields, stabilizer chips on a running training, presets, user-drawn data, and the Dirac-GAN
// panel. Run: node --test tests/e2e/
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';

let server;
let browser;

before(async () => {
  assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html not found: build the page first (trunk build --release)`);
  server = await serveDirectory(DIST);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openCpu() {
  const { page, problems } = await openPlayground(browser.context, server.url, 'cpu');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
  return { page, problems, el: page.locator('gan-playground') };
}

const configAt = (el, path) => el.evaluate((e, p) => p.split('.').reduce((o, k) => o[k], e.config), path);

test('a bool field and a `when` field follow the schema', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.step(3));

  const box = page.locator('gan-playground .field[data-path="stabilizers.spectral_norm"] input[type="checkbox"]');
  assert.equal(await box.isChecked(), false);
  await box.check();
  await page.waitForFunction(() => document.querySelector('gan-playground').config.stabilizers.spectral_norm === true);
  assert.equal(await el.evaluate((e) => e.stats.step), 3, 'a live change keeps the step');

  // The weight clip is only used by wgan: hidden until the objective is wgan.
  const clip = page.locator('gan-playground .field[data-path="objective.clip"]');
  assert.equal(await clip.isVisible(), false);
  await page.locator('gan-playground .field[data-path="objective.kind"] select').selectOption('wgan');
  await clip.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('gan-playground').config.objective.kind === 'wgan');
  // Hidden again as soon as the controlling field changes back.
  await page.locator('gan-playground .field[data-path="objective.kind"] select').selectOption('non_saturating');
  await clip.waitFor({ state: 'hidden' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the label smoothing chip switches on a running training without a restart', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  const chip = page.locator('gan-playground .chip[data-chip="label_smoothing"] button');
  assert.equal(await chip.getAttribute('aria-pressed'), 'false');
  assert.ok((await page.locator('gan-playground .chip[data-chip="label_smoothing"] p').textContent()).length > 20,
    'the explanation is shown');
  await page.locator('gan-playground button[name="play"]').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').stats.step >= 30, null, { timeout: 60_000 });
  const stepBefore = await el.evaluate((e) => e.stats.step);
  await chip.click();
  await page.waitForFunction(() => document.querySelector('gan-playground').config.stabilizers.label_smoothing === 0.1);
  assert.equal(await chip.getAttribute('aria-pressed'), 'true');
  assert.equal(await el.evaluate((e) => e.playing), true, 'still training');
  await page.waitForFunction((n) => document.querySelector('gan-playground').stats.step > n + 20, stepBefore, { timeout: 60_000 });
  await el.evaluate((e) => e.pause());
  const after = await el.evaluate((e) => ({ step: e.stats.step, history: e.debug.historyLength }));
  assert.ok(after.step > stepBefore, `step went on from ${stepBefore} to ${after.step}`);
  assert.equal(after.history, after.step, 'the loss history was kept');
  // Under a critic objective the chip says it has no effect.
  const wrapper = page.locator('gan-playground .chip[data-chip="label_smoothing"]');
  assert.equal(await wrapper.evaluate((c) => c.classList.contains('inert')), false);
  await el.evaluate((e) => e.setConfig({ objective: { kind: 'wgan' } }));
  await page.waitForFunction(() => document.querySelector('gan-playground').shadowRoot
    .querySelector('.chip[data-chip="label_smoothing"]').classList.contains('inert'));
  assert.match(await wrapper.locator('.chip-state').textContent(), /no effect/);
  await el.evaluate((e) => e.setConfig({ objective: { kind: 'non_saturating' } }));
  // Clicking again switches it off.
  await chip.click();
  await page.waitForFunction(() => document.querySelector('gan-playground').config.stabilizers.label_smoothing === 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the packing chip gives D fresh weights while the step goes on', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.step(10));
  await page.locator('gan-playground .chip[data-chip="packing"] button').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').config.stabilizers.packing === 4);
  const notice = page.locator('gan-playground [data-banner="notice"]');
  await notice.waitFor({ state: 'visible' });
  assert.match(await notice.textContent(), /D re-initialised.*G keeps training/);
  assert.equal(await el.evaluate((e) => e.stats.step), 10);
  const stats = await el.evaluate((e) => e.step(5));
  assert.equal(stats.step, 15);
  assert.ok(Number.isFinite(stats.dLoss) && Number.isFinite(stats.gLoss), 'losses are finite');
  // The same through setConfig's result: D reset, no restart.
  const result = await el.evaluate((e) => e.setConfig({ stabilizers: { packing: 1 } }));
  assert.deepEqual(result, { ok: true, errors: [], rebuilt: false, discriminatorReset: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("R1 in units of the data's variance: the form, the chip's unit, a live change, a click back to absolute", { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.step(5));
  const result = await el.evaluate((e) => e.setConfig({ stabilizers: { gradient_penalty: 1, gradient_penalty_units: 'data_variance' } }));
  assert.deepEqual(result, { ok: true, errors: [], rebuilt: false, discriminatorReset: false });
  const units = page.locator('gan-playground .field[data-path="stabilizers.gradient_penalty_units"] select');
  await page.waitForFunction(() => document.querySelector('gan-playground').shadowRoot
    .querySelector('.field[data-path="stabilizers.gradient_penalty_units"] select').value === 'data_variance');
  const state = page.locator('gan-playground .chip[data-chip="gradient_penalty"] .chip-state');
  assert.equal(await state.textContent(), 'on · 1·σ²');
  const stats = await el.evaluate((e) => e.step(5));
  assert.equal(stats.step, 10, 'the same run goes on');
  assert.ok(Number.isFinite(stats.dLoss), `D loss ${stats.dLoss}`);
  // The chip switches R1 off and its units back; the form follows.
  await page.locator('gan-playground .chip[data-chip="gradient_penalty"] button').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').config.stabilizers.gradient_penalty === 0);
  assert.equal(await configAt(el, 'stabilizers.gradient_penalty_units'), 'absolute');
  assert.equal(await units.inputValue(), 'absolute');
  assert.equal(await state.textContent(), 'off');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the G averaging chip shows an average of G, and the learning-rate half-life is a field', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  const fakeNow = async () => {
    await el.evaluate((e) => e.debug.refreshView());
    return el.evaluate((e) => Array.from(e.debug.lastView.fake));
  };
  await el.evaluate((e) => e.step(10));
  const atSwitch = await fakeNow();
  const chip = page.locator('gan-playground .chip[data-chip="generator_ema"] button');
  await chip.click();
  await page.waitForFunction(() => document.querySelector('gan-playground').config.stabilizers.generator_ema === 0.999);
  assert.equal(await chip.getAttribute('aria-pressed'), 'true');
  assert.equal(await el.evaluate((e) => e.stats.step), 10, 'no restart');
  assert.deepEqual(await fakeNow(), atSwitch, 'the average starts at G');
  await el.evaluate((e) => e.step(20));
  const averaged = await fakeNow();
  // Off again: the views show G itself, which has moved further than its slow average.
  await chip.click();
  await page.waitForFunction(() => document.querySelector('gan-playground').config.stabilizers.generator_ema === 0);
  const own = await fakeNow();
  const moved = (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
  assert.ok(moved(own, atSwitch) > 2 * moved(averaged, atSwitch),
    `G moved ${moved(own, atSwitch)}, its average ${moved(averaged, atSwitch)}`);

  const halfLife = page.locator('gan-playground .field[data-path="train.lr_half_life"] input[type="number"]');
  await halfLife.fill('5000');
  await halfLife.press('Enter');
  await page.waitForFunction(() => document.querySelector('gan-playground').config.train.lr_half_life === 5000);
  assert.equal(await el.evaluate((e) => e.stats.step), 30, 'a live change keeps the step');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the WGAN-GP preset loads, restarts and trains with finite losses', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.step(4));
  const result = await el.evaluate((e) => e.loadPreset('wgan_gp_2017'));
  assert.equal(result.ok, true, JSON.stringify(result.errors));
  assert.equal(result.rebuilt, true);
  const state = await el.evaluate((e) => ({
    id: e.presetId,
    kind: e.config.objective.kind,
    step: e.stats.step,
    menu: e.shadowRoot.querySelector('select[name="preset"]').value,
    summary: e.shadowRoot.querySelector('.preset-summary').textContent,
  }));
  assert.deepEqual([state.id, state.kind, state.step, state.menu], ['wgan_gp_2017', 'wgan_gp', 0, 'wgan_gp_2017']);
  assert.match(state.summary, /Gulrajani/);
  const stats = await el.evaluate((e) => e.step(20));
  assert.equal(stats.step, 20);
  for (const k of ['dLoss', 'gLoss', 'value']) assert.ok(Number.isFinite(stats[k]), `${k} = ${stats[k]}`);

  // Unknown ids are rejected with the list of presets; the run is untouched.
  const bad = await el.evaluate((e) => e.loadPreset('nope'));
  assert.equal(bad.ok, false);
  assert.match(bad.errors[0].message, /wgan_gp_2017/);
  assert.equal(await el.evaluate((e) => e.stats.step), 20);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the mode recipe, picked in the menu, presses its chips and trains on the 25-mode grid', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await page.locator('gan-playground select#preset').selectOption('grid_recipe_2019');
  await page.waitForFunction(() => document.querySelector('gan-playground').presetId === 'grid_recipe_2019');
  const config = await el.evaluate((e) => e.config);
  assert.deepEqual(
    [config.data.dataset, config.train.d_steps, config.stabilizers.packing, config.stabilizers.minibatch_std, config.stabilizers.generator_ema],
    ['grid25', 2, 8, true, 0.999],
  );
  assert.deepEqual(
    [config.stabilizers.gradient_penalty, config.stabilizers.gradient_penalty_units, config.train.lr_decay_start, config.train.lr_half_life],
    [1, 'data_variance', 10000, 3000],
  );
  for (const id of ['packing', 'minibatch_std', 'generator_ema', 'more_d_steps', 'gradient_penalty']) {
    const pressed = await page.locator(`gan-playground .chip[data-chip="${id}"] button`).getAttribute('aria-pressed');
    assert.equal(pressed, 'true', `${id} chip`);
  }
  // A chip whose trick the recipe uses at another strength than the chip's own (k = 2, not 5;
  // m = 8, not 4; γ in units of the data's σ²) shows on, with the recipe's value.
  const chipState = (id) => page.locator(`gan-playground .chip[data-chip="${id}"] .chip-state`).textContent();
  assert.equal(await chipState('more_d_steps'), 'on · 2');
  assert.equal(await chipState('packing'), 'on · 8');
  assert.equal(await chipState('gradient_penalty'), 'on · 1·σ²');
  assert.match(await page.locator('gan-playground .preset-summary').textContent(), /all 25 grid modes on every seed/);
  const stats = await el.evaluate((e) => e.step(10));
  assert.equal(stats.step, 10);
  for (const k of ['dLoss', 'gLoss', 'value']) assert.ok(Number.isFinite(stats[k]), `${k} = ${stats[k]}`);
  // The same recipe on the ring: R1 stays one σ² (now the ring's), the run goes on.
  const ring = await el.evaluate((e) => e.setConfig({ data: { dataset: 'ring8' } }));
  assert.equal(ring.ok, true, JSON.stringify(ring.errors));
  assert.equal(await chipState('gradient_penalty'), 'on · 1·σ²');
  const onRing = await el.evaluate((e) => e.step(10));
  for (const k of ['dLoss', 'gLoss']) assert.ok(Number.isFinite(onRing[k]), `ring ${k} = ${onRing[k]}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('drawn data trains; bad drawn points are rejected and the old config kept', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  const points = [[-1, -1], [-1, 1], [1, -1], [1, 1], [0, 0]];
  const result = await el.evaluate((e, p) => e.setDrawnPoints(p), points);
  assert.equal(result.ok, true, JSON.stringify(result.errors));
  assert.equal(result.rebuilt, false, 'new data changes live');
  assert.equal(await configAt(el, 'data.dataset'), 'drawn');
  assert.deepEqual(await configAt(el, 'data.points'), points);
  const stats = await el.evaluate((e) => e.step(20));
  assert.equal(stats.step, 20);
  for (const k of ['dLoss', 'gLoss']) assert.ok(Number.isFinite(stats[k]), `${k} = ${stats[k]}`);
  // The real samples now come from the drawing: each lies near a drawn point.
  const real = await el.evaluate(async (e) => (await e.debug.refreshView(), Array.from(e.debug.lastView.real)));
  for (let i = 0; i < real.length; i += 2) {
    const near = Math.min(...points.map(([x, y]) => Math.hypot(real[i] - x, real[i + 1] - y)));
    assert.ok(near < 0.5, `real point (${real[i]}, ${real[i + 1]}) is ${near} from the drawing`);
  }

  const before = await el.evaluate((e) => JSON.stringify(e.config));
  const bad = await el.evaluate((e) => e.setDrawnPoints([[99, 0]]));
  assert.equal(bad.ok, false);
  assert.equal(bad.errors[0].field, 'data.points[0]');
  const banner = page.locator('gan-playground [data-banner="error"]');
  assert.ok(await banner.isVisible(), 'the error is shown');
  assert.ok((await banner.textContent()).includes(bad.errors[0].message));
  assert.equal(await el.evaluate((e) => JSON.stringify(e.config)), before, 'the old config is kept');
  assert.equal((await el.evaluate((e) => e.step(2))).step, 22);
  assert.deepEqual(problems, []);
  await page.close();
});

test('drawing on the plot adds points in data coordinates', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await page.locator('gan-playground button[name="draw"]').click();
  const overlay = page.locator('gan-playground canvas.draw-overlay');
  await overlay.waitFor({ state: 'visible' });
  const box = await overlay.boundingBox();
  // Where data point (1, 1) and the plot's middle row are, by the layout the plot uses.
  const at = await el.evaluate(async (e, { w, h }) => {
    const { plotArea } = await import('./web/data-space/draw-data.js');
    const area = plotArea(Array.from(e.debug.lastView.bounds), w, h);
    return { one: area.toPixel([1, 1]), left: area.left, right: area.left + area.width, mid: area.top + area.height / 2 };
  }, { w: box.width, h: box.height });
  await page.mouse.click(box.x + at.one[0], box.y + at.one[1]);
  // A 200-px stroke along the middle row: thinned to about one point per few pixels.
  await page.mouse.move(box.x + at.left + 10, box.y + at.mid);
  await page.mouse.down();
  for (let i = 1; i <= 100; i++) await page.mouse.move(box.x + at.left + 10 + 2 * i, box.y + at.mid);
  await page.mouse.up();
  assert.match(await page.locator('gan-playground .draw-count').textContent(), /^\d+ points$/);
  await page.locator('gan-playground button[name="use-drawing"]').click();
  await page.waitForFunction(() => document.querySelector('gan-playground').config.data.dataset === 'drawn');
  const drawn = await configAt(el, 'data.points');
  assert.ok(Math.abs(drawn[0][0] - 1) < 0.05 && Math.abs(drawn[0][1] - 1) < 0.05, `clicked (1, 1), got ${drawn[0]}`);
  const stroke = drawn.slice(1);
  assert.ok(stroke.length >= 20 && stroke.length <= 60, `${stroke.length} points for a 200-px stroke`);
  const ys = stroke.map((p) => p[1]);
  assert.ok(Math.max(...ys) - Math.min(...ys) < 0.02, 'a horizontal stroke keeps y');
  assert.ok(stroke.every((p, i) => i === 0 || p[0] > stroke[i - 1][0]), 'x grows along the stroke');
  // The plot (new bounds now) draws the new real data at that point: the drawing's mapping is the plot's.
  const ink = await el.evaluate(async (e, point) => {
    await e.debug.refreshView();
    const canvas = e.shadowRoot.querySelector('canvas[data-part="scatter"]');
    const { plotArea } = await import('./web/data-space/draw-data.js');
    const area = plotArea(Array.from(e.debug.lastView.bounds), canvas.clientWidth, canvas.clientHeight);
    const [x, y] = area.toPixel(point);
    const dpr = canvas.width / canvas.clientWidth;
    const px = canvas.getContext('2d').getImageData(Math.round(x * dpr) - 3, Math.round(y * dpr) - 3, 7, 7).data;
    let darkGreen = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i + 1] - px[i] > 40 && px[i + 1] < 170) darkGreen++;
    return darkGreen;
  }, drawn[0]);
  assert.ok(ink > 0, 'real points are drawn at the clicked spot');
  assert.equal((await el.evaluate((e) => e.step(5))).step, 5);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the Dirac-GAN panel: simultaneous steps end farther out than alternating ones', { timeout: 120_000 }, async () => {
  const { page, problems } = await openCpu();
  const panel = page.locator('dirac-gan');
  await page.waitForFunction(() => document.querySelector('dirac-gan').result);
  const shown = await panel.evaluate((e) => {
    const canvas = e.shadowRoot.querySelector('canvas');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
    return {
      result: e.result,
      options: e.options,
      inked,
      sim: e.shadowRoot.querySelector('[data-part="sim-distance"]').textContent,
      alt: e.shadowRoot.querySelector('[data-part="alt-distance"]').textContent,
    };
  });
  assert.equal(shown.options.loss, 'gan');
  assert.ok(shown.result.simultaneous > shown.result.alternating, JSON.stringify(shown.result));
  assert.equal(Number(shown.sim), Number(shown.result.simultaneous.toPrecision(3)));
  assert.equal(Number(shown.alt), Number(shown.result.alternating.toPrecision(3)));
  assert.ok(shown.inked > 500, `${shown.inked} pixels drawn`);

  // R1 makes both converge; bad options show Rust's message in the panel.
  const converged = await panel.evaluate(async (e) => {
    e.options = { r1: 1, steps: 2000 };
    await e.update();
    return e.result;
  });
  assert.ok(converged.simultaneous < 0.05 && converged.alternating < 0.05, JSON.stringify(converged));
  await page.locator('dirac-gan').locator('input[name="lr"]').fill('0');
  await page.locator('dirac-gan').locator('input[name="lr"]').press('Tab');
  await page.waitForFunction(() => document.querySelector('dirac-gan').errorText !== '');
  assert.match(await panel.evaluate((e) => e.errorText), /lr/);
  assert.equal(await panel.evaluate((e) => e.result), null);
  assert.deepEqual(problems, []);
  await page.close();
});
