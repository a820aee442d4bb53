// The main journeys in every browser engine, over W3C WebDriver: Chromium (Debian's, with
// chromedriver), Firefox (firefox-esr with geckodriver) and WebKit (WebKitGTK's MiniBrowser with
// WebKitWebDriver, under Xvfb). Each engine opens the page and trains through the Play button,
// restores a share link, and reads the demo post (only the visible playground trains; the digit
// playground starts from the shipped DCGAN when scrolled to). Every engine must compute the same
// losses for the same seed. What each engine did is written to test-results/browsers.json
// (docs/testing.md, README "Browsers").
// Run: node --test tests/browsers/   (BROWSERS=firefox,webkit to pick engines)
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { By } from 'selenium-webdriver';
import { serveDirectory } from '../e2e/static-server.mjs';
import { availableEngines, launch } from './webdriver.mjs';

const DIST = process.env.DIST_DIR || 'dist';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const RESULTS = 'test-results';
const available = availableEngines();
const wanted = (process.env.BROWSERS || 'chromium,firefox,webkit').split(',').filter(Boolean);
// On CI every engine asked for must be installed (the set-up command installs them); by hand a
// missing one is skipped with the reason.
const engines = wanted.filter((engine) => {
  if (available[engine] || process.env.CI === 'true') return true;
  test(`${engine}: not installed here (scripts/setup.sh installs it)`, { skip: true }, () => {});
  return false;
});

let server;
/** What each engine did: the rows of the README's "Browsers" table. */
const report = {};

before(async () => {
  assert.ok(existsSync(`${DIST}/embed.html`), `${DIST}/embed.html not found: build the page first (trunk build)`);
  server = await serveDirectory(DIST, {}, { 'content-security-policy': CSP });
});

after(async () => {
  await server?.close();
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}/browsers.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(['engine     version         WebGPU  2-D on  2-D steps/s  DCGAN steps/s  note',
    ...Object.entries(report).map(([e, r]) => [e.padEnd(10), String(r.version).padEnd(15), (r.webgpu ? 'yes' : 'no').padEnd(7),
      String(r.backend).padEnd(7), String(r.stepsPerSecond).padEnd(12), String(r.dcganStepsPerSecond).padEnd(14), r.note].join(' '))].join('\n'));
});

// Runs `body` (an async function's source, taking `args`) in the page and returns its result;
// a throw in the page fails the test with the page's message.
async function inPage(driver, body, ...args) {
  const outcome = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
    (async (...args) => { ${body} })(...Array.from(arguments).slice(0, -1))
      .then((value) => done({ value }), (error) => done({ error: \`\${error}\n\${error?.stack ?? ''}\` }));`, ...args);
  if (outcome.error) throw new Error(`in the page: ${outcome.error}`);
  return outcome.value;
}

// Waits until the element `selector` has built its first model; returns what it says.
const WAIT_READY = `
  const [selector, timeoutMs] = args;
  await customElements.whenDefined(selector.split('#')[0]);
  const e = document.querySelector(selector);
  const t0 = performance.now();
  while (!e.stats?.backend) {
    if (e.debug?.errorText) throw new Error(e.debug.errorText);
    if (!e.step) throw new Error(e.shadowRoot?.textContent || 'the element was not upgraded');
    if (performance.now() - t0 > timeoutMs) throw new Error('no model after ' + timeoutMs + ' ms');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { backend: e.stats.backend, note: e.shadowRoot.querySelector('[data-status="note"]').textContent,
    webgpu: 'gpu' in navigator, language: navigator.language, error: e.debug.errorText };`;

const waitUntil = (driver, condition, timeoutMs, ...args) => inPage(driver, `
  const t0 = performance.now();
  const check = () => { ${condition} };
  while (!check(...args)) {
    if (performance.now() - t0 > ${timeoutMs}) throw new Error('timed out waiting for: ' + ${JSON.stringify(condition)});
    await new Promise((r) => setTimeout(r, 250));
  }
  return true;`, ...args);

for (const engine of engines) {
  describe(engine, { concurrency: 1 }, () => {
    /** @type {import('selenium-webdriver').WebDriver} */
    let driver;
    let close;
    before(async () => {
      ({ driver, close } = await launch(engine));
      report[engine] = { version: (await driver.getCapabilities()).get('browserVersion') };
    });
    after(() => close?.());

    test('opens the page and trains through the Play button', { timeout: 240_000 }, async () => {
      await driver.get(`${server.url}/?`);
      const ready = await inPage(driver, WAIT_READY, 'gan-playground', 120_000);
      assert.equal(ready.language, 'en-US', 'the browser runs with a real locale');
      assert.equal(ready.error, '');
      // An engine without WebGPU trains on the CPU and says why; one with it takes the CPU for a 2-D model.
      assert.equal(ready.backend, 'cpu', ready.note);
      assert.match(ready.note, ready.webgpu ? /small 2-D model|software one/ : /has no WebGPU/);
      const first = await inPage(driver, `const e = document.querySelector('gan-playground');
        const t0 = performance.now(); const s = await e.step(50);
        return { ...s, ms: performance.now() - t0 };`);
      report[engine] = { ...report[engine], webgpu: ready.webgpu, backend: ready.backend, note: ready.note,
        losses50: [first.dLoss, first.gLoss], stepsPerSecond: Math.round(50_000 / first.ms) };

      // A real click, through the element's shadow root, as a reader's would be.
      const root = await driver.findElement(By.css('gan-playground')).getShadowRoot();
      const play = await root.findElement(By.css('button[name="play"]'));
      await play.click();
      await waitUntil(driver, "return document.querySelector('gan-playground').stats.step >= 300;", 120_000);
      assert.equal(await play.getText(), 'Pause');
      await play.click();
      const after = await inPage(driver, `const e = document.querySelector('gan-playground');
        await new Promise((r) => setTimeout(r, 500));
        const samples = Array.from(await e.samples(256));
        return { playing: e.playing, stats: e.stats, samples, error: e.debug.errorText,
          stepText: e.shadowRoot.querySelector('[data-status="step"]').textContent };`);
      assert.equal(after.playing, false);
      assert.ok(after.stats.step >= 300, `trained ${after.stats.step} steps`);
      assert.equal(after.stepText, `Step ${after.stats.step.toLocaleString('en-US')}`);
      assert.ok(after.samples.length === 512 && after.samples.every(Number.isFinite), 'finite samples');
      for (const k of ['dLoss', 'gLoss', 'value']) assert.ok(Number.isFinite(after.stats[k]), `${k} is finite`);
      assert.equal(after.error, '');
      report[engine].playedSteps = after.stats.step;
    });

    // The page moves a run there by itself on 4 or more cores only (CI has 2): moved by hand, so
    // every engine runs the opt-level-3 build (web/engine/engine.js, fastCpuAfterMs).
    test('the fast CPU module takes over a running training without a restart', { timeout: 180_000 }, async () => {
      await driver.get(`${server.url}/?`);
      await inPage(driver, WAIT_READY, 'gan-playground', 120_000);
      const fast = await inPage(driver, `const e = document.querySelector('gan-playground');
        await e.step(20);
        const moved = await e.debug.moveToFastCpu();
        const s = await e.step(30);
        return { moved, module: e.debug.module, step: s.step, losses: [s.dLoss, s.gLoss], error: e.debug.errorText };`);
      assert.deepEqual(fast.moved, { from: 'cpu', to: 'cpu', step: 20 });
      assert.equal(fast.module, 'cpu-fast');
      assert.equal(fast.step, 50);
      assert.equal(fast.error, '');
      // Adam's moments and the random streams went over: the 50 steps of the first journey.
      if (report[engine]?.losses50) assert.deepEqual(fast.losses, report[engine].losses50);
      report[engine] = { ...report[engine], fastModule: fast.module };
    });

    test('a share link restores the setup in a fresh page', { timeout: 180_000 }, async () => {
      await driver.get(`${server.url}/?`);
      await inPage(driver, WAIT_READY, 'gan-playground', 120_000);
      const shared = await inPage(driver, `const e = document.querySelector('gan-playground');
        const outcome = await e.setConfig({ train: { batch_size: 96 }, optimizer_d: { lr: 0.0005 } });
        if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
        return { link: e.shareLink(), config: e.config };`);
      assert.match(shared.link, /#playground=/);
      await driver.get('about:blank');
      await driver.get(shared.link);
      await inPage(driver, WAIT_READY, 'gan-playground', 120_000);
      const restored = await inPage(driver, `const e = document.querySelector('gan-playground');
        await e.step(5); return { config: e.config, error: e.debug.errorText };`);
      assert.deepEqual(restored.config, shared.config);
      assert.equal(restored.error, '');
    });

    test('the demo post: only the visible playground trains; the digit one starts from the shipped DCGAN', { timeout: 300_000 }, async () => {
      await driver.get(`${server.url}/embed.html`);
      // The first playground autoplays (its stop at steps="3000" is tests/e2e/embed.test.mjs's:
      // WebKit takes minutes to get there).
      await waitUntil(driver, `const e = document.getElementById('minimax-game');
        return e?.stats?.step > 100 && e.playing;`, 120_000);
      const lazy = await inPage(driver, `return ['divergence', 'vanishing', 'collapse', 'digits', 'styles']
        .map((id) => [id, document.getElementById(id).config === null, document.getElementById(id).stats.step]);`);
      for (const [id, unloaded, step] of lazy) assert.deepEqual([unloaded, step], [true, 0], `${id} below the fold`);
      await inPage(driver, `document.getElementById('digits').scrollIntoView(); return true;`);
      await waitUntil(driver, `const e = document.getElementById('digits');
        return e.mode === 'digits' && e.stats.step > 0 && e.debug.historyLength === e.stats.step;`, 180_000);
      const start = await inPage(driver, `return document.getElementById('digits').stats.step;`);
      const digitsRoot = await driver.findElement(By.css('gan-playground#digits')).getShadowRoot();
      const clicked = Date.now();
      await (await digitsRoot.findElement(By.css('button[name="play"]'))).click();
      await waitUntil(driver, `return document.getElementById('digits').stats.step >= ${start + 3};`, 180_000);
      const digits = await inPage(driver, `const e = document.getElementById('digits');
        e.pause(); document.getElementById('minimax-game').pause();
        return { start: ${start}, step: e.stats.step, error: e.debug.errorText, backend: e.stats.backend };`);
      const rate = (digits.step - digits.start) / ((Date.now() - clicked) / 1000); // from the click: includes the first chunk's start-up
      assert.ok(digits.start > 1000, `the pretrained DCGAN's step (${digits.start}) came with it`);
      assert.ok(digits.step >= digits.start + 3, `it trains on (${digits.start} -> ${digits.step})`);
      assert.equal(digits.error, '');
      Object.assign(report[engine], { dcganBackend: digits.backend, dcganStepsPerSecond: Math.round(rate * 10) / 10 });
    });
  });
}

test('every engine computes the same losses for the same seed', () => {
  const runs = Object.entries(report).filter(([, r]) => r.losses50);
  if (runs.length < 2) return;
  const [[first, reference], ...rest] = runs;
  for (const [engine, r] of rest) {
    for (let i = 0; i < 2; i++) {
      assert.ok(Math.abs(r.losses50[i] - reference.losses50[i]) < 1e-5,
        `${engine} ${r.losses50} vs ${first} ${reference.losses50} after 50 steps`);
    }
  }
});
