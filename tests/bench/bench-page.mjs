// The speed benchmark's page (tests/bench/speed/page.html) on one build of dist/, in a browser of
// its own, set up to train `config` on the CPU: shared by the A/B (ab.mjs) and profiling
// (wasm-profile.mjs) scripts. `glue` picks the module: the small CPU one by default.
import { launchBrowser } from '../e2e/browser.mjs';
import { serveDirectory } from '../e2e/static-server.mjs';

/**
 * @returns {Promise<{page: import('playwright-core').Page, context: import('playwright-core').BrowserContext,
 *   call: (fn: string, ...args: any[]) => Promise<any>, close: () => Promise<void>}>}
 */
export async function openBenchPage(dist, config, { glue = 'minimax-web.js' } = {}) {
  const server = await serveDirectory(dist, { '/bench/': 'tests/bench/speed' });
  const browser = await launchBrowser();
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/bench/page.html?glue=/${glue}`);
    await page.waitForFunction(() => window.minimaxBench);
    const call = (fn, ...args) => page.evaluate(([f, a]) => window.minimaxBench[f](...a), [fn, args]);
    await call('setup', config, 'cpu');
    return { page, context: browser.context, call, close };
  } catch (error) {
    await close();
    throw error;
  }
}
