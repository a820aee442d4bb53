// The element's test and debugging hooks (`el.debug`): what is drawn, and the levers the
// end-to-end tests pull (draw a fresh view, crash the worker, lose the GPU, move the run). Not
// part of the documented API (docs/embedding.md); kept out of gan-playground.js, which routes.
import { loadFastCpu } from '../engine/engine.js';

/**
 * @param {{
 *   trainer: import('../run/trainer.js').Trainer,
 *   ui: ReturnType<typeof import('./playground-view.js').buildViews>,
 *   digits: import('../digits/digit-mode.js').DigitMode,
 *   engine: import('../engine/engine.js').EngineWorker,
 *   run: import('../run/run-control.js').RunControl,
 * }} parts the element's private parts
 */
export function debugHooks({ trainer, ui, digits, engine, run }) {
  return {
    historyLength: trainer.history.length,
    plotPoints: ui.plot.pointCount,
    theoryPlotPoints: {
      value: ui.plots.value.pointCount,
      divergence: ui.plots.divergence.pointCount,
      gradient: ui.plots.gradient.pointCount,
    },
    metricsLength: trainer.metrics.length,
    drawn: ui.scatter.drawn,
    meanArrowLength: ui.scatter.meanArrowLength,
    lastView: ui.scatter.lastView,
    likelihood: ui.likelihood.result,
    flow: ui.likelihood.flowResult,
    errorText: ui.banner.errorText,
    suspended: trainer.suspended,
    snapshotStep: trainer.snapshot.latest?.step ?? null,
    /** The wasm module that holds the run: 'cpu' (small), 'cpu-fast' or 'webgpu'. */
    module: trainer.session?.module ?? null,
    viewCount: trainer.viewCount,
    drawnPoints: ui.drawing.points,
    refreshView: () => trainer.refreshView(),
    digits: digits.debug,
    /** Crashes the engine worker: 'panic' (a Rust panic) or 'trap' (a bare RuntimeError). */
    crashEngine: (how) => engine.crashForTest(how),
    /** Destroys the worker's WebGPU devices, as a GPU reset would. @returns {Promise<number>} how many */
    loseGpu: () => engine.loseGpuForTest(),
    /** @returns {Promise<{cpu?: number, 'cpu-fast'?: number, webgpu?: number}>} the worker's wasm memory per module */
    engineMemory: () => engine.memoryBytes(),
    /** Moves the running training to 'webgpu' or 'cpu' as `auto` does when WebGPU wins. */
    moveTo: (backend) => run.moveTo(backend),
    /** Fetches the fast CPU module and moves the run there, as the page does after 3 s on 4+ cores. */
    moveToFastCpu: async () => {
      await loadFastCpu();
      return run.moveTo('cpu', '', { module: 'cpu-fast' });
    },
    /** `auto` times WebGPU even on a software adapter (SwiftShader), as on a hardware one. */
    timeSoftwareAdapters: (on = true) => (engine.timeSoftwareAdapters = on),
  };
}
