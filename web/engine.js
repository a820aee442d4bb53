// The one place that touches the wasm module as a whole: loading its bindings, serialising
// every call into it, and hearing about panics. Shared by all <gan-playground> elements.

let bindingsPromise = null;
let tail = Promise.resolve();
const panicListeners = new Set();

/**
 * The wasm-bindgen exports. Trunk's loader sets `window.wasmBindings` and then fires
 * `TrunkApplicationStarted`; this module may be evaluated before or after that.
 * @returns {Promise<object>}
 */
export function loadBindings() {
  bindingsPromise ??= new Promise((resolve) => {
    if (window.wasmBindings) return resolve(window.wasmBindings);
    window.addEventListener('TrunkApplicationStarted', () => resolve(window.wasmBindings), { once: true });
  });
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
