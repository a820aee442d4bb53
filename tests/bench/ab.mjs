// A/B of CPU module builds: steps/s of the playground's wasm in two or more copies of dist/
// (say one with a changed profile or kernel), in headless Chromium, alternating a fresh browser
// per (round, build, config) so that the machine's drift falls on every build alike. Minimax
// only, no TF.js: for a ratio against TF.js, run tests/bench/speed/run.mjs on the winner.
//
//   cargo build --profile web --target wasm32-unknown-unknown -p minimax-web
//   cp -r dist /tmp/dist-b
//   wasm-bindgen --target web --out-dir /tmp/dist-b --out-name minimax-web \
//     "$CARGO_TARGET_DIR/wasm32-unknown-unknown/web/minimax_web.wasm"
//   node tests/bench/ab.mjs [--configs mlp-m,mlp-l] [--rounds 3] [--json FILE] dist /tmp/dist-b
//
// Each cell: a warm-up of half the steps, then `steps` steps read back every 10 (the
// speed benchmark's page, tests/bench/speed/page.js). Prints a Markdown table of medians and
// every round's figure; --json writes them. Measures nothing in CI.
import { writeFileSync } from 'node:fs';
import { openBenchPage } from './bench-page.mjs';

const argv = process.argv.slice(2);
const options = {};
const builds = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) options[argv[i].slice(2)] = argv[++i];
  else builds.push(argv[i]);
}
if (builds.length < 1) throw new Error('usage: node tests/bench/ab.mjs [--configs …] [--rounds N] [--json FILE] DIST…');
const configs = (options.configs ?? 'mlp-m,mlp-l').split(',');
const rounds = Number(options.rounds ?? 3);
// Timed steps per cell: about 3 s each on this 2-core machine, after a warm-up of half as many.
// Shorter phases measure Chromium's baseline wasm code: its optimising compiler takes over the
// hot functions only after a second or two (a 300-step phase read 20-30 % low on mlp-m).
const STEPS = { 'mlp-s': 6000, 'mlp-m': 1500, 'mlp-l': 180, dcgan: 6 };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Steps/s of `config` in the build at `dist`, in a browser of its own. */
async function cell(dist, config) {
  const { call, close } = await openBenchPage(dist, config);
  try {
    const steps = STEPS[config] ?? 100;
    await call('train', Math.ceil(steps / 2), 10);
    return (await call('train', steps, 10)).stepsPerSecond;
  } finally {
    await close();
  }
}

const results = {}; // `${config} ${dist}` -> steps/s per round
for (let round = 0; round < rounds; round++) {
  for (const dist of builds) {
    for (const config of configs) {
      const rate = await cell(dist, config);
      (results[`${config}\t${dist}`] ??= []).push(rate);
      console.error(`round ${round + 1}: ${config} ${dist} ${rate.toFixed(1)} steps/s`);
    }
  }
}
const rows = Object.entries(results).map(([key, rates]) => {
  const [config, dist] = key.split('\t');
  return { config, dist, median: median(rates), rates };
});
console.log('| config | build | steps/s (median) | rounds |\n| --- | --- | ---: | --- |');
for (const r of rows) console.log(`| ${r.config} | ${r.dist} | ${r.median.toFixed(1)} | ${r.rates.map((x) => x.toFixed(1)).join(', ')} |`);
if (options.json) writeFileSync(options.json, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
