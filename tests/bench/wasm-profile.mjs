// Where a training step of the CPU module goes, in the browser: Chromium's sampling profiler
// (CDP) on the speed benchmark's page while it trains one configuration, summed by wasm function
// (self time, then inclusive time). The shipped module has no function names (the Trunk hook
// strips them), so profile a copy of dist/ with a named build of the same code:
//
//   cargo build --profile web --target wasm32-unknown-unknown -p minimax-web
//   cp -r dist /tmp/dist-named
//   wasm-bindgen --target web --out-dir /tmp/dist-named --out-name minimax-web \
//     "$CARGO_TARGET_DIR/wasm32-unknown-unknown/web/minimax_web.wasm"
//   node tests/bench/wasm-profile.mjs --dist /tmp/dist-named --config mlp-m [--steps 1500] [--callers relu] [--width 400]
//
// --callers NAME also prints the call chains (six frames up) that lead to functions whose name
// contains NAME. Used for docs/engine.md ("Adam in one pass"); prints text, measures nothing in CI.
import { openBenchPage } from './bench-page.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const dist = opt('dist', 'dist');
const config = opt('config', 'mlp-m');
const steps = Number(opt('steps', 1500));
const callersOf = opt('callers', null);
const TOP = 40;
// Characters of each printed name (--width): call chains need more than the default.
const WIDTH = Number(opt('width', 140));

const { page, context, call, close } = await openBenchPage(dist, config);
try {
  await call('train', Math.min(200, steps), 10); // warm-up: allocator and caches settle
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); // µs
  await cdp.send('Profiler.start');
  const run = await call('train', steps, 10);
  const { profile } = await cdp.send('Profiler.stop');
  console.log(`${config}: ${steps} steps at ${run.stepsPerSecond.toFixed(0)} steps/s (while profiled)`);
  report(profile);
} finally {
  await close();
}

/** Prints self and inclusive shares by function name, and the callers asked for. */
function report(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map(); // node id -> sampled µs
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...time.values()].reduce((a, b) => a + b, 0);
  const name = (id) => (byId.get(id).callFrame.functionName || '(anonymous)').replace(/::h[0-9a-f]{16}/, '');
  const selfTime = new Map();
  const inclusive = new Map();
  for (const [id, t] of time) {
    selfTime.set(name(id), (selfTime.get(name(id)) ?? 0) + t);
    const seen = new Set();
    for (let cur = id; cur != null; cur = parent.get(cur)) {
      if (seen.has(name(cur))) continue; // recursion counts once
      seen.add(name(cur));
      inclusive.set(name(cur), (inclusive.get(name(cur)) ?? 0) + t);
    }
  }
  const print = (title, map) => {
    console.log(`\n${title}`);
    for (const [n, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`${((100 * t) / total).toFixed(1).padStart(5)} %  ${n.slice(0, WIDTH)}`);
    }
  };
  print('self time', selfTime);
  print('inclusive time', inclusive);
  if (!callersOf) return;
  const chains = new Map();
  for (const [id, t] of time) {
    if (!name(id).includes(callersOf)) continue;
    const chain = [];
    for (let cur = parent.get(id); cur != null && chain.length < 6; cur = parent.get(cur)) chain.push(name(cur).slice(0, Math.max(80, WIDTH / 6)));
    const key = chain.join(' <- ');
    chains.set(key, (chains.get(key) ?? 0) + t);
  }
  print(`callers of ${callersOf}`, chains);
}
