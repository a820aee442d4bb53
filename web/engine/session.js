// One live wasm Playground, held by the playground's engine worker (engine.js): every call is a
// message, answered in order; once the worker crashed (or a call failed) the session is dead and
// every pending or later call rejects. digits/digit-session.js extends it for the image GAN;
// CycleSession (below) is a CycleGAN translation run between two 2-D datasets.

const VIEW_GRID = 48; // cells per side of the heatmaps a 2-D view computes
const VIEW_EVERY_MS = 100; // views while playing: at most 10 a second

/** Rejection reason for calls on a session that can no longer be used. */
export class SessionDeadError extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'SessionDeadError';
  }
}

export class Session {
  #engine;
  #handle;
  #dead = null;
  #rejectDeath;
  #death;
  #unsubscribe;

  /**
   * @param {import('./engine.js').EngineWorker} engine the playground's worker
   * @param {string} configJson
   * @param {'auto'|'webgpu'|'cpu'} backend
   * @returns {Promise<Session>} rejects with Rust's user-readable Error
   */
  static create(engine, configJson, backend) {
    return Session.open(engine, 'Playground', backend, { digits: false, args: (request) => [configJson, request] });
  }

  /**
   * A session of this class around a wasm object built in the worker.
   * @param {import('./engine.js').EngineWorker} engine
   * @param {string} cls the wasm class
   * @param {'auto'|'webgpu'|'cpu'} backend
   * @param {{digits: boolean, args: (request: string) => any[]}} model see EngineWorker.create()
   */
  static async open(engine, cls, backend, model) {
    const facts = await engine.create(cls, backend, model);
    return new this(engine, facts);
  }

  constructor(engine, { handle, backend, module = 'cpu', backendNote, step, timeWebgpu = false }) {
    this.#engine = engine;
    this.#handle = handle;
    /** @type {'webgpu'|'cpu'} */
    this.backend = backend;
    /** The wasm module that holds the run: the small CPU one, the fast CPU one, or WebGPU's. */
    this.module = module;
    /** Wall time spent in train() calls, ms. */
    this.trainedMs = 0;
    /** Called once when trainedMs first reaches `longRunMs` (RunControl: the fast CPU module). */
    this.onLongRun = () => {};
    this.longRunMs = Infinity;
    /** Why the backend differs from the one asked for; '' when it does not. */
    this.backendNote = backendNote;
    /** `auto` started this run on the CPU where WebGPU may be faster: RunControl times it. */
    this.timeWebgpu = timeWebgpu;
    /** Training iterations done so far, as of the last call's answer. */
    this.step = step;
    /** Called when reconfigure() restarted the run (new generator, step 0). */
    this.onRestart = () => {};
    this.#death = new Promise((_, reject) => (this.#rejectDeath = reject));
    this.#death.catch(() => {}); // observed through race(), never on its own
    this.#unsubscribe = engine.onCrash((message) => this.kill(`The training engine crashed: ${message}`));
  }

  /** @returns {string|null} why the session died, or null while it is usable */
  get deadReason() {
    return this.#dead;
  }

  /** Marks the session unusable; pending and later calls reject with `reason`. */
  kill(reason) {
    if (this.#dead) return;
    this.#dead = reason;
    this.#unsubscribe();
    this.#rejectDeath(new SessionDeadError(reason));
  }

  /**
   * @param {number} maxSteps
   * @param {number} budgetMs
   * @param {'both'|'d'|'g'} mode which network(s) each iteration updates
   * @returns {Promise<{steps: number, step: number, losses: Float32Array, diverged: null|{step: number,
   *   quantity: string, message: string, goodStep: number|null}}>} losses holds
   *   [dLoss, gLoss, value, gradNorm] per iteration, NaN where the mode skipped that part;
   *   diverged: the first number that became NaN or infinite, and the last good step kept
   */
  async train(maxSteps, budgetMs, mode = 'both') {
    const start = performance.now();
    const result = await this.call('train', maxSteps, budgetMs, mode);
    const before = this.trainedMs;
    this.trainedMs += performance.now() - start;
    if (before < this.longRunMs && this.trainedMs >= this.longRunMs) this.onLongRun();
    return result;
  }

  /**
   * Applies a valid config to the running models (see docs/wasm-api.md).
   * @returns {Promise<{generator: boolean, discriminator: boolean}>} which networks were rebuilt
   */
  async reconfigure(configJson) {
    const rebuilt = await this.call('reconfigure', configJson);
    if (rebuilt.generator) this.onRestart();
    return { generator: Boolean(rebuilt.generator), discriminator: Boolean(rebuilt.discriminator) };
  }

  /**
   * @returns {Promise<object>} real/fake points, bounds, heat (+ heatKind), dStar, arrows, mesh
   *   (+ meshRows, meshCols) and metrics, as docs/wasm-api.md describes
   */
  view(gridRes) {
    return this.call('view', gridRes);
  }

  /** The view the training loop draws; Trainer calls it at most every `viewEveryMs`. */
  freshView() {
    return this.view(VIEW_GRID);
  }

  /** Least time between two views while playing (the loop stretches it when views are costly). */
  get viewEveryMs() {
    return VIEW_EVERY_MS;
  }

  /**
   * A Gaussian mixture of `components` fitted by EM to this run's data, with its samples and
   * metrics (2-D runs; docs/wasm-api.md). The training is untouched.
   * @returns {Promise<object>}
   */
  likelihood(components) {
    return this.call('likelihood', components);
  }

  /**
   * Trains the run's normalizing flow (maximum likelihood, on the CPU) `steps` more Adam steps.
   * @returns {Promise<{step: number, history: Float32Array}>} steps in all, each new batch's mean
   *   log-likelihood
   */
  trainFlow(steps) {
    return this.call('trainFlow', steps);
  }

  /** @returns {Promise<object>} the flow so far, measured as likelihood() measures the mixture */
  flowResult() {
    return this.call('flowResult');
  }

  /** @returns {Promise<Float32Array>} n fresh generated points as x,y pairs */
  samples(n) {
    return this.call('samples', n);
  }

  /** Back to the last state known to be good. @returns {Promise<number>} its step */
  restoreLastGood() {
    return this.call('restoreLastGood');
  }

  /** @param {Float32Array} history [dLoss, gLoss, value, gradNorm] per step @returns {Promise<Uint8Array>} the file */
  saveCheckpoint(history) {
    return this.call('saveCheckpoint', history);
  }

  /**
   * Replaces the run with a checkpoint's; throws "checkpoint: …" (run untouched) for a bad file.
   * @returns {Promise<{configJson: string, step: number, history: Float32Array, note: string}>}
   */
  async loadCheckpoint(bytes) {
    const out = await this.call('loadCheckpoint', bytes);
    return { configJson: out.configJson, history: out.history, note: out.note ?? '', step: this.step };
  }

  setLearningRates(lrD, lrG) {
    return this.call('setLearningRates', lrD, lrG);
  }

  /** Frees the wasm object once the calls sent before have run. Safe to call twice. */
  dispose() {
    const handle = this.#handle;
    this.#handle = null;
    this.kill('This model was replaced.');
    if (handle !== null) this.#engine.free(handle);
  }

  /** Calls `method(...args)` on the wasm object in the worker; rejects once the session is dead. */
  call(method, ...args) {
    if (this.#dead) return Promise.reject(new SessionDeadError(this.#dead));
    const run = this.#engine.call(this.#handle, method, args).then(({ result, step }) => {
      if (this.#dead) throw new SessionDeadError(this.#dead);
      if (step !== undefined) this.step = step;
      return result;
    });
    return Promise.race([run, this.#death]);
  }
}

/**
 * A CycleGAN run between two 2-D datasets (wasm `CyclePlayground`): G: X → Y, F: Y → X, D_X, D_Y.
 * Training, config changes, checkpoints and the divergence guard are a Session's; its view()
 * draws both directions of the translation (docs/wasm-api.md). It draws nothing from noise and
 * fits no density beside the GAN, so those calls reject with why.
 */
export class CycleSession extends Session {
  /**
   * @param {import('./engine.js').EngineWorker} engine
   * @param {string} configJson a config with cycle.source set
   * @param {'auto'|'webgpu'|'cpu'} backend
   * @returns {Promise<CycleSession>}
   */
  static create(engine, configJson, backend) {
    return /** @type {Promise<CycleSession>} */ (CycleSession.open(engine, 'CyclePlayground', backend, { digits: false, args: (request) => [configJson, request] }));
  }

  samples() {
    return Promise.reject(new Error('samples(n): a CycleGAN run translates the points of one dataset into another; it draws none from noise'));
  }

  likelihood() {
    return Promise.reject(new Error('a Gaussian mixture is fitted beside a GAN from noise, not beside a CycleGAN translation'));
  }

  trainFlow() {
    return Promise.reject(new Error('a flow is trained beside a GAN from noise, not beside a CycleGAN translation'));
  }

  flowResult() {
    return this.trainFlow();
  }
}
