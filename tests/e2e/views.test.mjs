// End-to-end tests of the theory views on the CPU backend (fast; WebGPU is covered by
// playground.test.mjs): D*, the metrics readout, the theory charts, the scatter overlays, step
// modes, slow motion and the CSV export.
// Run: node --test tests/e2e/
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';

let server;
let browser;
let page;
let problems;
let el;

before(async () => {
  assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html not found: build the page first (trunk build --release)`);
  server = await serveDirectory(DIST);
  browser = await launchBrowser();
  ({ page, problems } = await openPlayground(browser.context, server.url, 'cpu'));
  el = page.locator('gan-playground');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
});

after(async () => {
  await page?.close();
  await browser?.close();
  await server?.close();
});

const shadowText = (selector) => el.evaluate((e, s) => e.shadowRoot.querySelector(s)?.textContent ?? null, selector);
const waitForPlots = () =>
  page.waitForFunction(() => {
    const d = document.querySelector('gan-playground').debug;
    return d.plotPoints > 0 && d.theoryPlotPoints.value > 1 && d.theoryPlotPoints.divergence > 1 && d.theoryPlotPoints.gradient > 0;
  }, null, { timeout: 10_000 });

test('D*, metrics and the theory charts after training', { timeout: 120_000 }, async () => {
  const stats = await el.evaluate((e) => e.step(40));
  assert.equal(stats.step, 40);
  for (const k of ['dLoss', 'gLoss', 'value', 'gradNorm']) assert.ok(Number.isFinite(stats[k]), `${k} is finite`);

  const view = await el.evaluate((e) => {
    const v = e.debug.lastView;
    const canvas = e.shadowRoot.querySelector('canvas[data-part="dstar"]');
    return {
      dStar: Array.from(v.dStar),
      heat: v.heat.length,
      lengths: { fake: v.fake.length, arrows: v.arrows.length, mesh: v.mesh.length, meshPoints: v.meshRows * v.meshCols },
      metrics: v.metrics,
      canvas: [canvas.width, canvas.height],
    };
  });
  assert.equal(view.dStar.length, view.heat, 'D* has the heatmap grid');
  assert.equal(view.lengths.arrows, view.lengths.fake, 'one arrow per generated point');
  assert.equal(view.lengths.mesh, 2 * view.lengths.meshPoints, 'meshRows × meshCols points');
  assert.ok(view.dStar.every((d) => d >= 0 && d <= 1), 'D* is a probability');
  assert.ok(view.canvas[0] > 0 && view.canvas[1] > 0, 'the D* canvas is drawn');
  for (const k of ['jsd', 'klDataG', 'klGData', 'valueAtOptimum']) assert.ok(Number.isFinite(view.metrics[k]), `${k} is finite`);

  const divergences = await shadowText('[data-metric="divergences"]');
  const numbers = divergences.match(/-?\d+\.\d+/g)?.map(Number) ?? [];
  assert.equal(numbers.length, 3, `three divergences in "${divergences}"`);
  assert.ok(numbers.every(Number.isFinite));
  assert.match(await shadowText('[data-part="dstar-gap"]'), /mean \|D\* − D\| = \d/);
  assert.ok((await shadowText('[data-part="density-note"]')).length > 10, 'the density note is shown');
  const modesHidden = await el.evaluate((e) => e.shadowRoot.querySelector('[data-metric="modes"]').hidden);
  assert.equal(modesHidden, view.metrics.modesCovered == null, 'mode coverage shows exactly for mixtures');

  await waitForPlots();
});

test('gradient arrows and the generator mesh switch on and off', { timeout: 60_000 }, async () => {
  const canvasImage = () => el.evaluate((e) => e.shadowRoot.querySelector('canvas[data-part="scatter"]').toDataURL());
  const arrows = page.locator('gan-playground input[name="overlay-arrows"]');
  const mesh = page.locator('gan-playground input[name="overlay-mesh"]');
  await arrows.check();
  await mesh.uncheck();
  const withArrows = await el.evaluate((e) => e.debug);
  assert.ok(withArrows.drawn.arrows > 0, 'arrows are drawn');
  assert.equal(withArrows.drawn.meshSegments, 0);
  assert.ok(withArrows.meanArrowLength > 0);
  assert.match(await shadowText('[data-part="arrow-readout"]'), /^mean ‖−∂L_G\/∂x‖ = \d\.\d\de[-+]\d+$/);
  const arrowsImage = await canvasImage();

  await mesh.check();
  const view = await el.evaluate((e) => ({ rows: e.debug.lastView.meshRows, cols: e.debug.lastView.meshCols }));
  const segments = (await el.evaluate((e) => e.debug.drawn)).meshSegments;
  const expected = view.rows === 1 ? view.cols - 1 : view.rows * (view.cols - 1) + view.cols * (view.rows - 1);
  assert.equal(segments, expected, `mesh of ${view.rows}×${view.cols} drawn`);
  assert.notEqual(await canvasImage(), arrowsImage, 'the mesh changes the picture');

  await arrows.uncheck();
  assert.equal((await el.evaluate((e) => e.debug.drawn)).arrows, 0, 'arrows hidden');
  assert.equal(await el.evaluate((e) => e.shadowRoot.querySelector('[data-part="arrow-readout"]').hidden), true);
  await arrows.check();
});

test('step mode "D only" trains D and leaves G alone; "G only" the reverse', { timeout: 60_000 }, async () => {
  await page.locator('gan-playground select[name="step-mode"]').selectOption('d');
  assert.equal(await el.evaluate((e) => e.stepMode), 'd');
  const dOnly = await el.evaluate(async (e) => {
    const fakeBefore = Array.from(e.debug.lastView.fake);
    const stats = await e.step(5);
    const n = e.history.length;
    return {
      stats,
      gLoss: Array.from(e.history.gLoss.subarray(n - 5)),
      dLoss: Array.from(e.history.dLoss.subarray(n - 5)),
      gradNorm: Array.from(e.history.gradNorm.subarray(n - 5)),
      fakeSame: e.debug.lastView.fake.every((v, i) => v === fakeBefore[i]),
      lossText: e.shadowRoot.querySelector('[data-status="losses"]').textContent,
    };
  });
  assert.ok(dOnly.gLoss.every(Number.isNaN), 'no G loss on D-only steps');
  assert.ok(dOnly.gradNorm.every(Number.isNaN), 'no G gradient on D-only steps');
  assert.ok(dOnly.dLoss.every(Number.isFinite), 'D loss on D-only steps');
  assert.ok(dOnly.fakeSame, 'the generated points did not move');
  assert.match(dOnly.lossText, /G –/);

  const gOnly = await el.evaluate(async (e) => {
    e.stepMode = 'g';
    const fakeBefore = Array.from(e.debug.lastView.fake);
    await e.step(5);
    const n = e.history.length;
    return {
      dLoss: Array.from(e.history.dLoss.subarray(n - 5)),
      gLoss: Array.from(e.history.gLoss.subarray(n - 5)),
      moved: e.debug.lastView.fake.some((v, i) => v !== fakeBefore[i]),
      select: e.shadowRoot.querySelector('select[name="step-mode"]').value,
    };
  });
  assert.ok(gOnly.dLoss.every(Number.isNaN), 'no D loss on G-only steps');
  assert.ok(gOnly.gLoss.every(Number.isFinite), 'G loss on G-only steps');
  assert.ok(gOnly.moved, 'the generated points moved');
  assert.equal(gOnly.select, 'g', 'the control follows the property');

  await el.evaluate((e) => (e.stepMode = 'both'));
  await waitForPlots(); // NaN-filled steps do not break the charts
});

test('slow motion alternates single D and G updates and names the one that moved', { timeout: 60_000 }, async () => {
  const start = await el.evaluate((e) => {
    e.slowMotion = true;
    e.play();
    return e.stats.step;
  });
  assert.equal(await el.evaluate((e) => e.shadowRoot.querySelector('input[name="slow-motion"]').checked), true);
  const label = page.locator('gan-playground [data-part="moved"]');
  await label.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await label.textContent(), /^D just moved/);
  await page.waitForFunction((s) => document.querySelector('gan-playground').stats.step >= s + 2, start, { timeout: 10_000 });
  const slow = await el.evaluate((e) => {
    e.pause();
    const n = e.history.length;
    return { gLoss: Array.from(e.history.gLoss.subarray(n - 2)), dLoss: Array.from(e.history.dLoss.subarray(n - 2)) };
  });
  // One D-only and one G-only iteration, in either order of the last two.
  assert.equal(slow.gLoss.filter(Number.isNaN).length, 1, `G losses ${slow.gLoss}`);
  assert.equal(slow.dLoss.filter(Number.isNaN).length, 1, `D losses ${slow.dLoss}`);

  // Play, pause and step still work after slow motion is switched off.
  await el.evaluate((e) => (e.slowMotion = false));
  assert.equal(await label.isVisible(), false, 'the label goes with slow motion');
  const steps = await el.evaluate(async (e) => (await e.step(3)).step - e.history.length);
  assert.equal(steps, 0);
});

test('samples export as CSV', { timeout: 60_000 }, async () => {
  const csv = await el.evaluate((e) => e.samplesCsv(10));
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines.length, 11);
  assert.equal(lines[0], 'x,y');
  for (const line of lines.slice(1)) {
    const cells = line.split(',').map(Number);
    assert.equal(cells.length, 2);
    assert.ok(cells.every(Number.isFinite), line);
  }
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 10_000 }),
    page.locator('gan-playground button[name="export-csv"]').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'minimax-samples.csv');
});

test('with 1-D noise the generator mesh is a polyline', { timeout: 60_000 }, async () => {
  const result = await el.evaluate((e) => e.setConfig({ noise: { dim: 1 } }));
  assert.equal(result.ok, true, JSON.stringify(result.errors));
  assert.equal(result.rebuilt, true, 'a new noise dimension restarts the run');
  await page.locator('gan-playground input[name="overlay-mesh"]').check();
  const mesh = await el.evaluate((e) => ({ rows: e.debug.lastView.meshRows, cols: e.debug.lastView.meshCols, drawn: e.debug.drawn }));
  assert.equal(mesh.rows, 1);
  assert.equal(mesh.drawn.meshSegments, mesh.cols - 1);
  assert.equal(await el.evaluate((e) => e.debug.historyLength), 0, 'the restart cleared the history');
  assert.equal(await el.evaluate((e) => e.stats.step), 0);
});

test('a critic is coloured by its score and has no D* gap', { timeout: 60_000 }, async () => {
  const result = await el.evaluate((e) => e.setConfig({ objective: { kind: 'wgan' } }));
  assert.equal(result.ok, true, JSON.stringify(result.errors));
  await el.evaluate((e) => e.step(3));
  assert.equal(await el.evaluate((e) => e.debug.lastView.heatKind), 'critic');
  assert.equal(await shadowText('[data-heat="label"]'), 'critic score');
  assert.match(await shadowText('[data-part="dstar-gap"]'), /not defined for critics/);
  assert.deepEqual(problems, []);
});

test('maximum likelihood beside the GAN: a mixture fitted by EM, drawn and measured like G', { timeout: 120_000 }, async () => {
  await el.evaluate(async (e) => { await e.step(50); await e.debug.refreshView(); });
  const fit = async (k) => el.evaluate(async (e, k) => {
    const root = e.shadowRoot;
    root.querySelector('input[name="components"]').value = String(k);
    root.querySelector('button[name="fit-likelihood"]').click();
    const t0 = performance.now();
    while (root.querySelector('button[name="fit-likelihood"]').disabled || /^Fitting/.test(root.querySelector('[data-part="likelihood-status"]').textContent)) {
      if (performance.now() - t0 > 30_000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const canvas = root.querySelector('[data-part="likelihood-canvas"]');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) painted += pixels[i] > 0 ? 1 : 0;
    return {
      result: e.debug.likelihood && { ...e.debug.likelihood, samples: e.debug.likelihood.samples.length },
      status: root.querySelector('[data-part="likelihood-status"]').textContent,
      rows: [...root.querySelectorAll('[data-part="likelihood-table"] tbody tr')].map((r) => [...r.children].map((c) => c.textContent)),
      painted,
    };
  }, k);

  // Two Gaussians for the ring's eight modes: every mode reached, few samples on one.
  const two = await fit(2);
  assert.equal(two.result.components, 2);
  assert.equal(two.result.samples, 5000, '2,500 samples, x and y');
  assert.equal(two.result.modesTotal, 8);
  assert.ok(two.result.modesCovered >= 6, JSON.stringify(two.result));
  assert.ok(two.result.highQuality < 0.2, `smeared between modes: ${two.result.highQuality}`);
  assert.match(two.status, /^Fitted 2: log-likelihood -?\d+\.\d{3} per held-out point, JSD \d\.\d{3}\.$/);
  assert.ok(two.painted > 1000, `the samples are drawn (${two.painted} pixels)`);
  // Eight Gaussians: the true model family of a ring of eight.
  const eight = await fit(8);
  assert.equal(eight.result.modesCovered, 8);
  assert.ok(eight.result.highQuality > 0.9, JSON.stringify(eight.result));
  assert.ok(eight.result.jsd < two.result.jsd && eight.result.logLikelihood > two.result.logLikelihood);
  const [label, gan, mixture] = eight.rows[0];
  assert.equal(label, 'modes covered');
  assert.match(gan, /^\d \/ 8$/, 'G\'s column comes from the latest view');
  assert.equal(mixture, '8 / 8');
  assert.equal(eight.rows.at(-1)[1], 'none (no density)');
  // A number Rust refuses is named; the last fit stays.
  const refused = await fit(0);
  assert.equal(refused.status, 'Not fitted: components must be from 1 to 64, got 0.');
  assert.equal(refused.result.components, 8);
  assert.deepEqual(problems, []);
});

test('a normalizing flow trained by maximum likelihood beside the GAN: its log-likelihood rises', { timeout: 240_000 }, async () => {
  const flow = await el.evaluate(async (e) => {
    const root = e.shadowRoot;
    const status = () => root.querySelector('[data-part="likelihood-status"]').textContent;
    root.querySelector('button[name="train-flow"]').click();
    const seen = new Set();
    const t0 = performance.now();
    while (!/^(Flow trained|Not trained)/.test(status()) && performance.now() - t0 < 200_000) {
      const step = status().match(/step (\d+) of/);
      if (step) seen.add(Number(step[1]));
      await new Promise((r) => setTimeout(r, 20));
    }
    const canvas = root.querySelector('[data-part="likelihood-canvas"][data-model="flow"]');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) painted += pixels[i] > 0 ? 1 : 0;
    const r = e.debug.flow;
    return {
      result: r && { ...r, samples: r.samples.length },
      status: status(),
      progress: seen.size,
      column: [...root.querySelectorAll('[data-part="likelihood-table"] tbody tr')].map((row) => row.children[3].textContent),
      painted,
    };
  });
  assert.match(flow.status, /^Flow trained 3000 steps: log-likelihood per batch point -?\d+\.\d{3} → -?\d+\.\d{3}, -?\d+\.\d{3} per held-out point, JSD \d\.\d{3}\.$/, flow.status);
  assert.ok(flow.progress >= 3, `the status followed the training (${flow.progress} steps seen)`);
  const { result } = flow;
  assert.equal(result.step, 3000);
  assert.equal(result.samples, 5000, '2,500 samples, x and y');
  assert.ok(result.batchLogLikelihood.last > result.batchLogLikelihood.first + 1, JSON.stringify(result.batchLogLikelihood));
  // Maximum likelihood reaches every mode of the ring; a smooth bijection bridges them.
  assert.equal(result.modesCovered, 8, JSON.stringify(result));
  assert.ok(Number.isFinite(result.logLikelihood) && result.logLikelihood > 0, JSON.stringify(result));
  assert.equal(flow.column[0], '8 / 8');
  assert.ok(flow.painted > 1000, `the samples are drawn (${flow.painted} pixels)`);
  assert.deepEqual(problems, []);
});
