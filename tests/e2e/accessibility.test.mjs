// Accessibility of the playground and the demo post: an axe-core audit (WCAG 2.x A/AA and best
// practices, shadow roots included) on the page, the post, the dark theme and a 360 px phone;
// every control reachable with Tab in order and drawn with a focus ring; Play, the stabilizer
// chips and data drawing operable from the keyboard alone; prefers-reduced-motion honoured.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { serveDirectory } from './static-server.mjs';

const DIST = process.env.DIST_DIR || 'dist';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

let server;
let browser;

before(async () => {
  assert.ok(existsSync(`${DIST}/embed.html`), `${DIST}/embed.html not found: build the page first (trunk build --release)`);
  server = await serveDirectory(DIST);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// A page on the CPU backend with its first playground loaded; console errors are recorded.
async function open(path, { viewport = null, reducedMotion = null } = {}) {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  if (viewport) await page.setViewportSize(viewport);
  if (reducedMotion) await page.emulateMedia({ reducedMotion });
  await page.addInitScript(() => new MutationObserver(() => {
    for (const e of document.querySelectorAll('gan-playground:not([backend])')) e.setAttribute('backend', 'cpu');
  }).observe(document, { childList: true, subtree: true }));
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => document.querySelector('gan-playground')?.config, null, { timeout: 60_000 });
  return { page, problems };
}

// axe-core's violations on the page as "rule: target …" lines (empty when none).
async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: tags });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${JSON.stringify(n.target)} ${v.help}`));
  }, AXE_TAGS);
}

// The control focused now, through shadow roots, as "tag[name|data-*]" with its host's id.
const focused = (page) => page.evaluate(() => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a ? window.__describe(a) : null;
});

// Every control of the first playground a keyboard user should reach, in document order.
const reachable = (page) => page.evaluate(() => {
  const root = document.querySelector('gan-playground').shadowRoot;
  const all = root.querySelectorAll('button, select, input, textarea, a[href], [tabindex]');
  return [...all]
    .filter((e) => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({ visibilityProperty: true }))
    .map((e) => window.__describe(e));
});

async function installDescribe(page) {
  await page.evaluate(() => {
    window.__describe = (e) => {
      const name = e.getAttribute('name') ?? e.id ?? '';
      return `${e.localName}${name ? `[${name}]` : ''}${e.className ? `.${String(e.className).split(' ')[0]}` : ''}:${e.getAttribute('aria-label') ?? e.textContent.trim().slice(0, 24)}`;
    };
  });
}

test('axe finds no WCAG A/AA or best-practice violations: page, post, lesson, dark theme, phone', { timeout: 240_000 }, async () => {
  for (const [path, options, setup] of [
    ['/?', {}, null],
    ['/?', {}, (page) => page.evaluate(() => document.querySelector('gan-playground').setAttribute('theme', 'dark'))],
    ['/embed.html', {}, null],
    ['/lesson.html', {}, null],
    ['/?', { viewport: { width: 360, height: 740 } }, null],
  ]) {
    const { page, problems } = await open(path, options);
    if (setup) await setup(page);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${path} ${JSON.stringify(options)}${setup ? ' dark' : ''}`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('digit mode and the digit translator: no axe violations', { timeout: 240_000 }, async () => {
  const { page, problems } = await open('/?');
  const result = await page.evaluate(() => document.querySelector('gan-playground').loadPreset('dcgan_mnist'));
  assert.equal(result.ok, true);
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.mode === 'digits' && e.debug.digits.lastView !== null;
  }, null, { timeout: 120_000 });
  assert.deepEqual(await axeViolations(page), []);
  // The digit translator's panel, with its numbers shown.
  const translator = await page.evaluate(() => document.querySelector('gan-playground').loadPreset('cyclegan_mnist'));
  assert.equal(translator.ok, true);
  await page.waitForFunction(() => {
    const e = document.querySelector('gan-playground');
    return e.mode === 'digit-cycle' && e.metrics !== null;
  }, null, { timeout: 120_000 });
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('keyboard: Tab reaches every control in order with a focus ring; Play, chips and drawing work by keys', { timeout: 240_000 }, async () => {
  const { page, problems } = await open('/?');
  await installDescribe(page);
  const el = page.locator('gan-playground');
  const expected = await reachable(page);
  assert.ok(expected.length > 40, `only ${expected.length} controls found`);

  // Tab from the top of the page through the whole element.
  await page.evaluate(() => document.activeElement?.blur());
  const seen = [];
  const ringless = [];
  for (let i = 0; i < expected.length + 20 && seen.length < expected.length; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    const inside = await page.evaluate(() => document.activeElement?.localName === 'gan-playground');
    if (!inside) continue;
    seen.push(now);
    const ring = await el.evaluate((e) => {
      const a = e.shadowRoot.activeElement;
      const s = getComputedStyle(a);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    });
    if (!ring) ringless.push(now);
  }
  assert.deepEqual(seen, expected, 'Tab order differs from the controls in document order');
  assert.deepEqual(ringless, [], 'controls without a visible focus ring');

  // Play with the keyboard: focus it, press Space; and again to pause.
  await el.evaluate((e) => e.shadowRoot.querySelector('button[name="play"]').focus());
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('gan-playground').stats.step > 0, null, { timeout: 30_000 });
  assert.equal(await el.evaluate((e) => e.playing), true);
  await page.keyboard.press('Space');
  assert.equal(await el.evaluate((e) => e.playing), false);
  assert.equal(await el.evaluate((e) => e.shadowRoot.querySelector('button[name="play"]').getAttribute('aria-pressed')), 'false');

  // A stabilizer chip with Enter: it turns on and says so (aria-pressed).
  const chip = await el.evaluate((e) => {
    const b = e.shadowRoot.querySelector('[data-part="chips"] button[aria-pressed="false"]');
    b.focus();
    return b.name;
  });
  await page.keyboard.press('Enter');
  await page.waitForFunction((name) => [...document.querySelector('gan-playground').shadowRoot.querySelectorAll('[data-part="chips"] button')]
    .some((b) => b.name === name && b.getAttribute('aria-pressed') === 'true'), chip, { timeout: 10_000 });

  // Drawing data without a mouse: Draw data (Enter), Tab to the surface, arrows + Enter add
  // points where the cross-hair is, Backspace removes the last.
  await el.evaluate((e) => e.shadowRoot.querySelector('button[name="draw"]').focus());
  await page.keyboard.press('Enter');
  let next = null;
  for (let i = 0; i < 10 && next?.startsWith('canvas') !== true; i++) {
    await page.keyboard.press('Tab');
    next = await focused(page);
  }
  assert.match(next ?? '', /^canvas.*Data drawing/, 'the drawing surface is not reachable by Tab');
  await page.keyboard.press('Enter'); // at the origin
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowUp');
  await page.keyboard.press(' ');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Backspace');
  assert.equal(await el.evaluate((e) => e.shadowRoot.querySelector('.draw-count').textContent), '2 points');
  assert.deepEqual(await el.evaluate((e) => e.debug.drawnPoints), [[0, 0], [1, 0.5]]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 360 px phone: every control lies inside the screen and can be clicked', { timeout: 120_000 }, async () => {
  const { page, problems } = await open('/?', { viewport: { width: 360, height: 740 } });
  await installDescribe(page);
  const outside = await page.evaluate(() => {
    const root = document.querySelector('gan-playground').shadowRoot;
    const screen = document.documentElement.clientWidth; // 360 px less a scroll bar
    return [...root.querySelectorAll('button, select, input, [tabindex]')]
      .filter((e) => e.tabIndex >= 0 && e.checkVisibility({ visibilityProperty: true }))
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.left < 0 || r.right > screen || r.width < 1 || r.height < 1;
      })
      .map((e) => window.__describe(e));
  });
  assert.deepEqual(outside, [], 'controls outside a 360 px screen');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360);
  // The last control of the settings form is scrolled to and used by a real click.
  const seed = page.locator('gan-playground').locator('#cfg-seed');
  await seed.scrollIntoViewIfNeeded();
  await seed.click();
  await seed.fill('7');
  await seed.press('Enter');
  await page.waitForFunction(() => document.querySelector('gan-playground').config.seed === 7, null, { timeout: 30_000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('prefers-reduced-motion: autoplay waits for Play, views redraw at most once a second', { timeout: 180_000 }, async () => {
  const { page, problems } = await open('/embed.html', { reducedMotion: 'reduce' });
  const game = page.locator('gan-playground#minimax-game');
  // The post's first playground has autoplay: under reduced motion it loads but does not start.
  await page.waitForFunction(() => document.getElementById('minimax-game').debug.viewCount > 0, null, { timeout: 60_000 });
  await page.waitForTimeout(1500);
  assert.equal(await game.evaluate((e) => e.stats.step), 0);
  assert.equal(await game.evaluate((e) => e.playing), false);
  assert.match(await game.evaluate((e) => e.shadowRoot.querySelector('[data-banner="notice"]').textContent), /reduced motion.*Press Play/);

  // Played, it trains with at most one view a second (plus the one Play may draw at once).
  await game.evaluate((e) => e.play());
  const start = await game.evaluate((e) => ({ views: e.debug.viewCount, t: performance.now() }));
  await page.waitForTimeout(4000);
  const end = await game.evaluate((e) => ({ views: e.debug.viewCount, t: performance.now(), step: e.stats.step }));
  assert.ok(end.step > 20, `trained ${end.step} steps`);
  const seconds = (end.t - start.t) / 1000;
  assert.ok(end.views - start.views <= Math.ceil(seconds) + 1, `${end.views - start.views} views in ${seconds.toFixed(1)} s`);
  await game.evaluate((e) => e.pause());
  assert.deepEqual(problems, []);
  await page.close();

  // Without the preference the same playground starts by itself and keeps redrawing. How often
  // is the machine's: the interval adapts to what a view costs (run/trainer.js), and on a busy
  // 2-core machine it came to 4-6 views in 4 s (it was > 6 when the machine was idle), so only
  // "keeps redrawing" is asserted; the once-a-second bound above is the preference's.
  const normal = await open('/embed.html');
  await normal.page.waitForFunction(() => document.getElementById('minimax-game').stats.step > 0, null, { timeout: 60_000 });
  const a = await normal.page.evaluate(() => document.getElementById('minimax-game').debug.viewCount);
  await normal.page.waitForTimeout(4000);
  const b = await normal.page.evaluate(() => document.getElementById('minimax-game').debug.viewCount);
  assert.ok(b - a >= 2, `${b - a} views in 4 s without reduced motion`);
  await normal.page.evaluate(() => document.getElementById('minimax-game').pause());
  assert.deepEqual(normal.problems, []);
  await normal.page.close();
});
