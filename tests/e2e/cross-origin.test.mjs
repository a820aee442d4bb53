// A post on one origin embeds the playground served from another, as a blog on its own domain
// embeds the playground from the project's site: the post's server sends a strict CSP naming the
// playground's origin; the playground's server sends (or forgets) Access-Control-Allow-Origin.
// With the header everything works (the engine worker starts through a same-origin blob that
// imports the real one); without it each element says what the host must add. The element's
// script included twice does no harm.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';

let browser;
let post; // the blog's origin
let withCors; // the playground's origin, with Access-Control-Allow-Origin
let withoutCors; // the same files without it
let postDir;

before(async () => {
  assert.ok(existsSync(`${DIST}/embed.html`), `${DIST}/embed.html not found: build the page first (trunk build)`);
  withCors = await serveDirectory(DIST, {}, { 'access-control-allow-origin': '*' });
  withoutCors = await serveDirectory(DIST);
  postDir = mkdtempSync(join(tmpdir(), 'minimax-post-'));
  for (const [name, origin] of [['with-cors.html', withCors.url], ['without-cors.html', withoutCors.url]]) {
    writeFileSync(join(postDir, name), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A post</title>
<script src="${origin}/web/main.js" async></script></head>
<body><h1>A post about GANs</h1>
<gan-playground id="game" preset="gan_2014" backend="cpu" controls="minimal"></gan-playground>
<dirac-gan id="dirac"></dirac-gan>
<!-- pasted a second time further down, as happens with two embeds in one post -->
<script src="${origin}/web/main.js" async></script>
</body></html>
`);
  }
  // The blog's policy: its own files, the playground's origin for scripts, modules, wasm and
  // fetches; for workers, blob: (the engine worker's same-origin shim) and the playground's origin
  // (the module graph of a worker is fetched as a worker); images it draws as blob: and data: URLs.
  const origins = `${withCors.url} ${withoutCors.url}`;
  post = await serveDirectory(postDir, {}, {
    'content-security-policy': `default-src 'self'; script-src 'self' ${origins} 'wasm-unsafe-eval'; ` +
      `connect-src 'self' ${origins}; worker-src 'self' blob: ${origins}; style-src 'self' ${origins} 'unsafe-inline'; img-src 'self' data: blob:`,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const server of [post, withCors, withoutCors]) await server?.close();
  if (postDir) rmSync(postDir, { recursive: true, force: true });
});

async function open(url) {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  return { page, problems };
}

test('from another origin with CORS, under the blog\'s CSP: the playground trains in its worker', { timeout: 180_000 }, async () => {
  const { page, problems } = await open(`${post.url}/with-cors.html`);
  await page.waitForFunction(() => document.getElementById('game')?.stats?.backend, null, { timeout: 120_000 });
  const seen = await page.evaluate(async () => {
    const e = document.getElementById('game');
    const stats = await e.step(30);
    return {
      stats, error: e.debug.errorText,
      dirac: document.getElementById('dirac').shadowRoot?.querySelector('canvas') !== null,
      link: e.shareLink(), code: e.embedCode(),
    };
  });
  assert.equal(seen.stats.step, 30);
  assert.ok(Number.isFinite(seen.stats.dLoss));
  assert.equal(seen.error, '');
  assert.ok(seen.dirac, '<dirac-gan> drew');
  assert.ok(seen.link.startsWith(`${post.url}/with-cors.html#game=`), 'the link points at the post');
  assert.ok(seen.code.startsWith(`<script src="${withCors.url}/web/main.js" async></script>\n`), seen.code);
  assert.deepEqual(problems, []);
  await page.close();
});

test('from another origin without CORS: each element says what the host must add', { timeout: 120_000 }, async () => {
  const { page, problems } = await open(`${post.url}/without-cors.html`);
  // Each element fails on its own (its modules load separately): wait for both.
  await page.waitForFunction(() => ['game', 'dirac'].every((id) => /could not load/.test(document.getElementById(id)?.shadowRoot?.textContent ?? '')),
    null, { timeout: 60_000 });
  const texts = await page.evaluate(() => ['game', 'dirac'].map((id) => document.getElementById(id).shadowRoot.textContent));
  for (const text of texts) {
    assert.ok(text.includes(`could not load: ${withoutCors.url}/web/`) && text.includes('.js is served without an Access-Control-Allow-Origin header'), text);
    assert.match(text, /Access-Control-Allow-Origin: \*/);
  }
  // The browser's own report of the blocked module is the only console error.
  assert.ok(problems.every((p) => /CORS|Access-Control-Allow-Origin|could not load|Failed to load resource|dynamically imported module/.test(p)), problems.join('\n'));
  await page.close();
});
