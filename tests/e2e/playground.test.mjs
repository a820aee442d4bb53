// End-to-end tests of the built page (Trunk's dist/, or DIST_DIR) in headless Chromium:
// training on the CPU and on WebGPU through the real buttons, and a rejected config.
// Run: node --test tests/e2e/
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';
const RESULTS = 'test-results';

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

// Plays via the Play button until `minSteps`, pauses, and checks what a person would see.
async function trainThroughTheUi(backend, { minSteps, readyTimeout, trainTimeout }) {
  const { page, problems } = await openPlayground(browser.context, server.url, backend);
  const el = page.locator('gan-playground');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: readyTimeout });
  const note = await page.locator('gan-playground [data-status="note"]').textContent();
  assert.equal(await el.evaluate((e) => e.stats.backend), backend, `backend note: ${note}`);
  assert.equal(await page.locator('gan-playground [data-status="backend"]').textContent(), backend === 'cpu' ? 'CPU' : 'WebGPU');

  const before = await el.evaluate(async (e) => ({
    samples: Array.from(await e.samples(256)),
    fake: Array.from(e.debug.lastView.fake),
    stepText: e.shadowRoot.querySelector('[data-status="step"]').textContent,
  }));
  assert.equal(before.samples.length, 512);
  assert.ok(before.samples.every(Number.isFinite), 'samples are finite');
  assert.equal(before.stepText, 'Step 0');

  const play = page.locator('gan-playground button[name="play"]');
  await play.click();
  assert.equal(await el.evaluate((e) => e.playing), true);
  await page.waitForFunction((n) => document.querySelector('gan-playground').stats.step >= n, minSteps, {
    timeout: trainTimeout,
    polling: 250,
  });
  assert.equal(await play.textContent(), 'Pause');
  await play.click();
  assert.equal(await el.evaluate((e) => e.playing), false);
  // The plot redraws at most 4 times a second; wait for it to catch up with the pause.
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.debug.plotPoints > 0 && e.debug.historyLength === e.stats.step;
  }, null, { timeout: 10_000 });

  const after = await el.evaluate(async (e) => {
    await e.debug.refreshView();
    return {
      stats: e.stats,
      fake: Array.from(e.debug.lastView.fake),
      samples: Array.from(await e.samples(256)),
      stepText: e.shadowRoot.querySelector('[data-status="step"]').textContent,
      rateText: e.shadowRoot.querySelector('[data-status="rate"]').textContent,
    };
  });
  assert.ok(after.stats.step >= minSteps, `trained ${after.stats.step} steps`);
  assert.equal(after.stepText, `Step ${after.stats.step.toLocaleString('en-US')}`);
  assert.match(after.rateText, /^[\d,]+(\.\d)? steps\/s$/);
  for (const k of ['dLoss', 'gLoss', 'value']) assert.ok(Number.isFinite(after.stats[k]), `${k} is finite`);
  assert.ok(after.samples.every(Number.isFinite), 'samples after training are finite');
  // view().fake comes from a fixed noise batch, so any difference is the generator's doing.
  const moved = after.fake.reduce((s, v, i) => s + Math.abs(v - before.fake[i]), 0) / after.fake.length;
  assert.ok(moved > 1e-3, `generated points moved by ${moved}`);

  await page.screenshot({ path: `${RESULTS}/playground-${backend}.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
}

test('trains on the CPU through the Play button', { timeout: 240_000 }, () =>
  trainThroughTheUi('cpu', { minSteps: 200, readyTimeout: 120_000, trainTimeout: 120_000 }));

// The first WebGPU step on a software adapter (SwiftShader) compiles shaders: allow minutes.
test('trains on WebGPU through the Play button', { timeout: 660_000 }, () =>
  trainThroughTheUi('webgpu', { minSteps: 3, readyTimeout: 300_000, trainTimeout: 300_000 }));

test('a bad config is shown in the element and leaves training untouched', { timeout: 240_000 }, async () => {
  const { page, problems } = await openPlayground(browser.context, server.url, 'cpu');
  const el = page.locator('gan-playground');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
  await el.evaluate((e) => e.step(5));
  const stepText = await page.locator('gan-playground [data-status="step"]').textContent();
  assert.equal(stepText, 'Step 5');

  // Out of range for the first always-shown numeric field with a maximum (any field Rust bounds will do).
  const result = await el.evaluate(async (e) => {
    const field = window.wasmBindings.configSchema().find((f) => (f.kind === 'int' || f.kind === 'float') && f.max != null && !f.when);
    const bad = e.config;
    const keys = field.path.split('.');
    keys.slice(0, -1).reduce((o, k) => o[k], bad)[keys.at(-1)] = field.max * 10 + 1;
    const before = JSON.stringify(e.config);
    const outcome = await e.setConfig(bad);
    return { field, outcome, configKept: JSON.stringify(e.config) === before };
  });
  assert.equal(result.outcome.ok, false);
  assert.ok(result.outcome.errors.length > 0, 'Rust reported the error');
  assert.ok(result.configKept, 'the config in use is unchanged');
  const banner = page.locator('gan-playground [data-banner="error"]');
  assert.ok(await banner.isVisible(), 'the error banner is shown');
  assert.ok((await banner.textContent()).includes(result.outcome.errors[0].message), 'it shows Rust\'s message');
  assert.equal(await page.locator('gan-playground [data-status="step"]').textContent(), stepText);
  assert.equal(await el.evaluate((e) => e.stats.step), 5);

  // The same through the form, as a person would: type, leave the box.
  const input = page.locator(`gan-playground .field[data-path="${result.field.path}"] input[type="number"]`);
  await input.fill(String(result.field.max * 10 + 1));
  await input.press('Tab');
  await page.locator(`gan-playground .field.invalid[data-path="${result.field.path}"]`).waitFor();
  assert.equal(await el.evaluate((e) => e.stats.step), 5);

  // Training still works afterwards.
  assert.equal((await el.evaluate((e) => e.step(2))).step, 7);
  assert.deepEqual(problems, []);
  await page.close();
});
