// The speed benchmark: the playground's wasm (dist/, built by `trunk build`) and TensorFlow.js
// 4.22 (shared/peers/tfjs-gan-bench, installed by scripts/bench.sh) train the same GAN
// configurations in one headless Chromium, one fresh page per load. Prints JSON and Markdown
// tables (steps/s, ratios, first step, sizes, memory) and writes them to --out.
//
//   node tests/bench/speed/run.mjs --peer DIR [--configs mlp-s,mlp-m,mlp-l,dcgan]
//        [--backends cpu,webgpu] [--loads 3] [--memory] [--quick] [--out docs/bench]
//        [--merge docs/bench/browser.json] [--cpu-module fast|small]
//
// --merge re-measures only the given configs/backends and keeps every other cell of an earlier
// result (the tables name the cells measured later and when). --cpu-module: which CPU module
// "minimax cpu" is, the fast one (default: where a run trains after its first seconds) or the
// small one every reader downloads first.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import os from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../../e2e/browser.mjs';
import { serveDirectory } from '../../e2e/static-server.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const flag = (name) => argv.includes(`--${name}`);

const DIST = opt('dist', 'dist');
const PEER = opt('peer', process.env.PEER_DIR);
const CONFIGS = opt('configs', 'mlp-s,mlp-m,mlp-l,dcgan').split(',');
const BACKENDS = opt('backends', 'cpu,webgpu').split(',');
const LOADS = Number(opt('loads', 3));
const QUICK = flag('quick');
const OUT = opt('out', null);
const CPU_MODULE = opt('cpu-module', 'fast');
if (!['fast', 'small'].includes(CPU_MODULE)) throw new Error(`--cpu-module fast|small, not ${CPU_MODULE}`);
// Seconds each timed phase aims for (steps are chosen from a short calibration run).
const PHASE_S = Number(opt('phase-seconds', QUICK ? 0.5 : 3));
// Seconds each engine trains on the 2-D configs after its first step and before the timed
// phases, read back every 10 steps. Chromium compiles wasm twice: a quick baseline tier at once
// and the optimising tier in the background, which takes 1-3 s for our 3.6-5.7 MB modules on two
// cores (TF.js's wasm kernels are far smaller). Without a warm-up the first timed phase (readback
// every step) ran partly on baseline code: 526 against 717 steps/s at every 10 on mlp-m.
const WARMUP_S = Number(opt('warmup-seconds', QUICK ? 0 : 2));
const PAGE_TIMEOUT = 900_000;

// The peer's query per configuration, and its step plans (as in its own run.mjs, cut for the
// slow SwiftShader WebGPU so the whole grid stays well under an hour on two cores).
const PEER_CONFIGS = {
  'mlp-s': { model: 'mlp2d', hidden: '16,16', batch: 64 },
  'mlp-m': { model: 'mlp2d', hidden: '64,64', batch: 256 },
  'mlp-l': { model: 'mlp2d', hidden: '128,128,128', batch: 512 },
  dcgan: { model: 'dcgan28', batch: 64 },
};
const PEER_PLAN = {
  'mlp-s': { cpu: [200, 20], wasm: [200, 20], webgpu: [20, 5] },
  'mlp-m': { cpu: [100, 10], wasm: [200, 20], webgpu: [10, 3] },
  'mlp-l': { cpu: [20, 3], wasm: [50, 5], webgpu: [10, 2] },
  // TF.js's wasm backend cannot train a conv net (no Conv2DBackpropFilter), so its plain-JS cpu
  // backend is its best CPU path for DCGAN: ~40 s a step, so one warm-up and one timed step.
  dcgan: { wasm: [3, 1], cpu: [1, 1], webgpu: [2, 1] },
};
// The peer's backends compared with ours: its best CPU backend (wasm) and plain cpu; webgpu.
const PEER_BACKENDS = { cpu: ['wasm', 'cpu'], webgpu: ['webgpu'] };
const READBACKS = [1, 10];

const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!s.length) return null;
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const log = (...a) => console.error(new Date().toISOString().slice(11, 19), ...a);

/**
 * The wasm-bindgen glue of the module that trains on `backend`: for the CPU the fast module by
 * default (a run moves there after its first seconds of training: steady-state speed), the small
 * one with --cpu-module small (what the first seconds run on); or the WebGPU module.
 */
function glueName(backend) {
  const cpu = CPU_MODULE === 'small' ? 'minimax-web.js' : 'minimax-web-fast.js';
  const js = backend === 'webgpu' ? 'minimax-web-gpu.js' : cpu;
  if (!existsSync(join(DIST, js))) throw new Error(`no ${js} in ${DIST}: run trunk build first`);
  return js;
}

function sizes() {
  const of = (b) => ({ bytes: b.length, gzip: gzipSync(b, { level: 9 }).length, brotli: brotliCompressSync(b).length });
  const wasm = of(readFileSync(join(DIST, 'minimax-web_bg.wasm')));
  const fastWasm = of(readFileSync(join(DIST, 'minimax-web-fast_bg.wasm')));
  const webgpuWasm = of(readFileSync(join(DIST, 'minimax-web-gpu_bg.wasm')));
  const web = readdirSync(join(DIST, 'web'), { recursive: true })
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(DIST, 'web', f)));
  const js = Buffer.concat([readFileSync(join(DIST, 'minimax-web.js')), ...web]);
  return { wasm, fastWasm, webgpuWasm, js: { ...of(js), files: web.length + 1 } };
}

/** One page load of our benchmark page: first step, then each readback pattern, timed. */
async function oursLoad(context, url, config, backend) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.minimaxBench, null, { timeout: PAGE_TIMEOUT });
    const call = (fn, ...args) => page.evaluate(([f, a]) => window.minimaxBench[f](...a), [fn, args]);
    const first = await call('setup', config, backend);
    if (first.backend !== backend) throw new Error(`asked for ${backend}, got ${first.backend}: ${first.note}`);
    // Calibrate: a short run (longer where steps are fast) gives the rate that sizes the phases.
    let probe = await call('train', 2, 1);
    if (probe.stepsPerSecond > 20) probe = await call('train', 20, 10);
    if (config !== 'dcgan' && WARMUP_S > 0) {
      // Calls of about a quarter of a second until the warm-up time is spent; the last one
      // sizes the phases.
      const start = Date.now();
      while (Date.now() - start < WARMUP_S * 1000) {
        probe = await call('train', Math.max(10, Math.round(probe.stepsPerSecond / 4)), 10);
      }
    }
    const steps = Math.max(QUICK ? 2 : 3, Math.min(5000, Math.round(probe.stepsPerSecond * PHASE_S)));
    const timings = [];
    // Readback every step, every 10, and in chunks of 100 (or all steps in one call when fewer).
    for (const chunk of [...READBACKS, 100]) {
      const r = await call('train', steps, Math.min(chunk, steps));
      timings.push({ readback: chunk, steps: r.steps, stepsPerSecond: r.stepsPerSecond, losses: r.losses });
    }
    return { ...first, timings, errors };
  } finally {
    await page.close();
  }
}

/** A fresh page load: wasm memory and JS heap (after a forced GC) at each step count of one
 * run, trained in chunks of 100 as the page does. */
async function memoryProfile(context, url, config, backend, marks) {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.minimaxBench, null, { timeout: PAGE_TIMEOUT });
    const call = (fn, ...args) => page.evaluate(([f, a]) => window.minimaxBench[f](...a), [fn, args]);
    await call('setup', config, backend);
    const cdp = await page.context().newCDPSession(page);
    const rows = [];
    let done = 1;
    for (const mark of marks) {
      await call('train', mark - done, 100);
      done = mark;
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      rows.push({ steps: mark, wasmBytes: await call('wasmMemoryBytes'), jsHeapUsedBytes: heap.usedSize });
      log(`  memory ${backend} ${config} after ${mark} steps: wasm ${rows.at(-1).wasmBytes} B, JS heap ${heap.usedSize} B`);
    }
    await cdp.detach();
    return rows;
  } finally {
    await page.close();
  }
}

/** One page load of the peer's bench.html (it times itself and fills window.__bench). */
async function peerLoad(context, base, config, backend, load, warmupSteps = null) {
  const [steps, planWarmup] = QUICK ? [3, 1] : PEER_PLAN[config][backend];
  const warmup = warmupSteps ?? planWarmup;
  const query = new URLSearchParams({ ...PEER_CONFIGS[config], backend, steps, warmup, seed: load + 1,
    readbacks: (config === 'dcgan' ? [1] : READBACKS).join(',') });
  const page = await context.newPage();
  try {
    // The peer trains inside its page's load (TF.js cpu DCGAN: ~40 s a step), so the load
    // itself gets the long timeout too.
    await page.goto(`${base}/peer/bench.html?${query}`, { timeout: PAGE_TIMEOUT });
    await page.waitForFunction(() => window.__bench && window.__bench.status !== 'running', null,
      { timeout: PAGE_TIMEOUT, polling: 250 });
    const r = await page.evaluate(() => window.__bench);
    if (r.status !== 'done') return { error: r.error };
    return { firstStepMs: r.firstStepMs, warmup: r.warmup, timings: r.timings.map((t) => ({ readback: t.readback, steps: t.steps, stepsPerSecond: t.stepsPerSec })) };
  } finally {
    await page.close();
  }
}

/** The peer's warm-up in steps for WARMUP_S seconds (its page counts steps, not time), from an
 * untimed calibration load at its plan; null (the plan's) for DCGAN or without a warm-up. */
async function peerWarmup(context, base, config, backend) {
  if (config === 'dcgan' || WARMUP_S <= 0) return null;
  const r = await peerLoad(context, base, config, backend, 0).catch(() => null);
  const rate = r?.timings?.find((t) => t.readback === 10)?.stepsPerSecond;
  if (!rate) return null;
  const steps = Math.max(PEER_PLAN[config][backend][1], Math.round(rate * WARMUP_S));
  log(`tfjs ${backend} ${config}: warm-up ${steps} steps (${WARMUP_S} s at ${rate.toFixed(1)} steps/s)`);
  return steps;
}

function summarise(loads) {
  const ok = loads.filter((l) => !l.error);
  if (!ok.length) return { error: loads[0]?.error ?? 'not run' };
  const rate = (rb) => median(ok.map((l) => l.timings.find((t) => t.readback === rb)?.stepsPerSecond));
  return {
    loads: ok.length,
    stepsPerSecond: Object.fromEntries([...READBACKS, 100].map((rb) => [rb, rate(rb)]).filter(([, v]) => v != null)),
    firstStepMs: median(ok.map((l) => l.firstStepMs)),
    wasmToFirstStepMs: median(ok.map((l) => l.wasmToFirstStepMs)),
    navigationToFirstStepMs: median(ok.map((l) => l.navigationToFirstStepMs)),
    error: ok.length < loads.length ? loads.find((l) => l.error).error : null,
  };
}

async function main() {
  if (!PEER || !existsSync(join(PEER, 'node_modules/@tensorflow/tfjs'))) {
    throw new Error('--peer DIR must be a copy of shared/peers/tfjs-gan-bench with `npm ci` done (scripts/bench.sh makes one)');
  }
  const server = await serveDirectory(DIST, { '/bench/': 'tests/bench/speed', '/peer/': PEER });
  const browser = await launchBrowser();
  const chromium = execFileSync(process.env.CHROMIUM || '/usr/bin/chromium', ['--version']).toString().trim();
  const result = {
    date: new Date().toISOString(), chromium,
    machine: `${os.cpus().length} cores (${os.cpus()[0].model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`,
    sizes: sizes(), cpuModule: CPU_MODULE, warmupSeconds: WARMUP_S, phaseSeconds: PHASE_S, cells: [],
  };
  const memoryFor = (config, backend) => {
    if (!flag('memory')) return null;
    if (backend === 'cpu' && (config === 'mlp-s' || config === 'mlp-m')) return [1000, 20000];
    // ~10 min on SwiftShader; wasm memory grows while Burn's pools and fusion caches fill
    // (measured 8.9 MB at 100 steps, 17.9 at 1,000, 18.7 from 2,000 to 4,000), then stays flat.
    if (backend === 'webgpu' && config === 'mlp-s') return [1000, 20000];
    return null;
  };
  try {
    for (const config of CONFIGS) {
      for (const backend of BACKENDS) {
        const loads = [];
        const url = `${server.url}/bench/page.html?glue=/${glueName(backend)}`;
        // DCGAN on SwiftShader's WebGPU takes minutes per load: one load, as for TF.js.
        const loadsHere = config === 'dcgan' && backend === 'webgpu' ? 1 : LOADS;
        for (let i = 0; i < loadsHere; i++) {
          const r = await oursLoad(browser.context, url, config, backend).catch((e) => ({ error: e.message.split('\n')[0] }));
          log(`minimax ${backend} ${config} load ${i + 1}:`, r.error ?? r.timings.map((t) => `rb ${t.readback}: ${t.stepsPerSecond.toFixed(2)}/s`).join(', '), r.error ? '' : `first ${r.firstStepMs.toFixed(0)} ms`);
          loads.push(r);
          if (r.error) break;
        }
        const cell = { engine: 'minimax', config, backend, ...summarise(loads) };
        const marks = memoryFor(config, backend);
        if (marks && !cell.error) {
          cell.memory = await memoryProfile(browser.context, url, config, backend, marks).catch((e) => (cell.error = `memory: ${e.message.split('\n')[0]}`, null));
        }
        result.cells.push(cell);
        for (const peerBackend of PEER_BACKENDS[backend] ?? []) {
          if (!PEER_PLAN[config][peerBackend]) continue;
          const peerLoads = [];
          const n = config === 'dcgan' ? 1 : LOADS;
          const warmup = await peerWarmup(browser.context, server.url, config, peerBackend);
          for (let i = 0; i < n; i++) {
            const r = await peerLoad(browser.context, server.url, config, peerBackend, i, warmup).catch((e) => ({ error: e.message.split('\n')[0] }));
            log(`tfjs ${peerBackend} ${config} load ${i + 1}:`, r.error ?? r.timings.map((t) => `rb ${t.readback}: ${t.stepsPerSecond.toFixed(2)}/s`).join(', '));
            peerLoads.push(r);
            if (r.error) break;
          }
          result.cells.push({ engine: 'tfjs', config, backend: peerBackend, ...summarise(peerLoads) });
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (opt('merge')) merge(result, JSON.parse(readFileSync(opt('merge'), 'utf8')));
  const tables = markdown(result);
  console.log(JSON.stringify(result));
  console.log(tables);
  if (OUT) {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'browser.json'), `${JSON.stringify(result, null, 1)}\n`);
    writeFileSync(join(OUT, 'browser.md'), `${tables}\n`);
    log(`wrote ${OUT}/browser.json and ${OUT}/browser.md`);
  }
}

/** Puts the cells just measured into an earlier result, in its order, noting which and when. */
function merge(result, earlier) {
  const key = (c) => `${c.engine} ${c.config} ${c.backend}`;
  const fresh = new Map(result.cells.map((c) => [key(c), c]));
  const cells = earlier.cells.map((c) => fresh.get(key(c)) ?? c);
  for (const c of result.cells) if (!earlier.cells.some((e) => key(e) === key(c))) cells.push(c);
  const later = [...(earlier.remeasured ?? []), ...result.cells.map((c) => ({ cell: key(c), date: result.date }))];
  Object.assign(result, { ...earlier, cells, remeasured: later });
}

function markdown(result) {
  const fmt = (v) => (v == null ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));
  const cell = (engine, config, backend) => result.cells.find((c) => c.engine === engine && c.config === config && c.backend === backend);
  const configs = [...new Set(result.cells.map((c) => c.config))];
  const cpuModule = result.cpuModule === 'small' ? 'the small CPU module (minimax-web)' : 'the fast CPU module (minimax-web-fast, where a run trains after its first seconds)';
  const lines = [`${result.chromium}, ${result.machine}, ${result.date.slice(0, 10)}; steps/s, median of ${LOADS} page loads (DCGAN on TF.js: 1); minimax cpu: ${cpuModule}.`];
  if (result.warmupSeconds != null) lines.push(`Each engine trains ${result.warmupSeconds} s after its first step before the timed phases (2-D configs; ~${result.phaseSeconds} s each).`);
  if (result.remeasured?.length) lines.push(`Re-measured later: ${result.remeasured.map((r) => `${r.cell} (${r.date.slice(0, 10)})`).join(', ')}.`);
  lines.push('');
  lines.push('| config | readback | minimax cpu | tfjs wasm | tfjs cpu | **cpu ratio** | minimax webgpu | tfjs webgpu | **webgpu ratio** |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const config of configs) {
    for (const rb of READBACKS) {
      const get = (e, b) => cell(e, config, b)?.stepsPerSecond?.[rb] ?? null;
      const [mc, tw, tc, mg, tg] = [get('minimax', 'cpu'), get('tfjs', 'wasm'), get('tfjs', 'cpu'), get('minimax', 'webgpu'), get('tfjs', 'webgpu')];
      const bestCpu = Math.max(tw ?? 0, tc ?? 0) || null;
      const ratio = (a, b) => (a != null && b ? `${(a / b).toFixed(2)}×` : '–');
      lines.push(`| ${config} | ${rb === 1 ? 'every step' : `every ${rb}`} | ${fmt(mc)} | ${fmt(tw)} | ${fmt(tc)} | ${ratio(mc, bestCpu)} | ${fmt(mg)} | ${fmt(tg)} | ${ratio(mg, tg)} |`);
    }
    const chunked = ['cpu', 'webgpu'].map((b) => fmt(cell('minimax', config, b)?.stepsPerSecond?.[100]));
    lines.push(`| ${config} | minimax, chunks of 100 | ${chunked[0]} | | | | ${chunked[1]} | | |`);
  }
  lines.push('', '| config | backend | first step (ms) | wasm loaded → first step (ms) | navigation → first step (ms) | tfjs first step (ms) |', '|---|---|---:|---:|---:|---:|');
  for (const config of configs) {
    for (const [b, peers] of [['cpu', ['wasm', 'cpu']], ['webgpu', ['webgpu']]]) {
      const m = cell('minimax', config, b);
      if (!m) continue;
      // The peer's first step on its best backend that ran (DCGAN on the CPU: plain cpu).
      const p = peers.map((pb) => [pb, cell('tfjs', config, pb)?.firstStepMs]).find(([, v]) => v != null);
      const peer = p ? `${fmt(p[1])}${p[0] === peers[0] ? '' : ` (${p[0]})`}` : '–';
      lines.push(`| ${config} | ${b} | ${fmt(m.firstStepMs)} | ${fmt(m.wasmToFirstStepMs)} | ${fmt(m.navigationToFirstStepMs)} | ${peer} |`);
    }
  }
  const s = result.sizes;
  const mb = (b) => `${(b / 2 ** 20).toFixed(2)} MB`;
  const gpu = s.webgpuWasm ? `; WebGPU module ${mb(s.webgpuWasm.bytes)} (gzip ${mb(s.webgpuWasm.gzip)}, brotli ${mb(s.webgpuWasm.brotli)})` : '';
  const fast = s.fastWasm ? `; fast CPU module ${mb(s.fastWasm.bytes)} (gzip ${mb(s.fastWasm.gzip)}, brotli ${mb(s.fastWasm.brotli)})` : '';
  lines.push('', `Sizes: CPU module ${mb(s.wasm.bytes)} (gzip ${mb(s.wasm.gzip)}, brotli ${mb(s.wasm.brotli)})${fast}${gpu}; JS ${s.js.files} files ${mb(s.js.bytes)} (gzip ${mb(s.js.gzip)}).`);
  const memory = result.cells.filter((c) => c.memory);
  if (memory.length) {
    lines.push('', '| config | backend | steps | wasm memory | JS heap (after GC) |', '|---|---|---:|---:|---:|');
    for (const c of memory) for (const m of c.memory) lines.push(`| ${c.config} | ${c.backend} | ${m.steps} | ${mb(m.wasmBytes)} | ${mb(m.jsHeapUsedBytes)} |`);
  }
  const errors = result.cells.filter((c) => c.error);
  if (errors.length) lines.push('', ...errors.map((c) => `- ${c.engine} ${c.backend} ${c.config}: ${c.error}`));
  return lines.join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
