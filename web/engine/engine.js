// The one place that touches the wasm modules as a whole: compiling them (once per page),
// the main thread's instance of the CPU module for the quick calls that train nothing (config
// schema, validation, presets, reading a checkpoint's config, the Dirac-GAN panel), and
// EngineWorker: one Web Worker per playground where its training runs (engine-worker.js).
//
// Three modules, built by Trunk: the CPU module (minimax-web, Burn's flex backend, profile `web`:
// all a reader downloads to train), the same code built for speed (minimax-web-fast, `web-fast`:
// fetched once a run has trained for fastCpuAfterMs(), RunControl then moves the run there) and
// the WebGPU module (minimax-web-gpu), fetched only when a playground tries WebGPU. All found
// from this file's own URL, so the page works from any sub-path of any static host.

const GLUE_CPU = new URL('../../minimax-web.js', import.meta.url).href;
const WASM = {
  cpu: new URL('../../minimax-web_bg.wasm', import.meta.url),
  'cpu-fast': new URL('../../minimax-web-fast_bg.wasm', import.meta.url),
  webgpu: new URL('../../minimax-web-gpu_bg.wasm', import.meta.url),
};
const WORKER = new URL('./engine-worker.js', import.meta.url);

const compiled = {};
/** The fast CPU module is compiled: CPU runs built from now on use it. */
let fastCpuReady = false;

/** Logical cores a machine needs for the fast CPU module (see fastCpuAfterMs). */
const FAST_CPU_MIN_CORES = 4;

/**
 * Training time on the small CPU module after which a run moves to the fast one (ms): 3 s on a
 * machine with at least FAST_CPU_MIN_CORES logical cores, never on fewer. When the fast module's
 * code first runs hot, Chromium compiles its hot functions again with its optimising tier on
 * several background threads at once; on 2 cores they starve the page for ~0.4 s (frame gaps
 * to 67-83 ms against a 50 ms budget; none with one compile thread: docs/engine.md,
 * "Responsiveness"). Tests set `window.minimaxFastCpuAfterMs` before the page's scripts run
 * (Infinity: never).
 * @returns {number}
 */
export function fastCpuAfterMs() {
  const set = /** @type {any} */ (globalThis).minimaxFastCpuAfterMs;
  if (set != null) return set;
  return (globalThis.navigator?.hardwareConcurrency ?? 1) >= FAST_CPU_MIN_CORES ? 3000 : Infinity;
}

/**
 * Fetches and compiles the fast CPU module (minimax-web-fast: the same code built for speed,
 * ~1.5× the small module's download) once per page; from then on CPU runs are built in it.
 * @returns {Promise<void>}
 */
export async function loadFastCpu() {
  await compiledModule('cpu-fast');
  fastCpuReady = true;
}
let bindingsPromise = null;
/** @type {Promise<unknown>} */
let tail = Promise.resolve();

/**
 * The compiled module of `kind`, fetched and compiled once per page (off the main thread, while
 * it downloads where the host serves application/wasm) and shared by every playground's worker.
 * @param {'cpu'|'cpu-fast'|'webgpu'} kind
 * @returns {Promise<WebAssembly.Module>}
 */
export function compiledModule(kind) {
  compiled[kind] ??= (async () => {
    const response = await fetch(WASM[kind]);
    if (!response.ok) throw new Error(`${WASM[kind].pathname} could not be loaded (HTTP ${response.status})`);
    if (response.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
    return WebAssembly.compile(await response.arrayBuffer());
  })();
  // A failed download may succeed later (the element offers a restart): do not cache the failure.
  compiled[kind].catch(() => delete compiled[kind]);
  return compiled[kind];
}

/**
 * The CPU module's exports on the main thread, for calls that train nothing: configSchema(),
 * defaultConfig(), validateConfig(), presets(), stabilizers(), checkpointConfig(), diracGan().
 * Loaded on the first call (an element calls it when it first becomes visible, so a page whose
 * playgrounds are never scrolled to downloads nothing). Also kept as `window.wasmBindings` for
 * tests and benchmarks.
 * @returns {Promise<object>}
 */
export function loadBindings() {
  bindingsPromise ??= (async () => {
    const [bindings, module] = await Promise.all([import(GLUE_CPU), compiledModule('cpu')]);
    await bindings.default({ module_or_path: module });
    /** @type {any} */ (window).wasmBindings = bindings;
    return bindings;
  })();
  bindingsPromise.catch(() => (bindingsPromise = null));
  return bindingsPromise;
}

/**
 * Runs `job` once every job queued before it has settled, and returns its result: calls into
 * the main thread's instance, one at a time.
 * @template T
 * @param {() => T | Promise<T>} job
 * @returns {Promise<T>}
 */
export function enqueue(job) {
  const run = tail.then(job);
  tail = run.catch(() => {});
  return run;
}

/** The backend to ask EngineWorker.create() for to time WebGPU against the CPU on a model. */
export const TIME_WEBGPU = 'time-webgpu';

/** The error of a call the engine could not answer because it crashed (the worker is gone). */
export class EngineCrashError extends Error {
  constructor(message) {
    super(`The training engine crashed: ${message}`);
    this.name = 'EngineCrashError';
  }
}

/**
 * One playground's engine: a dedicated module Worker that holds its wasm objects and runs their
 * calls in order. Started on the first create(); after a crash (a panic, an out-of-memory, any
 * trap) the worker is terminated, every pending call rejects with EngineCrashError, the crash
 * listeners hear the message, and the next create() starts a fresh worker. The rest of the page
 * is unaffected.
 */
export class EngineWorker {
  #worker = null;
  #pending = new Map();
  #nextId = 1;
  #nextHandle = 1;
  #crashListeners = new Set();
  #gpuLostListeners = new Set();
  /** Why this worker's WebGPU device was lost; null while it is not. */
  gpuLostReason = null;
  /**
   * Test hook: `auto` treats a software WebGPU adapter (SwiftShader in CI) as a hardware one, so
   * a digit model starts on the CPU and WebGPU is timed in the background as on a real GPU.
   */
  timeSoftwareAdapters = false;

  /**
   * Builds a wasm object (`Playground` or `DigitPlayground`) in the worker.
   * @param {string} cls
   * @param {'auto'|'webgpu'|'cpu'|'time-webgpu'} backend what the user asked for
   * @param {{digits: boolean, args: (request: string) => any[]}} what the model is (auto's rule)
   *   and the create() arguments for the backend request the module gets
   *   `TIME_WEBGPU` as the backend builds the model in the WebGPU module with Rust's `auto`, which
   *   trains a few steps on each backend and keeps the faster (run-control.js's background timing)
   * @returns {Promise<{handle: number, backend: 'webgpu'|'cpu', module: 'cpu'|'cpu-fast'|'webgpu',
   *   backendNote: string, step: number, timeWebgpu: boolean}>} module: the wasm module that holds
   *   it; timeWebgpu: `auto` started on the CPU and a GPU may win: time it
   */
  async create(cls, backend, { digits, args }) {
    const plan = backend === TIME_WEBGPU ? { kind: /** @type {'webgpu'} */ ('webgpu'), request: 'auto', note: '' } : await this.#plan(backend, digits);
    const module = await compiledModule(plan.kind);
    const handle = this.#nextHandle++;
    const { result, step } = await this.#send({ op: 'create', handle, kind: plan.kind, module, cls, args: args(plan.request) });
    return { handle, backend: result.backend, module: plan.kind, backendNote: plan.note || result.backendNote, step, timeWebgpu: Boolean(plan.timeWebgpu) };
  }

  /** Calls `method(...args)` on the object `handle`. @returns {Promise<{result: any, step?: number}>} */
  call(handle, method, args) {
    return this.#send({ op: 'call', handle, method, args });
  }

  /** Frees the object `handle` once the calls sent before have run. */
  free(handle) {
    if (this.#worker) this.#send({ op: 'free', handle }).catch(() => {});
  }

  /** @returns {Promise<{cpu?: number, 'cpu-fast'?: number, webgpu?: number}>} bytes of wasm memory per module loaded in the worker */
  async memoryBytes() {
    return this.#worker ? (await this.#send({ op: 'memory' })).result : {};
  }

  /** Test hooks: a Rust panic ('panic') or a bare trap ('trap') inside the worker; destroying its GPU devices. */
  async crashForTest(how) {
    return this.#send({ op: 'crash', how });
  }

  async loseGpuForTest() {
    return (await this.#send({ op: 'lose-gpu' })).result;
  }

  /** Calls `listener(message)` when the worker crashes. Returns an unsubscribe function. */
  onCrash(listener) {
    this.#crashListeners.add(listener);
    return () => this.#crashListeners.delete(listener);
  }

  /** Calls `listener(reason)` when the worker's WebGPU device is lost. Returns an unsubscribe function. */
  onGpuLost(listener) {
    this.#gpuLostListeners.add(listener);
    return () => this.#gpuLostListeners.delete(listener);
  }

  /**
   * The reason the WebGPU device was lost, waiting up to `ms` for it: a readback in flight can
   * fail a moment before the device's `lost` promise settles.
   * @returns {Promise<string|null>} null when the device is not lost
   */
  gpuLostWithin(ms) {
    if (this.gpuLostReason) return Promise.resolve(this.gpuLostReason);
    return new Promise((resolve) => {
      const timer = setTimeout(() => (unsubscribe(), resolve(null)), ms);
      const unsubscribe = this.onGpuLost((reason) => (clearTimeout(timer), unsubscribe(), resolve(reason)));
    });
  }

  /** Stops the worker (the element left the page); a later create() starts a new one. */
  terminate() {
    this.#stop(new Error('The playground was removed from the page.'));
  }

  /**
   * Which module builds the model and what it is asked. `auto` always starts on the CPU at once.
   * Where a GPU can win (a digit GAN: a 2-D MLP is dispatch-bound on any GPU, ~165 dispatches
   * per step; and a hardware adapter: on a software one such as SwiftShader the CPU is ~100×
   * faster) the plan says `timeWebgpu`: the run is timed on WebGPU in the background and moves
   * there if it trains faster (RunControl).
   * @returns {Promise<{kind: 'cpu'|'cpu-fast'|'webgpu', request: string, note: string, timeWebgpu?: boolean}>}
   */
  async #plan(backend, digits) {
    // The fast CPU module once this page has it (RunControl loads it for a run that trains on).
    const cpu = (note) => ({ kind: /** @type {'cpu'|'cpu-fast'} */ (fastCpuReady ? 'cpu-fast' : 'cpu'), request: 'cpu', note });
    if (backend === 'cpu') return cpu('');
    const lost = this.gpuLostReason && `the WebGPU device was lost (${this.gpuLostReason})`;
    const gpu = typeof navigator !== 'undefined' && /** @type {any} */ (navigator).gpu; // not in TypeScript's DOM types yet
    const hasGpu = Boolean(gpu);
    if (backend === 'webgpu') {
      if (!hasGpu) return cpu('WebGPU unavailable: this browser has no WebGPU (navigator.gpu is missing). Training on the CPU.');
      if (lost) return cpu(`WebGPU unavailable: ${lost}. Training on the CPU.`);
      return { kind: /** @type {'webgpu'} */ ('webgpu'), request: 'webgpu', note: '' };
    }
    if (lost) return cpu(`auto: ${lost}; training on the CPU.`);
    if (!hasGpu) return cpu('auto: this browser has no WebGPU; training on the CPU.');
    if (!digits) return cpu('auto: the CPU (a small 2-D model trains faster on the CPU than on any GPU).');
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) return cpu('auto: no WebGPU adapter is available; training on the CPU.');
    const info = adapter.info ?? {};
    const name = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`;
    if (!this.timeSoftwareAdapters && (info.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software/i.test(name))) {
      return cpu(`auto: the CPU (the WebGPU adapter is a software one${info.architecture ? `, ${info.architecture}` : ''}, slower than the CPU).`);
    }
    return { ...cpu('auto: training on the CPU while WebGPU is timed on this model in the background.'), timeWebgpu: true };
  }

  #start() {
    if (this.#worker) return this.#worker;
    let crossOrigin = false;
    try {
      this.#worker = new Worker(WORKER, { type: 'module', name: 'minimax-engine' });
    } catch (error) {
      // A cross-origin embed (the element's script on another origin): a same-origin blob
      // worker that imports the real one (the host must serve it with CORS).
      if (error?.name !== 'SecurityError') throw error;
      const source = new Blob([`import ${JSON.stringify(WORKER.href)};`], { type: 'text/javascript' });
      this.#worker = new Worker(URL.createObjectURL(source), { type: 'module', name: 'minimax-engine' });
      crossOrigin = true;
    }
    this.#worker.onmessage = ({ data }) => this.#receive(data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      // A worker's module graph is fetched as "worker": a host page's CSP must allow both the
      // blob shim and the playground's origin in worker-src (docs/embedding.md).
      const hint = crossOrigin ? ` (this page embeds the playground from ${WORKER.origin}: its Content-Security-Policy, ` +
        `if it has one, must allow blob: and ${WORKER.origin} in worker-src, and that origin must send Access-Control-Allow-Origin)` : '';
      this.#crash((event.message || 'the engine worker failed to start') + hint);
    };
    return this.#worker;
  }

  #send(message) {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  #receive(data) {
    if (data.type === 'crash') return this.#crash(data.message);
    if (data.type === 'gpu-lost') {
      this.gpuLostReason = data.reason;
      for (const listener of [...this.#gpuLostListeners]) listener(data.reason);
      return;
    }
    const pending = this.#pending.get(data.id);
    if (!pending) return;
    this.#pending.delete(data.id);
    if (data.ok) pending.resolve({ result: data.result, step: data.step });
    else pending.reject(data.crashed ? new EngineCrashError(data.error.replace(/^The training engine crashed: /, '')) : new Error(data.error));
  }

  #crash(message) {
    if (!this.#worker) return;
    this.#stop(new EngineCrashError(message));
    for (const listener of [...this.#crashListeners]) listener(message);
  }

  #stop(error) {
    this.#worker?.terminate();
    this.#worker = null;
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }
}
