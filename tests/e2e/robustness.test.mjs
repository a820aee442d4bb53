// End-to-end tests of failure behaviour on the CPU backend: the bad-input corpus through the
// element (each refused, naming its field, training untouched), a run that diverges (pauses
// itself, explains, restores a state from before the blow-up), and a hidden tab (training
// stops and resumes where it was). Run: node --test tests/e2e/
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';
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
