// Steps/s of one page over time: `node tests/bench/rate-over-time.mjs [--config mlp-m]
// [--glue minimax-web-fast.js] [--seconds 20] [--chunk 10] [--before mlp-s]` on the built dist/
// (one line per second). Shows when a page's speed settles (Chromium's optimising tier) or
// drifts. --before: first train that config for 5 s in another page of the same browser, as the
// speed benchmark does (its loads share a browser and so Chromium's wasm code cache).
import { openBenchPage } from './bench-page.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const config = opt('config', 'mlp-m');
const seconds = Number(opt('seconds', 20));
const chunk = Number(opt('chunk', 10));
const bench = await openBenchPage(opt('dist', 'dist'), config, { glue: opt('glue', 'minimax-web-fast.js') });
try {
  const before = opt('before', null);
  if (before) {
    const page = await bench.context.newPage();
    await page.goto(bench.page.url());
    await page.waitForFunction(() => window.minimaxBench);
    await page.evaluate(async (c) => {
      await window.minimaxBench.setup(c, 'cpu');
      const start = performance.now();
      while (performance.now() - start < 5000) await window.minimaxBench.train(100, 10);
    }, before);
    await page.close();
    await bench.page.reload();
    await bench.page.waitForFunction(() => window.minimaxBench);
    await bench.call('setup', config, 'cpu');
  }
  const rates = [];
  let probe = await bench.call('train', 20, chunk);
  for (let s = 0; s < seconds; s++) {
    probe = await bench.call('train', Math.max(chunk, Math.round(probe.stepsPerSecond)), chunk);
    rates.push(Math.round(probe.stepsPerSecond));
    console.log(`${s + 1} s: ${probe.stepsPerSecond.toFixed(1)} steps/s`);
  }
  console.log(JSON.stringify({ config, chunk, rates }));
} finally {
  await bench.close();
}
