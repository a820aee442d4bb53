// Launching the system Chromium for the e2e tests and opening the playground page in it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Headless Chromium with WebGPU on SwiftShader and no background network (also used over WebDriver). */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @returns {Promise<{context: import('playwright-core').BrowserContext, close: () => Promise<void>}>} */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'minimax-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: false, // --headless=new is passed explicitly, so Playwright must not add its own flag
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 1000 },
  });
  // A run on the small CPU module moves to the fast one after a few seconds of training
  // (web/run/run-control.js): never in these tests unless a page's own init script says when.
  await context.addInitScript(() => {
    window.minimaxFastCpuAfterMs ??= Infinity;
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `${baseUrl}/?` with <gan-playground backend=…> set as the parser inserts it, so the very
 * first model is built on that backend; records console errors, page errors and failed loads.
 * `initScript` (a function or its source) runs in the page before any of its scripts;
 * `prepare(page)` runs before the page is opened (routes, say); `path` is opened under `baseUrl`.
 * @returns {Promise<{page: import('playwright-core').Page, problems: string[]}>}
 */
export async function openPlayground(context, baseUrl, backend, { initScript = null, prepare = null, path = '/?' } = {}) {
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  if (prepare) await prepare(page);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  await page.addInitScript((wanted) => {
    new MutationObserver((_, observer) => {
      const el = document.querySelector('gan-playground');
      if (!el) return;
      observer.disconnect();
      el.setAttribute('backend', wanted);
      el.addEventListener('ready', (e) => (window.__readyStats = e.detail), { once: true });
    }).observe(document, { childList: true, subtree: true });
  }, backend);
  await page.goto(`${baseUrl}${path}`);
  return { page, problems };
}
