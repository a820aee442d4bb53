// <gan-playground>: the public element. It wires the Trainer (wasm session, history, loop) to
// the views and controls and turns failures into messages. No training math, no validation.
import { messageOf } from './banner.js';
import { StabilizerChips, togglePatch } from './chips.js';
import { planConfigChange } from './config-change.js';
import { mergeInto } from './config-paths.js';
import { ConfigForm } from './controls.js';
import { DataDrawing } from './draw-data.js';
import { loadBindings, onPanic } from './engine.js';
import { buildViews } from './playground-view.js';
import { PresetPicker } from './presets.js';
import { downloadText, samplesToCsv } from './samples-csv.js';
import { SPEED, Trainer } from './trainer.js';

const BACKENDS = ['auto', 'webgpu', 'cpu'];
const BACKEND_NAMES = { webgpu: 'WebGPU', cpu: 'CPU' };

/**
 * A GAN training playground.
 *
 * Attribute `backend`: auto | webgpu | cpu (default auto). Changing it at run time rebuilds the
 * models on that backend with the same config, and training restarts at step 0.
 *
 * Events: `ready` once the first model exists, `step` after every training chunk; both carry
 * `detail` = stats.
 *
 * Methods: play(), pause(), step(n), reset(), samples(n), samplesCsv(n), exportSamples(),
 * setConfig(obj|json), loadPreset(id), setDrawnPoints(points).
 * Properties: stats, playing, config, presetId, history, stepsPerFrame, stepMode, slowMotion, debug.
 */
export class GanPlayground extends HTMLElement {
  static observedAttributes = ['backend'];

  #bindings = null;
  #schema = [];
  #config = null;
  #presets = [];
  #presetId = null;
  #configTail = Promise.resolve(); // config changes apply one after another, each on the last
  #started = false;
  #readyFired = false;
  #unsubscribePanic = () => {};
  #trainer = new Trainer({
    onChunk: () => this.#chunkDone(),
    onView: (view, info) => this.#showView(view, info),
    onFailure: (e) => this.#fail(e),
    onSlowStep: (moved) => this.#ui.runModes.showMoved(moved),
  });
  #ui;

  constructor() {
    super();
    this.#ui = buildViews(this.attachShadow({ mode: 'open' }), {
      history: this.#trainer.history,
      metrics: this.#trainer.metrics,
      speedRange: SPEED,
      onRestart: () => this.reset(),
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
      },
    });
    this.#ui.form = null; // built from configSchema() once the engine has loaded
    this.#ui.drawing = new DataDrawing(this.#ui.drawRoot, this.#ui.scatterCanvas, {
      getBounds: () => this.#ui.scatter.lastView?.bounds,
      onUse: (points) => this.#useDrawing(points).catch((e) => this.#ui.banner.showError(messageOf(e))),
    });
    this.#ui.toolbar.setSpeed(this.#trainer.stepsPerFrame);
    this.#ui.toolbar.setBackend(this.getAttribute('backend') ?? 'auto');
  }

  connectedCallback() {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribePanic = onPanic((message) => this.#stop(`The training engine crashed: ${message}`));
    this.#start();
  }

  disconnectedCallback() {
    // A move in the DOM reconnects at once; only a real removal frees the model.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#trainer.dispose();
      this.#unsubscribePanic();
      this.#started = false;
    });
  }

  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    this.#ui.toolbar.setBackend(after ?? 'auto');
    // Before the first model exists, #start() reads the attribute itself.
    if (!this.#config) return;
    this.#rebuild(this.#config).then((ok) => {
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
    return this.#config && structuredClone(this.#config);
  }

  /** @returns {import('./history.js').LossHistory} all losses since the last rebuild (read-only) */
  get history() {
    return this.#trainer.history;
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

  /** Test and debugging hooks: what is drawn, and a way to draw a fresh view. */
  get debug() {
    return {
      historyLength: this.#trainer.history.length,
      plotPoints: this.#ui.plot.pointCount,
      theoryPlotPoints: {
        value: this.#ui.plots.value.pointCount,
        divergence: this.#ui.plots.divergence.pointCount,
        gradient: this.#ui.plots.gradient.pointCount,
      },
      metricsLength: this.#trainer.metrics.length,
      drawn: this.#ui.scatter.drawn,
      meanArrowLength: this.#ui.scatter.meanArrowLength,
      lastView: this.#ui.scatter.lastView,
      errorText: this.#ui.banner.errorText,
      refreshView: () => this.#trainer.refreshView(),
    };
  }

  play() {
    this.#trainer.play();
    this.#ui.toolbar.setPlaying(true);
  }

  pause() {
    this.#trainer.pause();
    this.#ui.toolbar.setPlaying(false);
    this.#showStats();
    // Draw the state training stopped at, not one from up to a frame interval earlier.
    this.#trainer.refreshView().catch(() => {});
  }

  /**
   * Pauses, then runs exactly `n` training iterations.
   * @returns {Promise<object>} stats, once the iterations are done and shown
   */
  async step(n = 1) {
    this.pause();
    await this.#trainer.step(n);
    await this.#trainer.refreshView();
    return this.stats;
  }

  /** Rebuilds both models from the current config at step 0. @returns {Promise<boolean>} */
  reset() {
    this.#ui.banner.clearError();
    return this.#config ? this.#rebuild(this.#config) : Promise.resolve(false);
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
    downloadText(await this.samplesCsv(2500), 'minimax-samples.csv');
  }

  /** @returns {string|null} the id of the preset loaded last (null before any) */
  get presetId() {
    return this.#presetId;
  }

  /**
   * Applies a config (object or JSON; fields it leaves out keep their current values) after Rust
   * validates it. Invalid: errors are shown and nothing changes. Valid: applied to the running
   * training by Rust's reconfigure(); only a new seed, noise or generator restarts the run
   * (step 0, history cleared); a new D architecture, packing or minibatch std gives D fresh
   * weights while G keeps training; everything else changes live.
   * @returns {Promise<{ok: boolean, errors: {field: string, message: string}[], rebuilt: boolean,
   *   discriminatorReset: boolean}>} rebuilt: the run restarted at step 0; discriminatorReset: D
   *   has fresh weights (true as well when rebuilt)
   */
  setConfig(input) {
    return this.#queueConfig(() => this.#applyConfig(input));
  }

  /**
   * Loads a preset of presets() by id: its full config, training restarted at step 0, its
   * summary shown. @returns {Promise<object>} the same result as setConfig()
   */
  loadPreset(id) {
    return this.#queueConfig(async () => {
      const preset = this.#presets.find((p) => p.id === id);
      if (!preset) {
        const known = this.#presets.map((p) => p.id).join(', ');
        return this.#rejected([{ field: '', message: `no preset "${id}"; presets: ${known}` }]);
      }
      const result = await this.#applyConfig(preset.config, { restart: true, name: preset.title });
      if (result.ok) this.#presetId = id;
      this.#ui.presets?.show(this.#presetId);
      return result;
    });
  }

  /**
   * Replaces the drawing with `points` ([[x, y], …] in data coordinates) and trains on it, as
   * "Use drawing" does. @returns {Promise<object>} the same result as setConfig()
   */
  setDrawnPoints(points) {
    this.#ui.drawing.setPoints(points);
    return this.#useDrawing(this.#ui.drawing.points);
  }

  #useDrawing(points) {
    return this.#queueConfig(async () => {
      const data = { dataset: 'drawn', points, std: this.#config.data.std };
      const result = await this.#applyConfig({ data });
      if (result.ok) this.#ui.drawing.setActive(false); // show the training, not the drawing
      return result;
    });
  }

  #toggleStabilizer(stabilizer) {
    this.#queueConfig(() => this.#applyConfig(mergeInto(structuredClone(this.#config), togglePatch(this.#config, stabilizer))))
      .catch((e) => this.#ui.banner.showError(messageOf(e)));
  }

  // Each change is planned against the config the previous one left, so a second click on a
  // chip while the first is being applied toggles it back rather than on twice.
  #queueConfig(job) {
    if (!this.#bindings) return Promise.reject(new Error('The training engine has not loaded yet.'));
    const run = this.#configTail.then(job);
    this.#configTail = run.catch(() => {});
    return run;
  }

  /** restart: rebuild both models at step 0 even if Rust could apply the change live (presets). */
  async #applyConfig(input, { restart = false, name = '' } = {}) {
    const plan = planConfigChange(this.#bindings, this.#schema, this.#config, input);
    if (plan.errors.length) return this.#rejected(plan.errors);
    const session = this.#trainer.session;
    const live = session && !session.deadReason;
    if (restart || !live) {
      const ok = await this.#rebuild(plan.config);
      if (ok) this.#ui.banner.notice(name ? `Loaded ${name}: training restarted at step 0.` : 'Training restarted at step 0.');
      return { ok, errors: [], rebuilt: ok, discriminatorReset: ok };
    }
    if (plan.changed.length === 0) return { ok: true, errors: [], rebuilt: false, discriminatorReset: false };
    let rebuilt;
    try {
      rebuilt = await this.#trainer.reconfigure(JSON.stringify(plan.config));
    } catch (e) {
      // A crash has its own banner already; anything else is Rust rejecting the config.
      if (session.deadReason) return this.#failed([{ field: '', message: session.deadReason }]);
      return this.#rejected([{ field: '', message: messageOf(e) }]);
    }
    if (session !== this.#trainer.session) {
      return this.#rejected([{ field: '', message: 'the model was rebuilt while these settings were applied; apply them again' }]);
    }
    this.#config = plan.config;
    this.#showConfig(plan.config);
    this.#ui.banner.clearError();
    const what = `${plan.labels.join(', ')} changed`;
    if (rebuilt.generator) this.#ui.banner.notice(`Training restarted at step 0: ${what}.`);
    else if (rebuilt.discriminator) this.#ui.banner.notice(`D re-initialised (${what}); G keeps training.`);
    else this.#ui.banner.notice(`Applied while training: ${what}.`);
    if (rebuilt.generator) {
      this.#updatePlots();
      this.#showStats();
    }
    // New data or a new D shows at once, even while paused.
    await this.#trainer.refreshView().catch((e) => this.#fail(e));
    this.#ui.drawing.refresh();
    return { ok: true, errors: [], rebuilt: rebuilt.generator, discriminatorReset: rebuilt.discriminator };
  }

  // The form's values; choosing the dataset "drawn" uses the drawing when none is in use yet.
  #formConfig(form) {
    const config = form.collect(this.#config);
    if (config.data.dataset === 'drawn' && config.data.points.length === 0) config.data.points = this.#ui.drawing.points;
    return config;
  }

  #rejected(errors) {
    this.#ui.form?.showErrors(errors);
    this.#ui.banner.showError('These settings were not applied:', { errors });
    return this.#failed(errors);
  }

  #failed(errors) {
    return { ok: false, errors, rebuilt: false, discriminatorReset: false };
  }

  #showConfig(config) {
    this.#ui.form?.setValues(config);
    this.#ui.chips?.update(config);
  }

  async #start() {
    this.#ui.status.setLoading('Loading…');
    try {
      this.#bindings = await loadBindings();
      this.#schema = Array.from(this.#bindings.configSchema());
      // #config is the config being run, or tried: a backend change before the first model
      // exists rebuilds with it too.
      this.#config ??= JSON.parse(this.#bindings.defaultConfig());
      // The form's values are read when the change is applied, after any change queued before.
      const form = new ConfigForm(this.#ui.formRoot, this.#schema, () =>
        this.#queueConfig(() => this.#applyConfig(this.#formConfig(form))).catch((e) =>
          this.#ui.banner.showError(messageOf(e)),
        ),
      );
      this.#ui.form = form;
      this.#presets = Array.from(this.#bindings.presets());
      this.#ui.presets = new PresetPicker(this.#ui.presetsRoot, this.#presets, (id) =>
        this.loadPreset(id).catch((e) => this.#ui.banner.showError(messageOf(e))),
      );
      this.#ui.chips = new StabilizerChips(this.#ui.chipsRoot, Array.from(this.#bindings.stabilizers()), (s) =>
        this.#toggleStabilizer(s),
      );
      this.#showConfig(this.#config);
      await this.#rebuild(this.#config);
    } catch (e) {
      this.#ui.status.setLoading('Not loaded');
      this.#ui.banner.showError(`The training engine could not be loaded: ${messageOf(e)}`);
    }
  }

  /** Builds a model for `config` on the backend attribute; on success it becomes current. */
  async #rebuild(config) {
    const backend = (this.getAttribute('backend') ?? 'auto').trim().toLowerCase();
    if (!BACKENDS.includes(backend)) {
      this.#ui.banner.showError(`Unknown backend "${backend}": use auto, webgpu or cpu.`);
      if (!this.#trainer.session) this.#ui.status.setLoading('Not running');
      return false;
    }
    if (!this.#trainer.session) this.#ui.status.setLoading('Starting…');
    const { status, error } = await this.#trainer.rebuild(this.#bindings, JSON.stringify(config), backend);
    if (status === 'failed') this.#createFailed(error);
    if (status !== 'ok') return false;
    const session = this.#trainer.session;
    this.#config = config;
    this.#showConfig(config);
    this.#ui.status.setBackend(session.backend, session.backendNote);
    this.#ui.banner.clearError();
    this.#updatePlots();
    this.#showStats();
    await this.#trainer.refreshView().catch((e) => this.#fail(e));
    if (!this.#readyFired && session === this.#trainer.session) {
      this.#readyFired = true;
      this.dispatchEvent(new CustomEvent('ready', { detail: this.stats }));
    }
    if (this.playing) this.play();
    return true;
  }

  #createFailed(error) {
    const current = this.#trainer.session;
    if (current && !current.deadReason) {
      const where = BACKEND_NAMES[current.backend] ?? current.backend;
      this.#ui.banner.showError(`Could not start training: ${messageOf(error)} Training continues on the ${where} model.`);
    } else {
      this.#ui.status.setLoading('Not running');
      this.#ui.banner.showError(`Could not start training: ${messageOf(error)}`, { restart: true });
    }
  }

  #chunkDone() {
    this.#updatePlots();
    this.#showStats();
    this.dispatchEvent(new CustomEvent('step', { detail: this.stats }));
  }

  #updatePlots() {
    for (const plot of Object.values(this.#ui.plots)) plot.update();
  }

  /** A fresh view: the data space, D*, the metrics and the charts fed by them. */
  #showView(view, info) {
    this.#ui.dataSpace.draw(view, info);
    this.#ui.dstar.draw(view);
    this.#ui.metrics.show(view.metrics);
    this.#ui.plots.value.setHeatKind(view.heatKind);
    this.#ui.plots.value.update();
    this.#ui.plots.divergence.update();
  }

  #showStats() {
    this.#ui.status.setStats(this.stats);
  }

  /** A wasm call failed: the model cannot be trusted any more; offer to recreate it. */
  #fail(error) {
    this.#stop(this.#trainer.session?.deadReason ?? `Training stopped: ${messageOf(error)}`);
  }

  #stop(reason) {
    this.#trainer.kill(reason);
    this.#ui.toolbar.setPlaying(false);
    this.#ui.banner.showError(reason, { restart: true });
  }
}

customElements.define('gan-playground', GanPlayground);
