// One live wasm Playground: every call goes through the engine queue, and once the engine has
// panicked (or a call failed) the session is dead and every pending or later call rejects.
// digits/digit-session.js extends it for the image GAN (DigitPlayground).
import { enqueue, onPanic } from './engine.js';

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
  #pg;
  #dead = null;
  #rejectDeath;
  #death;
  #unsubscribe;

  /**
   * @param {object} bindings the wasm exports
   * @param {string} configJson
   * @param {'auto'|'webgpu'|'cpu'} backend
   * @returns {Promise<Session>} rejects with Rust's user-readable Error
   */
  static create(bindings, configJson, backend) {
    return Session.open(() => bindings.Playground.create(configJson, backend));
  }

  /**
   * A session of this class around the wasm object `construct` resolves to.
   * @param {() => Promise<object>} construct calls the wasm class's async create()
   */
  static async open(construct) {
    // A panic leaves the pending call unsettled for ever; turn it into a rejection.
    let unsubscribe;
    const panicked = new Promise((_, reject) => {
      unsubscribe = onPanic((m) => reject(new SessionDeadError(`The training engine crashed: ${m}`)));
    });
    try {
      const pg = await Promise.race([enqueue(construct), panicked]);
      // Read the getters now, while nothing else can be in flight on this object.
      const facts = await enqueue(() => ({ backend: pg.backend, note: pg.backendNote, step: pg.step }));
      return new this(pg, facts);
    } finally {
      unsubscribe();
    }
  }

  constructor(pg, { backend, note, step }) {
    this.#pg = pg;
    /** @type {'webgpu'|'cpu'} */
    this.backend = backend;
    /** Why the backend differs from the one asked for; '' when it does not. */
    this.backendNote = note;
    /** Training iterations done so far, as of the last train() result. */
    this.step = step;
    /** Called when reconfigure() restarted the run (new generator, step 0). */
    this.onRestart = () => {};
    this.#death = new Promise((_, reject) => (this.#rejectDeath = reject));
    this.#death.catch(() => {}); // observed through race(), never on its own
    this.#unsubscribe = onPanic((message) => this.kill(`The training engine crashed: ${message}`));
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
    const result = await this.call((pg) => pg.train(maxSteps, budgetMs, mode));
    this.step = result.step;
    return result;
  }

  /**
   * Applies a valid config to the running models (see docs/wasm-api.md).
   * @returns {Promise<{generator: boolean, discriminator: boolean}>} which networks were rebuilt
   */
  async reconfigure(configJson) {
    const rebuilt = await this.call((pg) => {
      const out = pg.reconfigure(configJson);
      return { ...out, step: pg.step };
    });
    this.step = rebuilt.step;
    if (rebuilt.generator) this.onRestart();
    return { generator: Boolean(rebuilt.generator), discriminator: Boolean(rebuilt.discriminator) };
  }

  /**
   * @returns {Promise<object>} real/fake points, bounds, heat (+ heatKind), dStar, arrows, mesh
   *   (+ meshRows, meshCols) and metrics, as docs/wasm-api.md describes
   */
  view(gridRes) {
    return this.call((pg) => pg.view(gridRes));
  }

  /** The view the training loop draws; Trainer calls it at most every `viewEveryMs`. */
  freshView() {
    return this.view(VIEW_GRID);
  }

  /** Least time between two views while playing (the loop stretches it when views are costly). */
  get viewEveryMs() {
    return VIEW_EVERY_MS;
  }

  /** @returns {Promise<Float32Array>} n fresh generated points as x,y pairs */
  samples(n) {
    return this.call((pg) => pg.samples(n));
  }

  /** Back to the last state known to be good. @returns {Promise<number>} its step */
  async restoreLastGood() {
    this.step = await this.call((pg) => pg.restoreLastGood());
    return this.step;
  }

  /** @param {Float32Array} history [dLoss, gLoss, value, gradNorm] per step @returns {Promise<Uint8Array>} the file */
  saveCheckpoint(history) {
    return this.call((pg) => pg.saveCheckpoint(history));
  }

  /**
   * Replaces the run with a checkpoint's; throws "checkpoint: …" (run untouched) for a bad file.
   * @returns {Promise<{configJson: string, step: number, history: Float32Array, note: string}>}
   */
  async loadCheckpoint(bytes) {
    const restored = await this.call((pg) => {
      const out = pg.loadCheckpoint(bytes);
      return { configJson: out.configJson, history: out.history, note: out.note ?? '', step: pg.step };
    });
    this.step = restored.step;
    return restored;
  }

  setLearningRates(lrD, lrG) {
    return this.call((pg) => pg.setLearningRates(lrD, lrG));
  }

  /** Frees the wasm object once the calls queued before have run. Safe to call twice. */
  dispose() {
    const pg = this.#pg;
    this.#pg = null;
    this.kill('This model was replaced.');
    if (pg) enqueue(() => pg.free()).catch(() => {});
  }

  /** Runs `fn(wasmObject)` in the engine queue; rejects once the session is dead. */
  call(fn) {
    if (this.#dead) return Promise.reject(new SessionDeadError(this.#dead));
    const pg = this.#pg;
    const run = enqueue(() => {
      if (this.#dead) throw new SessionDeadError(this.#dead);
      return fn(pg);
    });
    return Promise.race([run, this.#death]);
  }
}
