// The playground's side of the speed benchmark: the same wasm module the page ships (dist/),
// loaded on its own, so the numbers are the engine's, not the drawing's. run.mjs calls
// window.minimaxBench.* through Playwright; every call resolves with plain numbers.
const params = new URLSearchParams(location.search);
const out = document.getElementById('out');

// The benchmark configurations, identical to shared/peers/tfjs-gan-bench: one D step then one
// G step per iteration, Adam (β1 0.5), BCE for D, non-saturating G loss, ReLU, noise dim 2.
const MLPS = {
  'mlp-s': { layers: 2, width: 16, batch: 64 },
  'mlp-m': { layers: 2, width: 64, batch: 256 },
  'mlp-l': { layers: 3, width: 128, batch: 512 },
};

function mlpConfig(bindings, { layers, width, batch }) {
  const c = JSON.parse(bindings.defaultConfig());
  for (const net of [c.generator, c.discriminator]) {
    Object.assign(net, { kind: 'mlp', hidden_layers: layers, width, activation: 'relu' });
  }
  c.noise = { distribution: 'gaussian', dim: 2 };
  c.objective.kind = 'non_saturating';
  for (const o of [c.optimizer_d, c.optimizer_g]) Object.assign(o, { kind: 'adam', lr: 1e-3, beta1: 0.5, beta2: 0.999 });
  c.train = { ...c.train, batch_size: batch, d_steps: 1, g_steps: 1 };
  return c;
}

function dcganConfig(bindings) {
  // DCGAN-28 of the peer: G 100 → 7×7×128 → 64 → 1, D 64 → 128 → 1, batch 64 (our width 64).
  const preset = bindings.presets().find((p) => p.id === 'dcgan_mnist');
  const c = structuredClone(preset.config);
  c.generator.width = 64;
  c.discriminator.width = 64;
  c.train.batch_size = 64;
  return c;
}

// ?count=1: count WebGPU dispatches, submissions, buffer creations and readbacks (mapAsync) by
// wrapping the WebGPU prototypes before the wasm touches them.
const counts = { dispatches: 0, submits: 0, buffers: 0, readbacks: 0, pipelines: 0 };
if (params.get('count') && globalThis.GPUComputePassEncoder) {
  const wrap = (proto, name, key) => {
    const original = proto[name];
    proto[name] = function (...args) {
      counts[key] += 1;
      return original.apply(this, args);
    };
  };
  wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', 'dispatches');
  wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroupsIndirect', 'dispatches');
  wrap(GPUQueue.prototype, 'submit', 'submits');
  wrap(GPUDevice.prototype, 'createBuffer', 'buffers');
  wrap(GPUDevice.prototype, 'createComputePipeline', 'pipelines');
  wrap(GPUDevice.prototype, 'createComputePipelineAsync', 'pipelines');
  wrap(GPUBuffer.prototype, 'mapAsync', 'readbacks');
}

let wasm = null;
let bindings = null;
let run = null;
const t = { wasmLoadedMs: null };

async function load() {
  const glue = params.get('glue');
  if (!glue) throw new Error('missing ?glue=/minimax-web-….js');
  const module = await import(glue);
  wasm = await module.default({ module_or_path: glue.replace(/\.js$/, '_bg.wasm') });
  bindings = module;
  t.wasmLoadedMs = performance.now();
}

const ready = load();

window.minimaxBench = {
  /** Builds the run and finishes one training step: the times of the first step. */
  async setup(config, backend) {
    await ready;
    const json = JSON.stringify(config === 'dcgan' ? dcganConfig(bindings) : mlpConfig(bindings, MLPS[config]));
    const created = performance.now();
    if (config === 'dcgan') {
      const response = await fetch('/assets/mnist.bin');
      if (!response.ok) throw new Error(`assets/mnist.bin: HTTP ${response.status} (run scripts/setup.sh)`);
      const mnist = new Uint8Array(await response.arrayBuffer());
      const start = performance.now();
      run = await bindings.DigitPlayground.create(json, backend, mnist, null);
      t.fetchMs = start - created;
    } else {
      run = await bindings.Playground.create(json, backend);
    }
    const before = performance.now();
    const first = await run.train(1, Infinity, 'both');
    const end = performance.now();
    if (first.steps !== 1) throw new Error(`first train call did ${first.steps} steps`);
    return {
      backend: run.backend,
      note: run.backendNote,
      firstStepMs: end - before,
      // Building the models and the first step, from the moment the wasm was instantiated.
      wasmToFirstStepMs: end - t.wasmLoadedMs - (t.fetchMs ?? 0),
      navigationToFirstStepMs: end,
      wasmLoadMs: t.wasmLoadedMs,
      firstLosses: Array.from(first.losses.slice(0, 2)),
    };
  },
  /** `steps` iterations in calls of `chunk` steps, each call reading its losses back. */
  async train(steps, chunk) {
    let last = null;
    const start = performance.now();
    for (let done = 0; done < steps; ) {
      const n = Math.min(chunk, steps - done);
      const r = await run.train(n, Infinity, 'both');
      if (r.steps !== n) throw new Error(`train(${n}) did ${r.steps} steps`);
      last = r.losses;
      done += n;
    }
    const ms = performance.now() - start;
    const losses = [last[last.length - 4], last[last.length - 3]];
    if (!losses.every(Number.isFinite)) throw new Error(`losses not finite: ${losses}`);
    return { steps, chunk, ms, stepsPerSecond: steps / (ms / 1000), losses };
  },
  /** The Playground under test (for ad-hoc probes from the console). */
  get run() {
    return run;
  },
  /** WebGPU calls so far (with ?count=1; zeros otherwise). */
  counts() {
    return { ...counts };
  },
  /** Bytes of the wasm linear memory (it only grows; Burn's pools reuse what it holds). */
  wasmMemoryBytes() {
    return wasm.memory.buffer.byteLength;
  },
};
out.textContent = 'ready: window.minimaxBench';
