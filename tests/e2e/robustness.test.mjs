// End-to-end tests of failure behaviour on the CPU backend: the bad-input corpus through the
// element (each refused, naming its field, training untouched), a run that diverges (pauses
// itself, explains, restores a state from before the blow-up), and a hidden tab (training
// stops and resumes where it was), and a lost WebGPU device (the run goes on on the CPU).
// Run: node --test tests/e2e/
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';
/** What cubecl logs when the test destroys the WebGPU device; the one console error excused there. */
const DEVICE_LOST_LOG = /^console\.error: \[cubecl_wgpu::compute::device_poison\] the wgpu device was lost \(Destroyed\): /;
const CORPUS = JSON.parse(readFileSync('tests/bad-input/configs.json', 'utf8')).cases;

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

test('every case of the bad-input corpus is refused by the element; training goes on', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.step(5));
  const before = await el.evaluate((e) => JSON.stringify(e.config));
  const failures = [];
  for (const c of CORPUS) {
    const r = await el.evaluate(async (e, json) => {
      const outcome = await e.setConfig(json);
      return { outcome, banner: e.debug.errorText, step: e.stats.step, config: JSON.stringify(e.config) };
    }, c.json);
    const fields = r.outcome.errors.map((x) => x.field);
    // A case the browser cannot even parse is refused before Rust sees it (field '').
    const named = c.field === '(config)' || fields.some((f) => f === c.field || f.startsWith(`${c.field}.`) || f.startsWith(`${c.field}[`));
    if (r.outcome.ok || !named || !r.banner || r.step !== 5 || r.config !== before) {
      failures.push(`${c.name}: ok=${r.outcome.ok} fields=${fields} banner=${JSON.stringify(r.banner)} step=${r.step}`);
    }
  }
  assert.deepEqual(failures, []);
  // A bad attribute value is reported in the element and the run keeps its backend.
  await el.evaluate((e) => e.setAttribute('backend', 'quantum'));
  await page.waitForFunction(() => /backend/i.test(document.querySelector('gan-playground').debug.errorText));
  assert.equal(await el.evaluate((e) => e.stats.backend), 'cpu');
  assert.equal((await el.evaluate((e) => e.step(2))).step, 7, 'training still works');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a diverging run pauses itself, says why, and restores a state from before the blow-up', { timeout: 240_000 }, async () => {
  const { page, problems, el } = await openCpu();
  // Wide nets train sanely with Adam; SGD at lr 1 with momentum 0.9 then blows them up.
  const wide = await el.evaluate((e) => e.setConfig({ generator: { width: 256 }, discriminator: { width: 256 } }));
  assert.ok(wide.ok && wide.rebuilt);
  await el.evaluate((e) => e.step(260));
  const sgd = { kind: 'sgd', lr: 1, momentum: 0.9 };
  const explode = await el.evaluate((e, o) => e.setConfig({ optimizer_g: o, optimizer_d: o }), sgd);
  assert.ok(explode.ok && !explode.rebuilt, 'the optimizer changes on the running models');

  const diverged = el.evaluate((e) => new Promise((resolve) => e.addEventListener('diverged', (ev) => resolve(ev.detail), { once: true })));
  await el.evaluate((e) => e.play());
  const detail = await diverged;
  assert.match(detail.message, /Training diverged: the .* became (NaN|-?Infinity|inf) at step \d+/);
  assert.match(detail.message, /lower the learning rates/);
  await page.waitForFunction(() => !document.querySelector('gan-playground').playing);
  const banner = await el.evaluate((e) => e.debug.errorText);
  assert.ok(banner.includes('Training diverged'), banner);
  // The kept state is one to two spacings (100 steps) before the divergence.
  assert.ok(detail.goodStep >= 100 && detail.goodStep < detail.step, JSON.stringify(detail));
  const restore = page.locator('gan-playground [data-banner="error"] button[name="action"]');
  assert.equal(await restore.textContent(), `Restore step ${detail.goodStep}`);

  // Following the advice first: a lower learning rate, applied while diverged, keeps the button.
  const adam = await el.evaluate((e) => e.setConfig({ optimizer_g: { kind: 'adam', lr: 0.0005 }, optimizer_d: { kind: 'adam', lr: 0.001 } }));
  assert.ok(adam.ok);
  assert.ok(await restore.isVisible(), 'the restore button is still offered');
  await restore.click();
  await page.waitForFunction((s) => document.querySelector('gan-playground').stats.step === s, detail.goodStep);
  assert.equal(await el.evaluate((e) => e.debug.historyLength), detail.goodStep, 'the loss history is cut there');
  assert.equal(await el.evaluate((e) => e.debug.errorText), '');
  assert.equal(await el.evaluate((e) => e.config.optimizer_d.kind), 'adam', 'the config set after the divergence stays');
  const after = await el.evaluate((e) => e.step(30));
  assert.equal(after.step, detail.goodStep + 30);
  assert.ok(Number.isFinite(after.dLoss) && Number.isFinite(after.gLoss), JSON.stringify(after));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a hidden tab stops training; showing it again resumes where it stopped', { timeout: 120_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.play());
  await page.waitForFunction(() => document.querySelector('gan-playground').stats.step > 20);
  const setHidden = (hidden) => page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });
    Object.defineProperty(document, 'hidden', { value: h, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  await setHidden(true);
  await page.waitForTimeout(300); // a chunk in flight finishes
  const held = await el.evaluate((e) => e.stats.step);
  await page.waitForTimeout(1500);
  assert.equal(await el.evaluate((e) => e.stats.step), held, 'no training while hidden');
  assert.equal(await el.evaluate((e) => e.playing), true, 'still playing: it resumes on its own');
  assert.equal(await el.evaluate((e) => e.debug.suspended), true);
  await setHidden(false);
  await page.waitForFunction((s) => document.querySelector('gan-playground').stats.step > s + 20, held);
  await el.evaluate((e) => e.pause());
  assert.deepEqual(problems, []);
  await page.close();
});

test('a lost WebGPU device: the run goes on on the CPU from the last copy, settings kept', { timeout: 600_000 }, async () => {
  const { page, problems } = await openPlayground(browser.context, server.url, 'webgpu');
  const el = page.locator('gan-playground');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 300_000 });
  assert.equal(await el.evaluate((e) => e.stats.backend), 'webgpu');
  await el.evaluate((e) => e.play());
  // A copy is taken on the first chunk, then every 5 s or more: train past it.
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.debug.snapshotStep !== null && e.stats.step > e.debug.snapshotStep + 5;
  }, null, { timeout: 300_000, polling: 200 });
  // A live change after the copy must survive the switch.
  const lr = await el.evaluate((e) => e.setConfig({ optimizer_d: { lr: 0.00042 } }));
  assert.ok(lr.ok && !lr.rebuilt, JSON.stringify(lr));

  const lost = el.evaluate((e) => new Promise((resolve) => e.addEventListener('devicelost', (ev) => resolve(ev.detail), { once: true })));
  const before = await el.evaluate((e) => ({ step: e.stats.step, copy: e.debug.snapshotStep }));
  assert.equal(await el.evaluate((e) => e.debug.loseGpu()), 1, 'Burn opened one device in the engine worker');
  const detail = await lost;
  assert.match(detail.reason, /destroyed/);
  assert.ok(detail.step >= before.copy && detail.step <= before.step, `${JSON.stringify(detail)} ${JSON.stringify(before)}`);
  assert.ok(detail.lostSteps >= 0, JSON.stringify(detail));
  const after = await el.evaluate((e) => ({
    backend: e.stats.backend, lrD: e.config.optimizer_d.lr, playing: e.playing, history: e.debug.historyLength,
    step: e.stats.step, error: e.debug.errorText,
    note: e.shadowRoot.querySelector('[data-status="note"]').textContent,
  }));
  assert.equal(after.backend, 'cpu');
  assert.equal(after.lrD, 0.00042, 'the learning-rate change made after the copy is applied again');
  assert.equal(after.playing, true, 'still playing');
  assert.equal(after.history, after.step, 'the loss history is cut at the step the run goes on from');
  assert.equal(after.error, '', 'no error shown');
  assert.match(after.note, /WebGPU device lost/);
  // Training goes on, on the CPU, from there.
  await page.waitForFunction((s) => document.querySelector('gan-playground').stats.step > s + 50, detail.step, { timeout: 60_000 });
  const running = await el.evaluate((e) => ({ d: e.stats.dLoss, h: e.debug.historyLength, s: e.stats.step }));
  assert.ok(Number.isFinite(running.d), JSON.stringify(running));

  // A model built later on backend auto cannot use the lost device: CPU, saying why.
  await el.evaluate((e) => e.setAttribute('backend', 'auto'));
  await page.waitForFunction(() => {
    const note = document.querySelector('gan-playground').shadowRoot.querySelector('[data-status="note"]').textContent;
    return /device was lost/.test(note);
  }, null, { timeout: 60_000 });
  assert.equal(await el.evaluate((e) => e.stats.backend), 'cpu');
  await el.evaluate((e) => e.pause());
  // cubecl logs the loss itself (through Rust's logger); nothing else may go wrong.
  assert.deepEqual(problems.filter((p) => !DEVICE_LOST_LOG.test(p)), []);
  await page.close();
});

test('a 2-D run saves a checkpoint and continues from it exactly; a bad file changes nothing', { timeout: 180_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.setConfig({ stabilizers: { instance_noise: 0.05 } }));
  await el.evaluate((e) => e.step(30));
  const saved = await el.evaluate(async (e) => Array.from(await e.saveCheckpoint()));
  await el.evaluate((e) => e.step(20));
  const original = await el.evaluate((e) => Array.from(e.history.dLoss));

  const bad = await el.evaluate((e, bytes) => e.loadCheckpoint(new Uint8Array(bytes), 'junk.ckpt'), [1, 2, 3, 4]);
  assert.equal(bad, false);
  assert.match(await el.evaluate((e) => e.debug.errorText), /checkpoint.*Training continues on the CPU model/s);
  assert.equal(await el.evaluate((e) => e.stats.step), 50, 'the run is untouched');

  const good = await el.evaluate((e, bytes) => e.loadCheckpoint(new Uint8Array(bytes), 'mine.ckpt'), saved);
  assert.equal(good, true, await el.evaluate((e) => e.debug.errorText));
  const loaded = await el.evaluate((e) => ({ step: e.stats.step, losses: Array.from(e.history.dLoss), noise: e.config.stabilizers.instance_noise, mode: e.mode }));
  assert.deepEqual(loaded, { step: 30, losses: original.slice(0, 30), noise: 0.05, mode: '2d' });
  const notice = await el.evaluate((e) => e.shadowRoot.querySelector('[data-banner="notice"]').textContent);
  assert.match(notice, /^Loaded mine\.ckpt at step 30\./);
  assert.doesNotMatch(notice, /restart/, 'the CPU module restores the optimizer moments too');
  await el.evaluate((e) => e.step(20));
  const resumed = await el.evaluate((e) => Array.from(e.history.dLoss));
  // Models, Adam's moments and the random streams came back exactly: the same 20 steps again.
  assert.deepEqual(resumed, original, 'the resumed run repeats the original to the bit');
  assert.ok(resumed.every(Number.isFinite));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a config attribute with "__proto__" is refused by name; the host page\'s prototypes stay clean', { timeout: 120_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.step(3));
  await el.evaluate((e) => e.setAttribute('config', '{"__proto__": {"polluted": 1}, "train": {"__proto__": {"x": 2}}}'));
  await page.waitForFunction(() => /__proto__/.test(document.querySelector('gan-playground').debug.errorText), null, { timeout: 30_000 });
  assert.deepEqual(await page.evaluate(() => [({}).polluted, ({}).x]), [undefined, undefined]);
  const result = await el.evaluate((e) => e.setConfig('{"__proto__": {"polluted": 1}}'));
  assert.equal(result.ok, false);
  assert.equal(await page.evaluate(() => ({}).polluted), undefined);
  assert.equal((await el.evaluate((e) => e.step(2))).step, 5, 'training goes on');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a config nested 100,000 levels deep gets a message at every door; training goes on', { timeout: 120_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.step(3));
  const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
  // setConfig with the JSON text and with the object itself (structuredClone of it overflowed).
  const fromText = await el.evaluate((e, json) => e.setConfig(json).then((r) => r, (err) => ({ rejected: String(err) })), deep);
  assert.equal(fromText.ok, false, JSON.stringify(fromText).slice(0, 300));
  assert.match(fromText.errors[0].message, /nested (more than 32 levels|too deeply)/);
  const fromObject = await el.evaluate((e, json) => e.setConfig(JSON.parse(json)).then((r) => r, (err) => ({ rejected: String(err) })), deep);
  assert.equal(fromObject.ok, false, JSON.stringify(fromObject).slice(0, 300));
  assert.match(fromObject.errors[0].message, /nested more than 32 levels deep/);
  assert.match(await el.evaluate((e) => e.debug.errorText), /nested/);
  // The config attribute says so in the element.
  await el.evaluate((e, json) => e.setAttribute('config', json), deep);
  await page.waitForFunction(() => /config is not applied: it is nested more than 32 levels/.test(document.querySelector('gan-playground').debug.errorText), null, { timeout: 30_000 });
  assert.equal((await el.evaluate((e) => e.step(2))).step, 5, 'training goes on');
  assert.deepEqual(problems, []);
  await page.close();
});

// Bad shared links and attribute values: the corpora in tests/bad-input/, run by bad-input.test.mjs.

test('a dependency that throws at load (uPlot under an odd locale): the element trains and says the plots could not load', { timeout: 120_000 }, async () => {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  // What WebKit's uPlot does with LANG=C (navigator.language "C"): it throws while loading.
  await page.route('**/vendor/uplot/uPlot.esm.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: 'throw new RangeError("Incorrect locale information provided");\nexport default null;' }),
  );
  await page.addInitScript(() => new MutationObserver((_, observer) => {
    const el = document.querySelector('gan-playground');
    if (!el) return;
    observer.disconnect();
    el.addEventListener('ready', () => (window.__ready = true));
  }).observe(document, { childList: true, subtree: true }));
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => customElements.get('dirac-gan') && window.__ready, null, { timeout: 60_000 });
  const el = page.locator('gan-playground').first();
  // uPlot is imported after the first step (web/plots/step-chart.js): training does not need it.
  assert.equal((await el.evaluate((e) => e.step(5))).step, 5);
  await page.waitForFunction(() => /plots could not load/.test(document.querySelector('gan-playground').debug.errorText), null, { timeout: 30_000 });
  assert.match(await el.evaluate((e) => e.debug.errorText),
    /^The plots could not load: Incorrect locale information provided\. Training goes on without them; reload the page to try again\./);
  assert.equal((await el.evaluate((e) => e.step(5))).step, 10, 'and it does');
  assert.equal(await el.evaluate((e) => e.debug.plotPoints), 0);
  // The other element has no such dependency and works.
  assert.equal(await page.evaluate(() => typeof document.querySelector('dirac-gan').update), 'function', 'the real <dirac-gan>');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a CycleGAN config with a stabilizer CycleGAN runs refuse is refused with the field\'s reason; the run goes on', { timeout: 120_000 }, async () => {
  const { page, problems, el } = await openCpu();
  await el.evaluate((e) => e.step(3));
  const before = await el.evaluate((e) => JSON.stringify(e.config));
  const r = await el.evaluate(async (e) => {
    const outcome = await e.setConfig({ cycle: { source: 'two_moons' }, stabilizers: { packing: 2 } });
    return { outcome, banner: e.debug.errorText, step: e.stats.step, config: JSON.stringify(e.config), mode: e.mode };
  });
  assert.equal(r.outcome.ok, false, JSON.stringify(r.outcome));
  assert.match(r.banner, /packing is not part of CycleGAN runs: switch it off or clear cycle\.source/);
  assert.deepEqual([r.step, r.mode], [3, '2d'], 'the run is untouched');
  assert.equal(r.config, before);
  assert.equal((await el.evaluate((e) => e.step(2))).step, 5, 'training still works');
  assert.deepEqual(problems, []);
  await page.close();
});
