// <gan-playground>: the public element. It wires the Trainer (wasm session, history, loop) to
// the views and controls and turns failures into messages. No training math, no validation.
// Its training runs in a Web Worker of its own (engine.js): the page's main thread only draws.
// A 2-D GAN or, for MNIST configs, the digit GAN (digits/digit-mode.js draws its views).
import { messageOf } from './banner.js';
import { StabilizerChips } from '../controls/chips.js';
import { ConfigForm } from '../controls/controls.js';
import { CheckpointControls } from '../controls/checkpoint-controls.js';
import { DigitMode } from '../digits/digit-mode.js';
import { DigitCycleSession } from '../digits/digit-cycle-session.js';
import { DigitSession } from '../digits/digit-session.js';
import { CycleSession } from '../engine/session.js';
import { downloadFile } from '../controls/download.js';
import { DataDrawing } from '../data-space/draw-data.js';
import { debugHooks } from './debug-hooks.js';
import { OBSERVED } from './embed-attributes.js';
import { EmbedControl } from './embed-control.js';
import { EngineWorker, loadBindings } from '../engine/engine.js';
import { prefersReducedMotion } from '../controls/motion.js';
import { buildViews } from './playground-view.js';
import { loadUplot } from '../plots/step-chart.js';
import { PresetPicker } from '../controls/presets.js';
import { RunControl } from '../run/run-control.js';
import { historyToCsv, samplesToCsv } from '../controls/csv-export.js';
import { SPEED, Trainer } from '../run/trainer.js';

/**
 * A GAN training playground. Its attributes, methods, properties and events are documented once,
 * in docs/embedding.md (attributes: embed-attributes.js; events: `ready`, `step`, `diverged`,
 * `devicelost`, `crashed`, `backendchange`).
 */
export class GanPlayground extends HTMLElement {
  static observedAttributes = ['backend', ...OBSERVED];

  #started = false;
  #plotsAsked = false;
  #readyFired = false;
  #autoplayHeld = false; // autoplay under prefers-reduced-motion: a notice once loaded
  #engine = new EngineWorker(); // this playground's worker: all training runs there
  #unsubscribeCrash = () => {};
  #unsubscribeGpuLost = () => {};
  #onScreen = false; // set by the IntersectionObserver
  #onVisibility = () => this.#trainer.suspend(document.visibilityState === 'hidden' || !this.#onScreen);
  // Loads the engine when first scrolled into view; afterwards only a visible playground trains.
  #screenObserver = new IntersectionObserver((entries) => {
    this.#onScreen = entries.at(-1).isIntersecting;
    if (this.#onScreen && !this.#loading) {
      this.#loading = true;
      this.#start();
    }
    this.#onVisibility();
  });
  #loading = false;
  #trainer = new Trainer({
    onChunk: () => this.#chunkDone(),
    onView: (view, info) => this.#showView(view, info),
    onFailure: (e) => this.#fail(e),
    onSlowStep: (moved) => this.#ui.runModes.showMoved(moved),
    onDiverged: (diverged) => this.#diverged(diverged),
  });
  #ui;
  #digits;
  #run;
  #embed = null; // attributes, share link and embed code (embed-control.js)
  #divergence = null; // the last `diverged` detail until the run is restored or replaced

  constructor() {
    super();
    this.#ui = buildViews(this.attachShadow({ mode: 'open' }), {
      history: this.#trainer.history,
      metrics: this.#trainer.metrics,
      speedRange: SPEED,
      onRestart: () => this.reset(),
      likelihoodModels: () => this.#trainer.usableSession(),
      toolbar: {
        togglePlay: () => (this.playing ? this.pause() : this.play()),
        step: () => this.step(1).catch((e) => this.#fail(e)),
        reset: () => this.reset(),
        setSpeed: (n) => (this.stepsPerFrame = n),
        setBackend: (b) => this.setAttribute('backend', b),
      },
      runModes: {
        setStepMode: (mode) => (this.stepMode = mode),
        setSlowMotion: (on) => (this.slowMotion = on),
        exportSamples: () => this.exportSamples().catch((e) => this.#ui.banner.showError(messageOf(e))),
        exportLosses: () => this.exportLosses(),
        exportImage: () => this.exportImage().catch((e) => this.#ui.banner.showError(messageOf(e))),
      },
    });
    const report = (e) => this.#ui.banner.showError(messageOf(e));
    this.#ui.form = null; // built from configSchema() once the engine has loaded
    this.#ui.drawing = new DataDrawing(this.#ui.drawRoot, this.#ui.scatterCanvas, {
      getBounds: () => this.#ui.scatter.lastView?.bounds,
      onUse: (points) => this.#run.useDrawing(points).catch(report),
    });
    this.#digits = new DigitMode(this.#ui.digitsRoot, this.#ui.progressRoot, {
      session: () => this.#trainer.session,
      refreshView: () => this.#trainer.refreshView(),
      onError: report,
      held: (job) => this.#trainer.held(job),
    });
    this.#ui.checkpoints = new CheckpointControls(this.#ui.checkpointsRoot, {
      save: () => this.saveCheckpoint().catch(report),
      load: (bytes, name) => this.loadCheckpoint(bytes, name).catch(report),
      pretrained: (which) => this.loadPretrained(which).catch(report),
    });
    this.#run = new RunControl({
      trainer: this.#trainer,
      ui: this.#ui,
      digits: this.#digits,
      engine: this.#engine,
      host: {
        backend: () => this.getAttribute('backend') ?? 'auto',
        installed: (session) => this.#installed(session),
        changedLive: (session, restarted) => this.#changedLive(session, restarted),
        moved: (move) => this.dispatchEvent(new CustomEvent('backendchange', { detail: move })),
      },
    });
    this.#ui.toolbar.setSpeed(this.#trainer.stepsPerFrame);
    this.#ui.toolbar.setBackend(this.getAttribute('backend') ?? 'auto');
    this.#ui.status.setLoading('Loads when scrolled into view');
    this.#embed = new EmbedControl(this, { ui: this.#ui, run: this.#run, trainer: this.#trainer });
  }

  connectedCallback() {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribeCrash = this.#engine.onCrash((message) => this.#crashed(message));
    this.#unsubscribeGpuLost = this.#engine.onGpuLost((reason) => this.#gpuLost(reason));
    // A hidden tab or a playground scrolled out of view stops training; it resumes where it left off.
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#onVisibility();
    this.#screenObserver.observe(this);
    // Trains once loaded, while on screen; a reader who asked for reduced motion presses Play.
    if (this.hasAttribute('autoplay')) {
      if (prefersReducedMotion()) this.#autoplayHeld = true;
      else this.play();
    }
  }

  disconnectedCallback() {
    // A move in the DOM reconnects at once; only a real removal frees the model.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#trainer.dispose();
      this.#engine.terminate();
      this.#unsubscribeCrash();
      this.#unsubscribeGpuLost();
      document.removeEventListener('visibilitychange', this.#onVisibility);
      this.#screenObserver.disconnect();
      this.#started = false;
      this.#loading = false;
    });
  }

  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    if (name !== 'backend') return this.#embed?.changed(name); // (called before the constructor ends)
    this.#ui.toolbar.setBackend(after ?? 'auto');
    // Before the first model exists, #start() reads the attribute itself.
    if (!this.#run.config) return;
    this.#run.rebuild(this.#run.config).then((ok) => {
      if (ok) this.#ui.banner.notice(`Backend set to ${after}: training restarted at step 0.`);
    });
  }

  /**
   * The latest iteration; a part its step mode skipped is NaN (D only: gLoss, gradNorm; G only: dLoss, value).
   * @returns {{step: number, backend: 'webgpu'|'cpu'|null, dLoss: number, gLoss: number, value: number,
   *            gradNorm: number, stepsPerSecond: number}}
   */
  get stats() {
    return this.#trainer.stats();
  }

  /** Whether training runs continuously (true from play() on, even before the first model). */
  get playing() {
    return this.#trainer.playing;
  }

  /** @returns {object|null} a copy of the config of the current model */
  get config() {
    return this.#run.config && structuredClone(this.#run.config);
  }

  /**
   * @returns {'2d'|'cycle'|'digits'|'digit-cycle'} what the current model does: generates 2-D
   *   points, translates one 2-D dataset into another (CycleGAN), generates MNIST digits, or
   *   translates digits into thick-stroke digits (CycleGAN)
   */
  get mode() {
    const session = this.#trainer.session;
    if (session instanceof DigitSession) return 'digits';
    if (session instanceof DigitCycleSession) return 'digit-cycle';
    return session instanceof CycleSession ? 'cycle' : '2d';
  }

  /** @returns {import('../run/history.js').LossHistory} all losses since the last rebuild (read-only) */
  get history() {
    return this.#trainer.history;
  }

  /**
   * @returns {object|null} the latest metrics (docs/embedding.md): the theory metrics of a 2-D
   *   GAN, the translation's of a CycleGAN run (2-D or digits); null for the digit GAN
   */
  get metrics() {
    const mode = this.mode;
    const metrics = mode === 'digits' ? null : mode === 'digit-cycle' ? this.#digits.debug.translation.metrics : this.#ui.scatter.lastView?.metrics;
    return metrics ? { ...metrics } : null;
  }

  /** Training iterations per animation frame while playing (1–200, default 20). */
  get stepsPerFrame() {
    return this.#trainer.stepsPerFrame;
  }
  set stepsPerFrame(n) {
    this.#trainer.stepsPerFrame = n;
    this.#ui.toolbar.setSpeed(this.#trainer.stepsPerFrame);
  }

  /** Which network each training step updates: 'both' (default), 'd' or 'g'; play, step(n) and slow motion follow it. */
  get stepMode() {
    return this.#trainer.stepMode;
  }
  set stepMode(mode) {
    this.#trainer.stepMode = mode;
    this.#ui.runModes.setStepMode(mode);
  }

  /** While playing, one update at a time (D, then G in mode 'both'), each shown for ~0.5 s with a label. */
  get slowMotion() {
    return this.#trainer.slowMotion;
  }
  set slowMotion(on) {
    this.#trainer.slowMotion = on;
    this.#ui.runModes.setSlowMotion(this.#trainer.slowMotion);
  }

  /** Test and debugging hooks: what is drawn, and a way to draw a fresh view (debug-hooks.js). */
  get debug() {
    return debugHooks({ trainer: this.#trainer, ui: this.#ui, digits: this.#digits, engine: this.#engine, run: this.#run });
  }

  play() {
    this.#trainer.play();
    this.#ui.toolbar.setPlaying(true);
  }

  pause() {
    const wasPlaying = this.playing;
    this.#trainer.pause();
    this.#ui.toolbar.setPlaying(false);
    this.#showStats();
    // Draw the state training stopped at, not one from up to a frame interval earlier.
    this.#trainer.refreshView().catch(() => {});
    if (wasPlaying) this.#digits.paused(); // sample quality where training stopped
  }

  /**
   * Pauses, then runs exactly `n` training iterations.
   * @returns {Promise<object>} stats, once the iterations are done and shown
   */
  async step(n = 1) {
    this.pause();
    await this.#trainer.step(n);
    await this.#trainer.refreshView();
    this.#digits.tick(); // sample quality, unless measured a moment ago
    return this.stats;
  }

  /** Rebuilds both models from the current config at step 0. @returns {Promise<boolean>} */
  reset() {
    this.#ui.banner.clearError();
    return this.#run.config ? this.#run.rebuild(this.#run.config).then(Boolean) : Promise.resolve(false);
  }

  /** @returns {Promise<Float32Array>} n freshly generated points as x,y pairs */
  async samples(n) {
    return this.#trainer.usableSession().samples(n);
  }

  /** @returns {Promise<string>} n freshly generated points as CSV: "x,y", then one row per point */
  async samplesCsv(n) {
    return samplesToCsv(await this.samples(n));
  }

  /** Downloads 2,500 freshly generated points as minimax-samples.csv. */
  async exportSamples() {
    downloadFile(await this.samplesCsv(2500), 'minimax-samples.csv', 'text/csv');
  }

  /** @returns {string} the loss history as CSV: step, d_loss, g_loss, value, grad_norm */
  historyCsv() {
    return historyToCsv(this.#trainer.history);
  }

  /** Downloads the loss history as minimax-losses.csv. */
  exportLosses() {
    downloadFile(this.historyCsv(), 'minimax-losses.csv', 'text/csv');
  }

  /**
   * Downloads the samples as drawn (the data-space plot, the generated digit grid, or the
   * translator's rows of digits) as
   * minimax-samples.png. @returns {Promise<Blob>} the PNG
   */
  async exportImage() {
    const drawn = { digits: 'canvas[data-digits="fake"]', 'digit-cycle': 'canvas[data-translation="grid"]' }[this.mode];
    const canvas = /** @type {HTMLCanvasElement} */ (drawn ? this.shadowRoot.querySelector(drawn) : this.#ui.scatterCanvas);
    const png = await new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The plot has not been drawn yet.'))), 'image/png'));
    downloadFile(png, 'minimax-samples.png', 'image/png');
    return png;
  }

  /**
   * Downloads the run as minimax-<preset>-step<N>.ckpt: config, step, loss history and both
   * networks (and, on the CPU, the optimizer states). @returns {Promise<Uint8Array>} the file's bytes
   */
  async saveCheckpoint() {
    const { bytes, filename } = await this.#run.saveCheckpoint();
    downloadFile(bytes, filename, 'application/octet-stream');
    return bytes;
  }

  /**
   * Continues the run saved in `bytes` (from saveCheckpoint(), or the pretrained digits),
   * switching between 2-D data and digits as the file says: its config, step and loss history. A bad file is reported
   * ("checkpoint: …") and the current training goes on untouched. @returns {Promise<boolean>}
   */
  loadCheckpoint(bytes, name) {
    return this.#run.loadCheckpoint(bytes, name);
  }

  /**
   * Loads a shipped run, from any mode: 'digits' (the DCGAN, assets/dcgan-mnist.ckpt),
   * 'stylegan' (assets/stylegan-mnist.ckpt) or 'cyclegan' (the digit translator,
   * assets/cyclegan-mnist.ckpt). @returns {Promise<boolean>}
   */
  loadPretrained(which = 'digits') {
    return this.#run.loadPretrained(which);
  }

  /** @returns {string|null} the id of the preset loaded last (null before any) */
  get presetId() {
    return this.#run.presetId;
  }

  /**
   * Applies a config (object or JSON; fields it leaves out keep their current values) after Rust
   * validates it. Invalid: errors are shown and nothing changes. Valid: applied to the running
   * training by Rust's reconfigure(); only a new seed, noise or generator restarts the run
   * (step 0, history cleared); a new D architecture, packing or minibatch std gives D fresh
   * weights while G keeps training; everything else changes live. Switching between 2-D data and
   * MNIST digits builds the other kind of model (step 0).
   * @returns {Promise<{ok: boolean, errors: {field: string, message: string}[], rebuilt: boolean,
   *   discriminatorReset: boolean}>} rebuilt: the run restarted at step 0; discriminatorReset: D
   *   has fresh weights (true as well when rebuilt)
   */
  setConfig(input) {
    return this.#run.setConfig(input);
  }

  /**
   * Loads a preset of presets() by id: its full config, training restarted at step 0, its
   * summary shown. @returns {Promise<object>} the same result as setConfig()
   */
  loadPreset(id) {
    return this.#run.loadPreset(id);
  }

  /**
   * Replaces the drawing with `points` ([[x, y], …] in data coordinates) and trains on it, as
   * "Use drawing" does. @returns {Promise<object>} the same result as setConfig()
   */
  setDrawnPoints(points) {
    this.#ui.drawing.setPoints(points);
    return this.#run.useDrawing(this.#ui.drawing.points);
  }

  async #start() {
    this.#ui.status.setLoading('Loading…');
    try {
      const bindings = await loadBindings();
      this.#run.init(bindings);
      this.#embed.loaded(bindings);
      const report = (e) => this.#ui.banner.showError(messageOf(e));
      const form = new ConfigForm(this.#ui.formRoot, this.#run.schema, () => this.#run.applyForm(form).catch(report));
      this.#ui.form = form;
      this.#ui.presets = new PresetPicker(this.#ui.presetsRoot, this.#run.presets, (id) => this.loadPreset(id).catch(report));
      this.#ui.chips = new StabilizerChips(this.#ui.chipsRoot, Array.from(bindings.stabilizers()), (s) =>
        this.#run.toggleStabilizer(s).catch(report),
      );
      form.setValues(this.#run.config); // shown even if the first model cannot be built
      this.#ui.chips.update(this.#run.config);
      // pretrained: start from the shipped digit GAN instead (the config one if that fails).
      const which = this.#embed.pretrainedAsked();
      const pretrained = which !== null && (await this.#run.loadPretrained(which));
      if (!pretrained) await this.#run.rebuild(this.#run.config);
    } catch (e) {
      this.#ui.status.setLoading('Not loaded');
      this.#ui.banner.showError(`The training engine could not be loaded: ${messageOf(e)}`);
    }
  }

  /** A new model is current (built by #run): show it, its panels and its first view. */
  async #installed(session) {
    this.#divergence = null;
    this.#trainer.stopAt = this.#embed.stepsLimit; // a new run stops at `steps` again
    this.#showMode(session);
    this.#ui.status.setBackend(session.backend, session.backendNote);
    this.#ui.banner.clearError();
    this.#embed.showProblems(); // what the attributes or a shared link asked for and did not get
    this.#updatePlots();
    this.#showStats();
    await this.#trainer.refreshView().catch((e) => this.#fail(e));
    if (!this.#readyFired && session === this.#trainer.session) {
      this.#readyFired = true;
      this.dispatchEvent(new CustomEvent('ready', { detail: this.stats }));
    }
    if (this.playing) this.play();
    if (this.#autoplayHeld && !this.playing) {
      this.#ui.banner.notice('Not started by itself: your system asks for reduced motion. Press Play to train.');
    }
    this.#autoplayHeld = false;
  }

  /** The running model took a config change; `restarted`: a new generator, step 0. */
  async #changedLive(session, restarted) {
    if (restarted) this.#divergence = null;
    // Settings changed on a diverged run (say, the lower learning rate it suggested): the way
    // back to the last good state stays on offer.
    else if (this.#divergence) this.#showDivergence();
    if (restarted) {
      this.#showMode(session); // a new run: the digit panels forget the old one's numbers
      this.#updatePlots();
      this.#showStats();
    }
    // New data or a new D shows at once, even while paused.
    await this.#trainer.refreshView().catch((e) => this.#fail(e));
    this.#ui.drawing.refresh();
  }

  // The panels of the current model's kind: 2-D views, the translation's, or the digit panels.
  #showMode(session) {
    if (session instanceof DigitSession || session instanceof DigitCycleSession) this.#digits.attach(session);
    this.#ui.showMode(this.mode);
  }

  #chunkDone() {
    // The steps attribute: playing stops there once; Play afterwards trains on.
    if (this.playing && this.stats.step >= this.#trainer.stopAt) {
      this.pause();
      this.#trainer.stopAt = Infinity;
    }
    this.#updatePlots();
    this.#showStats();
    if (this.playing) this.#digits.tick();
    this.dispatchEvent(new CustomEvent('step', { detail: this.stats }));
  }

  #updatePlots() {
    // uPlot loads once there is something to plot, after this chunk's `step` event
    // (web/plots/step-chart.js): training needs none of it.
    if (this.#trainer.history.length > 0 && !this.#plotsAsked) {
      this.#plotsAsked = true;
      const failed = (e) => this.#ui.banner.showError(`The plots could not load: ${messageOf(e)} Training goes on without them; reload the page to try again.`);
      setTimeout(() => loadUplot().catch(failed));
    }
    for (const plot of Object.values(this.#ui.plots)) plot.update();
  }

  /** A fresh view: the data space, D*, the metrics and the charts fed by them; or the digits. */
  #showView(view, info) {
    if (view.kind === 'digit-cycle' || this.#trainer.session instanceof DigitSession) return this.#digits.showView(view);
    this.#ui.dataSpace.draw(view, info);
    this.#ui.plots.value.setHeatKind(view.heatKind);
    this.#ui.plots.value.update();
    if (view.kind === 'cycle') return; // a translation: no density of p_g, no D*
    this.#ui.dstar.draw(view);
    this.#ui.metrics.show(view.metrics);
    if (info.newRun) this.#ui.likelihood.reset();
    this.#ui.likelihood.showView(view);
    this.#ui.plots.divergence.update();
  }

  #showStats() {
    this.#ui.status.setStats(this.stats);
  }

  /**
   * Puts a diverged run back to the last state known to be good (the config stays as it is now,
   * so a lower learning rate set meanwhile is kept). @returns {Promise<number>} the step
   */
  async restoreLastGood() {
    const step = await this.#trainer.held(() => this.#trainer.restoreLastGood());
    this.#divergence = null;
    this.#ui.banner.clearError();
    this.#ui.banner.notice(`Restored the last good state: step ${step}.`);
    this.#showStats();
    await this.#trainer.refreshView();
    return step;
  }

  /** A loss became NaN or infinite: training has paused itself; say why and offer the way back. */
  #diverged(diverged) {
    this.#ui.toolbar.setPlaying(false);
    this.#divergence = diverged;
    this.#showDivergence();
    this.dispatchEvent(new CustomEvent('diverged', { detail: diverged }));
  }

  #showDivergence() {
    const diverged = this.#divergence;
    const good = diverged.goodStep;
    const action = good == null ? null : {
      label: `Restore step ${good}`,
      run: () => this.restoreLastGood().catch((e) => this.#ui.banner.showError(messageOf(e))),
    };
    this.#ui.banner.showError(diverged.message, { action, restart: good == null });
  }

  /**
   * A link to this page that reproduces this playground's setup (config and seed) in its hash.
   * @returns {string}
   */
  shareLink() {
    return this.#embed.shareLink();
  }

  /** @returns {string} the HTML that embeds this setup in another page */
  embedCode() {
    return this.#embed.embedCode();
  }

  /** The WebGPU device is gone: go on on the CPU from the last copy, and say so. */
  async #gpuLost(reason) {
    const recovered = await this.#run.recoverOnCpu(reason).catch((e) => {
      this.#stop(`The WebGPU device was lost (${reason}) and the run could not go on on the CPU: ${messageOf(e)}`);
      return null;
    });
    if (!recovered) return;
    const { step, lostSteps } = recovered;
    const redo = lostSteps > 0 ? ` (the last copy kept; ${lostSteps.toLocaleString('en-US')} steps are redone)` : '';
    this.#ui.banner.notice(`The WebGPU device was lost (${reason}). Training goes on on the CPU from step ${step.toLocaleString('en-US')}${redo}.`);
    this.#ui.status.setBackend('cpu', `WebGPU device lost (${reason}): training on the CPU`);
    this.dispatchEvent(new CustomEvent('devicelost', { detail: { reason, step, lostSteps } }));
  }

  /** A wasm call failed: the model cannot be trusted any more; offer to recreate it. */
  async #fail(error) {
    // A crashed engine (or a replaced model) has said why already: #crashed keeps its banner.
    if (error?.name === 'EngineCrashError' || error?.name === 'SessionDeadError') return;
    const session = this.#trainer.session;
    // A lost device fails the call in flight, maybe before the loss is heard of: #gpuLost
    // takes over then (and the loop, stopped by the failure, resumes on the CPU).
    if (session?.backend === 'webgpu' && !session.deadReason && (await this.#engine.gpuLostWithin(2000))) return;
    if (session !== this.#trainer.session) return; // replaced meanwhile
    this.#stop(session?.deadReason ?? `Training stopped: ${messageOf(error)}`);
  }

  #stop(reason) {
    this.#trainer.kill(reason);
    this.#ui.toolbar.setPlaying(false);
    this.#ui.banner.showError(reason, { restart: true });
  }

  /**
   * The engine worker died (a panic, an out-of-memory, any trap) and the run with it; the rest of
   * the page is unaffected. Say so, and offer to go on in a fresh worker from the last copy kept
   * in page memory (or to restart when there is none).
   */
  #crashed(message) {
    const session = this.#trainer.session;
    const reason = `The training engine crashed: ${message}`;
    const copy = this.#trainer.snapshot.latest;
    this.#trainer.kill(reason);
    this.#ui.toolbar.setPlaying(false);
    this.dispatchEvent(new CustomEvent('crashed', { detail: { message } }));
    if (!session || !copy) return this.#ui.banner.showError(reason, { restart: true });
    const action = {
      label: `Continue from step ${copy.step.toLocaleString('en-US')}`,
      run: async () => {
        const resumed = await this.#run.recoverAfterCrash(session).catch((e) => (this.#ui.banner.showError(messageOf(e)), null));
        if (resumed) this.#ui.banner.notice(`Training goes on from step ${resumed.step.toLocaleString('en-US')}, the last copy kept before the crash.`);
      },
    };
    this.#ui.banner.showError(`${reason}. The last copy of the run in page memory is at step ${copy.step.toLocaleString('en-US')}.`, { action, restart: true });
  }
}

customElements.define('gan-playground', GanPlayground);
