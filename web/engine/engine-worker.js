// The training engine's dedicated Web Worker (one per <gan-playground>, started by engine.js):
// every training step, view, metric, checkpoint and WebGPU shader compilation of that playground
// runs here, so the page's main thread only draws. It holds the wasm objects (Playground,
// DigitPlayground) by handle and answers one message at a time, in order: wasm-bindgen objects
// keep a Rust borrow across an await, so calls on one object must never overlap.
//
// Protocol (main → worker): {id, op: 'create', handle, kind, module, cls, args} builds `cls` with
// the module of `kind` ('cpu' | 'cpu-fast' | 'webgpu'; `module` is the WebAssembly.Module the page compiled
// once); {id, op: 'call', handle, method, args}; {id, op: 'free', handle}; {id, op: 'memory'};
// {id, op: 'crash', how} and {id, op: 'lose-gpu'} are test hooks.
// Replies: {id, ok: true, result, step} or {id, ok: false, error}. A panic or a trap (an
// out-of-memory, `unreachable`) leaves the wasm instance unusable: {type: 'crash', message} is
// sent once and the page terminates this worker. {type: 'gpu-lost', reason} when the device goes.

const GLUE = {
  cpu: new URL('../../minimax-web.js', import.meta.url).href,
  'cpu-fast': new URL('../../minimax-web-fast.js', import.meta.url).href,
  webgpu: new URL('../../minimax-web-gpu.js', import.meta.url).href,
};

/** kind → Promise of the initialised wasm-bindgen exports */
const bindings = {};
/** kind → the raw wasm exports (their `memory`), once instantiated */
const instances = {};
/** A trap with this much wasm memory in use is taken for an out-of-memory abort. */
const OUT_OF_MEMORY_BYTES = 2 ** 30;
/** handle → the wasm object */
const objects = new Map();
/** Every GPUDevice opened here, for the `lose-gpu` test hook. */
const gpuDevices = [];
let tail = Promise.resolve();
let crashed = null;

function load(kind, module) {
  bindings[kind] ??= (async () => {
    if (kind === 'webgpu') keepGpuDevices();
    const glue = await import(GLUE[kind]);
    instances[kind] = await glue.default({ module_or_path: module });
    return glue;
  })();
  bindings[kind].catch(() => delete bindings[kind]); // a failed load may work next time
  return bindings[kind];
}

function keepGpuDevices() {
  const proto = globalThis.GPUAdapter?.prototype;
  if (!proto || proto.__minimaxKeep) return;
  const requestDevice = proto.requestDevice;
  proto.requestDevice = async function (descriptor) {
    const device = await requestDevice.call(this, descriptor);
    gpuDevices.push(device);
    return device;
  };
  proto.__minimaxKeep = true;
}

function crash(message) {
  if (crashed) return;
  crashed = message;
  postMessage({ type: 'crash', message });
}

/**
 * A trap as a message. Rust aborts on a failed allocation with a bare `unreachable` (no panic
 * message), so a trap with more than 1 GiB of wasm memory in use is reported as what it almost
 * surely is, with what to lower.
 */
function trapMessage(error) {
  const bytes = Math.max(0, ...Object.values(instances).map((i) => i.memory.buffer.byteLength));
  if (bytes < OUT_OF_MEMORY_BYTES) return error.message;
  return `it ran out of memory (${(bytes / 1e9).toFixed(1)} GB of wasm memory in use; ${error.message}): ` +
    "lower train.batch_size or the networks' width";
}

// Rust's panic hook dispatches this on the global scope (crates/minimax-web/src/panic.rs).
addEventListener('minimax-panic', (/** @type {CustomEvent} */ event) => crash(event.detail?.message || 'unknown panic'));
addEventListener('minimax-gpu-lost', (/** @type {CustomEvent} */ event) => postMessage({ type: 'gpu-lost', reason: event.detail?.reason || 'unknown reason' }));
addEventListener('unhandledrejection', (event) => {
  if (event.reason instanceof WebAssembly.RuntimeError) crash(trapMessage(event.reason));
});

async function run({ op, handle, kind, module, cls, method, args = [], how }) {
  switch (op) {
    case 'create': {
      const glue = await load(kind, module);
      const obj = await glue[cls].create(...args);
      objects.set(handle, obj);
      return { result: { backend: obj.backend, backendNote: obj.backendNote }, step: obj.step };
    }
    case 'call': {
      const obj = objects.get(handle);
      if (!obj) throw new Error('This model was freed.');
      const result = await obj[method](...args);
      return { result, step: obj.step };
    }
    case 'free':
      objects.get(handle)?.free();
      objects.delete(handle);
      return { result: null };
    case 'memory': {
      const sizes = {};
      for (const [k, promise] of Object.entries(bindings)) sizes[k] = (await promise).wasmMemoryBytes();
      return { result: sizes };
    }
    case 'lose-gpu':
      for (const device of gpuDevices) device.destroy();
      return { result: gpuDevices.length };
    case 'crash': {
      const glue = await (bindings.cpu ?? bindings.webgpu);
      if (!glue) throw new Error('no model has been built yet');
      glue.crashForTest(how);
      return { result: null };
    }
    default:
      throw new Error(`unknown engine operation ${op}`);
  }
}

/** A Rust error or JS exception as a message the page can show (Rust's errors are strings or Errors). */
function messageOf(error) {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  return String(error);
}

onmessage = ({ data }) => {
  tail = tail.then(async () => {
    if (crashed) return postMessage({ id: data.id, ok: false, error: `The training engine crashed: ${crashed}`, crashed: true });
    try {
      const { result, step } = await run(data);
      postMessage({ id: data.id, ok: true, result, step });
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) crash(trapMessage(error));
      if (crashed) return postMessage({ id: data.id, ok: false, error: `The training engine crashed: ${crashed}`, crashed: true });
      postMessage({ id: data.id, ok: false, error: messageOf(error) });
    }
  });
};
