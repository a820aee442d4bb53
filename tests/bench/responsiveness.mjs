// Does training ever block the page? Two measurements of the built page (dist/) in headless
// Chromium, printed as JSON and Markdown tables (docs/engine.md keeps the dated results):
//
// 1. Frame gaps while training each preset: requestAnimationFrame gaps on the main thread (p50,
//    p95, max) and long tasks (PerformanceObserver), measured after the first step for a few
//    seconds of play, and how long pause() takes to show (the toolbar's Play button flips).
// 2. Navigation → the first finished training step of the demo post's first playground
//    (embed.html, autoplay), cold cache, served gzip-compressed: on localhost, and with the
//    network throttled to 10 Mbit/s and 40 ms round trip (Chromium's network emulation).
//
//   node tests/bench/responsiveness.mjs [--backends cpu,webgpu] [--presets default,…] [--seconds 5]
//        [--fast-after-ms N] [--json FILE]
//
// --fast-after-ms: move CPU runs to the fast module after N ms of training whatever the core
// count (the page's rule: 3 s on 4 or more logical cores, never on fewer).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { launchBrowser, openPlayground } from '../e2e/browser.mjs';
import { serveDirectory } from '../e2e/static-server.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const BACKENDS = opt('backends', 'cpu').split(',');
const SECONDS = Number(opt('seconds', 5));
const FAST_AFTER_MS = opt('fast-after-ms', null);
const PRESETS = opt('presets', 'default,dcgan_mnist,stylegan_mnist,largest').split(',');
// The largest config the validator accepts, as far as the cost limit lets it (2-D MLP).
const LARGEST = {
  generator: { hidden_layers: 8, width: 256 },
  discriminator: { hidden_layers: 8, width: 256 },
  train: { batch_size: 4096, d_steps: 1 },
};

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};

/** Installs the frame and long-task recorders (an init script). */
function recorders(fastAfterMs) {
  // The page's own rule for the fast CPU module (web/engine/engine.js: a run moves there after
  // 3 s of training on a machine with 4 or more cores), which the e2e harness turns off; or the
  // move after --fast-after-ms, to measure it on any machine.
  delete window.minimaxFastCpuAfterMs;
  if (fastAfterMs != null) window.minimaxFastCpuAfterMs = fastAfterMs;
  window.__gaps = [];
  window.__longTasks = [];
  window.__recording = false;
  let last = null;
  const frame = (t) => {
    if (window.__recording && last !== null) window.__gaps.push(t - last);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    if (window.__recording) for (const e of list.getEntries()) window.__longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
}

async function frameGaps(context, url, backend, preset) {
  const { page } = await openPlayground(context, url, backend, { initScript: `(${recorders})(${FAST_AFTER_MS == null ? 'null' : Number(FAST_AFTER_MS)})` });
  try {
    await page.waitForFunction(() => window.__readyStats, null, { timeout: 600_000 });
    const el = page.locator('gan-playground');
    const setup = preset === 'default' ? { ok: true } : preset === 'largest'
      ? await el.evaluate((e, c) => e.setConfig(c), LARGEST)
      : await el.evaluate((e, id) => e.loadPreset(id), preset);
    if (!setup.ok) throw new Error(`${preset}: ${JSON.stringify(setup.errors)}`);
    await el.evaluate((e) => e.step(1)); // after the first step (WebGPU compiles its kernels there)
    const before = await el.evaluate((e) => e.stats.step);
    await page.evaluate(() => ((window.__gaps = []), (window.__longTasks = []), (window.__recording = true)));
    await el.evaluate((e) => e.play());
    await page.waitForTimeout(SECONDS * 1000);
    // Pause: the time until the Play button shows "paused", in the page's own clock.
    const pauseMs = await el.evaluate(async (e) => {
      const t = performance.now();
      e.pause();
      const button = e.shadowRoot.querySelector('[data-action="play"], button[name="play"]');
      await new Promise((r) => requestAnimationFrame(r));
      return { ms: performance.now() - t, label: button?.textContent ?? '' };
    });
    await page.evaluate(() => (window.__recording = false));
    const { gaps, longTasks } = await page.evaluate(() => ({ gaps: window.__gaps, longTasks: window.__longTasks }));
    const stats = await el.evaluate((e) => ({ step: e.stats.step, backend: e.stats.backend, module: e.debug.module }));
    return {
      preset, backend: stats.backend, module: stats.module, steps: stats.step - before, frames: gaps.length,
      gapP50Ms: round(percentile(gaps, 50)), gapP95Ms: round(percentile(gaps, 95)), gapMaxMs: round(Math.max(...gaps)),
      longTasks: longTasks.length, longestTaskMs: round(longTasks.length ? Math.max(...longTasks) : 0),
      pauseToFrameMs: round(pauseMs.ms),
    };
  } finally {
    await page.close();
  }
}

async function firstStep(browser, url, throttled) {
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttled) {
      const bytesPerSecond = (10 * 1e6) / 8;
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
    }
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const el = document.querySelector('gan-playground');
        if (!el) return;
        observer.disconnect();
        el.addEventListener('step', () => (window.__firstStepMs ??= performance.now()));
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${url}/embed.html`);
    await page.waitForFunction(() => window.__firstStepMs, null, { timeout: 120_000, polling: 10 });
    return round(await page.evaluate(() => window.__firstStepMs));
  } finally {
    await page.close();
  }
}

const round = (x) => (x == null ? null : Math.round(x * 10) / 10);

// gzip, as a static host serves it: the download is part of the first-step time.
const server = await serveDirectory(process.env.DIST_DIR || 'dist', {}, {}, { gzip: true });
const browser = await launchBrowser();
const result = { date: new Date().toISOString(), seconds: SECONDS, fastAfterMs: FAST_AFTER_MS == null ? null : Number(FAST_AFTER_MS), cores: os.cpus().length, frames: [], firstStep: {} };
try {
  for (const backend of BACKENDS) {
    for (const preset of PRESETS) {
      const row = await frameGaps(browser.context, server.url, backend, preset).catch((e) => ({ preset, backend, error: e.message.split('\n')[0] }));
      console.error(JSON.stringify(row));
      result.frames.push(row);
    }
  }
  for (const throttled of [false, true]) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await firstStep(browser, server.url, throttled));
    result.firstStep[throttled ? 'throttled' : 'localhost'] = { runsMs: runs, medianMs: percentile(runs, 50) };
    console.error(`first step (${throttled ? '10 Mbit/s, 40 ms' : 'localhost'}): ${runs.join(', ')} ms`);
  }
} finally {
  await browser.close();
  await server.close();
}

const lines = [
  `Frame gaps on the main thread while training (${SECONDS} s of play after the first step; headless Chromium, ${result.cores} cores, ${result.date.slice(0, 10)}; fast CPU module: ${result.fastAfterMs == null ? "the page's rule" : `after ${result.fastAfterMs} ms of training`})`,
  '',
  '| preset | backend | module at the end | steps | frames | gap p50 ms | gap p95 ms | gap max ms | long tasks | longest ms | pause → next frame ms |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...result.frames.map((r) => (r.error
    ? `| ${r.preset} | ${r.backend} | error: ${r.error} ||||||||| `
    : `| ${r.preset} | ${r.backend} | ${r.module} | ${r.steps} | ${r.frames} | ${r.gapP50Ms} | ${r.gapP95Ms} | ${r.gapMaxMs} | ${r.longTasks} | ${r.longestTaskMs} | ${r.pauseToFrameMs} |`)),
  '',
  `Navigation → first finished step of embed.html's first playground, cold cache: localhost ${result.firstStep.localhost.medianMs} ms (runs ${result.firstStep.localhost.runsMs.join(', ')}); 10 Mbit/s + 40 ms ${result.firstStep.throttled.medianMs} ms (runs ${result.firstStep.throttled.runsMs.join(', ')}).`,
];
console.log(JSON.stringify(result));
console.log(lines.join('\n'));
const out = opt('json', null);
if (out) writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
