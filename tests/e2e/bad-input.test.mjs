// The bad-input corpora of the element's two doors for strangers' text, beside
// tests/bad-input/configs.json (setConfig, in robustness.test.mjs): attribute values
// (tests/bad-input/attributes.json) and shared links (tests/bad-input/share-links.json). Each
// case must produce its message in the element; after every case the host page's prototypes are
// as they were, its console has no error, and the playground trains on.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPlayground } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';
const ATTRIBUTES = JSON.parse(readFileSync('tests/bad-input/attributes.json', 'utf8')).cases;
const LINKS = JSON.parse(readFileSync('tests/bad-input/share-links.json', 'utf8')).cases;

let server;
let browser;

before(async () => {
  assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html not found: build the page first (trunk build)`);
  server = await serveDirectory(DIST);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The generated forms of the corpora: NESTED:<depth> and LONG:<length> JSON, JSON:<text>. */
function expand(value) {
  const [form, arg] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
  if (form === 'NESTED') return '{"a":'.repeat(Number(arg)) + '1' + '}'.repeat(Number(arg));
  if (form === 'LONG') return `{"seed": 1${' '.repeat(Number(arg) - 11)}}`; // exactly arg characters
  return value;
}

/** What the host page's prototypes hold (own keys), to compare before and after each case. */
const PROTOTYPES = () => [Object.prototype, Array.prototype, Function.prototype, String.prototype]
  .map((p) => Object.getOwnPropertyNames(p).sort().join(',')).join('|') + `|polluted=${({}).polluted}`;

test(`every bad attribute value (${ATTRIBUTES.length}) is named in the element; the page is untouched, training goes on`, { timeout: 300_000 }, async () => {
  const { page, problems } = await openPlayground(browser.context, server.url, 'cpu');
  await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
  const clean = await page.evaluate(PROTOTYPES);
  const failures = [];
  for (const c of ATTRIBUTES) {
    const value = c.value.startsWith('NESTED:') || c.value.startsWith('LONG:') ? expand(c.value) : c.value;
    const seen = await page.evaluate(async ([name, value]) => {
      const e = document.querySelector('gan-playground');
      const before = e.getAttribute(name);
      const step = e.stats.step;
      e.setAttribute(name, value);
      const t0 = performance.now();
      while (!e.debug.errorText && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      const text = e.debug.errorText;
      if (before === null) e.removeAttribute(name); else e.setAttribute(name, before);
      while (e.debug.errorText && performance.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 50));
      const trained = await e.step(1);
      return { text, cleared: e.debug.errorText, trainedOn: trained.step > step && Number.isFinite(trained.dLoss) };
    }, [c.attribute, value]);
    const prototypes = await page.evaluate(PROTOTYPES);
    if (!seen.text.includes(c.says) || seen.cleared !== '' || !seen.trainedOn || prototypes !== clean || problems.length) {
      failures.push(`${c.attribute}=${c.value.slice(0, 60)}: said ${JSON.stringify(seen.text)}, then ${JSON.stringify(seen.cleared)}; ` +
        `trained on: ${seen.trainedOn}; prototypes ${prototypes === clean ? 'clean' : 'CHANGED'}; console: ${problems.join(' / ')}`);
    }
  }
  assert.deepEqual(failures, []);
  await page.close();
});

for (const c of LINKS) {
  test(`a shared link that is ${c.name}: the reader is told, the page's setup trains, the page is untouched`, { timeout: 120_000 }, async () => {
    const hash = c.hash.startsWith('#') ? c.hash : `#playground=${Buffer.from(expand(c.hash.replace(/^JSON:/, ''))).toString('base64url')}`;
    const { page, problems } = await openPlayground(browser.context, server.url, 'cpu', { path: `/${hash}` });
    await page.waitForFunction(() => window.__readyStats, null, { timeout: 120_000 });
    const seen = await page.evaluate(async () => {
      const e = document.querySelector('gan-playground');
      const stats = await e.step(2);
      return { text: e.debug.errorText, step: stats.step, batch: e.config.train.batch_size };
    });
    assert.ok(seen.text.includes(c.says), `the element says so: ${seen.text}`);
    assert.equal(seen.step, 2, 'the page\'s setup trains');
    assert.equal(seen.batch, await page.evaluate(() => JSON.parse(window.wasmBindings.defaultConfig()).train.batch_size));
    assert.equal(await page.evaluate(() => ({}).polluted), undefined);
    assert.deepEqual(problems, []);
    await page.close();
  });
}
