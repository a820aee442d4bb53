// The one place that touches the wasm module as a whole: loading its bindings, serialising
// every call into it, and hearing about panics and a lost GPU. Shared by all elements.

let bindingsPromise = null;
let tail = Promise.resolve();
const panicListeners = new Set();
const gpuLostListeners = new Set();

// The wasm-bindgen module and its binary, built by Trunk (no file hashes) next to web/: found
// from this file's own URL, so the page works from any sub-path of any static host.
const WASM_JS = new URL('../minimax-web.js', import.meta.url).href;
const WASM_BINARY = new URL('../minimax-web_bg.wasm', import.meta.url);

/**
 * The wasm-bindgen exports, loaded on the first call (an element calls it when it first becomes
 * visible, so a page whose playgrounds are never scrolled to never downloads the module). One
 * module serves every element on the page. Also kept as `window.wasmBindings` for tests and
 * benchmarks.
 * @returns {Promise<object>}
 */
export function loadBindings() {
  bindingsPromise ??= (async () => {
    const bindings = await import(WASM_JS);
    await bindings.default({ module_or_path: WASM_BINARY });
    window.wasmBindings = bindings;
    return bindings;
  })();
  // A failed download may succeed later (the element offers a restart): do not cache the failure.
  bindingsPromise.catch(() => (bindingsPromise = null));
  return bindingsPromise;
}

/**
 * Runs `job` once every job queued before it has settled, and returns its result.
 * wasm-bindgen objects keep a Rust borrow across an await, so a second call on the same object
 * (even a getter) while an async one is pending throws; one global queue rules that out.
 * @template T
 * @param {() => T | Promise<T>} job
 * @returns {Promise<T>}
 */
export function enqueue(job) {
  const run = tail.then(job);
  tail = run.catch(() => {});
  return run;
}

/**
 * Calls `listener(message)` when the Rust side reports a panic. Returns an unsubscribe function.
 * @param {(message: string) => void} listener
 */
export function onPanic(listener) {
  panicListeners.add(listener);
  return () => panicListeners.delete(listener);
}

window.addEventListener('minimax-panic', (event) => {
  // The call that panicked never settles, so the queue behind it would wait forever: start anew.
  tail = Promise.resolve();
  const message = event.detail?.message || 'unknown panic';
  for (const listener of panicListeners) listener(message);
});

/**
 * Calls `listener(reason)` when the page's WebGPU device is lost (a GPU reset, the browser
 * reclaiming it, `GPUDevice.destroy()`). Burn cannot open another device in this page: sessions
 * built afterwards with backend auto or webgpu train on the CPU. Returns an unsubscribe function.
 * @param {(reason: string) => void} listener
 */
export function onGpuLost(listener) {
  gpuLostListeners.add(listener);
  return () => gpuLostListeners.delete(listener);
}

/**
 * The reason the WebGPU device was lost, waiting up to `ms` for it: a readback in flight can
 * fail a moment before the device's `lost` promise settles.
 * @returns {Promise<string|null>} null when the device is not lost
 */
export function gpuLostWithin(ms) {
  if (gpuLostReason) return Promise.resolve(gpuLostReason);
  return new Promise((resolve) => {
    const timer = setTimeout(() => (unsubscribe(), resolve(null)), ms);
    const unsubscribe = onGpuLost((reason) => (clearTimeout(timer), unsubscribe(), resolve(reason)));
  });
}

let gpuLostReason = null;

window.addEventListener('minimax-gpu-lost', (event) => {
  gpuLostReason = event.detail?.reason || 'unknown reason';
  for (const listener of [...gpuLostListeners]) listener(gpuLostReason);
});
