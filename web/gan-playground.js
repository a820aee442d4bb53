// <gan-playground>: the public element. It wires the Trainer (wasm session, history, loop) to
// the views and controls and turns failures into messages. No training math, no validation.
import { messageOf } from './banner.js';
import { LR_D, LR_G, planConfigChange } from './config-change.js';
import { getPath } from './config-paths.js';
import { ConfigForm } from './controls.js';
import { loadBindings, onPanic } from './engine.js';
import { buildViews } from './playground-view.js';
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
 * Methods: play(), pause(), step(n), reset(), samples(n), setConfig(obj|json).
 * Properties: stats, playing, config, history, stepsPerFrame, debug.
 */
export class GanPlayground extends HTMLElement {
  static observedAttributes = ['backend'];

  #bindings = null;
  #schema = [];
  #config = null;
  #started = false;
  #readyFired = false;
  #unsubscribePanic = () => {};
  #trainer = new Trainer({
    onChunk: () => this.#chunkDone(),
    onView: (view) => this.#ui.scatter.draw(view),
    onFailure: (e) => this.#fail(e),
  });
  #ui;

  constructor() {
    super();
    this.#ui = buildViews(this.attachShadow({ mode: 'open' }), {
      history: this.#trainer.history,
      speedRange: SPEED,
      onRestart: () => this.reset(),
      toolbar: {
        togglePlay: () => (this.playing ? this.pause() : this.play()),
        step: () => this.step(1).catch((e) => this.#fail(e)),
        reset: () => this.reset(),
        setSpeed: (n) => (this.stepsPerFrame = n),
        setBackend: (b) => this.setAttribute('backend', b),
      },
    });
    this.#ui.form = null; // built from configSchema() once the engine has loaded
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

  /** @returns {{step: number, backend: 'webgpu'|'cpu'|null, dLoss: number, gLoss: number, value: number, stepsPerSecond: number}} */
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

  /** Test and debugging hooks: what is drawn, and a way to draw a fresh view. */
  get debug() {
    return {
      historyLength: this.#trainer.history.length,
      plotPoints: this.#ui.plot.pointCount,
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

  /**
   * Applies a config (object or JSON) after Rust validates it. Invalid: errors are shown and
   * training is untouched. Only learning rates changed: applied in place. Otherwise: the models
   * are rebuilt at step 0 and a notice names the changed settings.
   * @returns {Promise<{ok: boolean, errors: {field: string, message: string}[], rebuilt: boolean}>}
   */
  async setConfig(input) {
    if (!this.#bindings) throw new Error('The training engine has not loaded yet.');
    const plan = planConfigChange(this.#bindings, this.#schema, this.#config, input);
    this.#ui.form?.showErrors(plan.errors);
    if (plan.errors.length) {
      this.#ui.banner.showError('These settings were not applied:', { errors: plan.errors });
      return { ok: false, errors: plan.errors, rebuilt: false };
    }
    const session = this.#trainer.session;
    if (plan.inPlace && session && !session.deadReason) {
      try {
        await session.setLearningRates(getPath(plan.config, LR_D), getPath(plan.config, LR_G));
      } catch (e) {
        const errors = [{ field: '', message: messageOf(e) }];
        this.#ui.banner.showError('These settings were not applied:', { errors });
        return { ok: false, errors, rebuilt: false };
      }
      this.#config = plan.config;
      this.#ui.banner.clearError();
      return { ok: true, errors: [], rebuilt: false };
    }
    if (plan.changed.length === 0 && session) return { ok: true, errors: [], rebuilt: false };
    const ok = await this.#rebuild(plan.config);
    if (ok) this.#ui.banner.notice(`Model rebuilt: ${plan.labels.join(', ')} changed.`);
    return { ok, errors: [], rebuilt: ok };
  }

  async #start() {
    this.#ui.status.setLoading('Loading…');
    try {
      this.#bindings = await loadBindings();
      this.#schema = Array.from(this.#bindings.configSchema());
      // #config is the config being run, or tried: a backend change before the first model
      // exists rebuilds with it too.
      this.#config ??= JSON.parse(this.#bindings.defaultConfig());
      const form = new ConfigForm(this.#ui.formRoot, this.#schema, () =>
        this.setConfig(form.collect(this.#config)).catch((e) => this.#ui.banner.showError(messageOf(e))),
      );
      form.setValues(this.#config);
      this.#ui.form = form;
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
    this.#ui.form?.setValues(config);
    this.#ui.status.setBackend(session.backend, session.backendNote);
    this.#ui.banner.clearError();
    this.#ui.plot.update();
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
    this.#ui.plot.update();
    this.#showStats();
    this.dispatchEvent(new CustomEvent('step', { detail: this.stats }));
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
