// Which model runs, with which config: config changes (applied live by Rust's reconfigure(), or
// by building a new model), presets, the switch between 2-D data and digits, and checkpoints.
// Changes apply one after another, each planned against the config the last one left. What a
// new or changed model means for the views is the element's business (the host callbacks).
import { messageOf } from '../element/banner.js';
import { togglePatch } from '../controls/chips.js';
import { planConfigChange } from './config-change.js';
import { changedPaths, mergeInto } from './config-paths.js';
import { datasetSwitch, isDigitConfig } from '../digits/digit-mode.js';
import { PRETRAINED } from '../digits/assets.js';
import { DigitCycleSession } from '../digits/digit-cycle-session.js';
import { DigitSession } from '../digits/digit-session.js';
import { TIME_WEBGPU, fastCpuAfterMs, loadFastCpu } from '../engine/engine.js';
import { CycleSession, Session } from '../engine/session.js';
import { asWholeConfig, isCycleConfig, runKind } from './run-kind.js';

const BACKENDS = ['auto', 'webgpu', 'cpu'];
const BACKEND_NAMES = { webgpu: 'WebGPU', cpu: 'CPU' };

export class RunControl {
  /** The config being run, or tried: a backend change before the first model exists rebuilds with it too. */
  config = null;
  /** Rust's presets(), once the engine has loaded. */
  presets = [];
  /** The id of the preset loaded last (null before any). */
  presetId = null;
  schema = [];
  #bindings = null;
  /** @type {Promise<unknown>} */
  #tail = Promise.resolve(); // config changes apply one after another, each on the last
  #trainer;
  #ui;
  #digits;
  #host;
  #engine;

  /**
   * @param {{trainer: import('./trainer.js').Trainer, ui: object, digits: import('../digits/digit-mode.js').DigitMode,
   *   engine: import('../engine/engine.js').EngineWorker, host: {backend(): string, installed(session: Session): Promise<void>,
   *          changedLive(session: Session, restarted: boolean): Promise<void>,
   *          moved(move: {from: string, to: string, step: number}): void}}} deps
   *   host.installed: a new model is current; host.changedLive: the running one took a change
   *   (restarted: its generator was rebuilt, step 0); host.moved: `auto` moved the run to the
   *   faster backend
   */
  constructor({ trainer, ui, digits, engine, host }) {
    this.#engine = engine;
    this.#trainer = trainer;
    this.#ui = ui;
    this.#digits = digits;
    this.#host = host;
  }

  /** The engine has loaded: its schema, presets and (unless one was set) default config. */
  init(bindings) {
    this.#bindings = bindings;
    this.schema = Array.from(bindings.configSchema());
    this.presets = Array.from(bindings.presets());
    this.config ??= JSON.parse(bindings.defaultConfig());
  }

  /** See <gan-playground>.setConfig(). */
  setConfig(input) {
    return this.#queue(() => this.#apply(input));
  }

  /** See <gan-playground>.loadPreset(). */
  loadPreset(id) {
    return this.#queue(() => this.#loadPreset(id));
  }

  /**
   * The element's attributes now describe `config` (based on preset `presetId`, or none): a new
   * preset restarts the run, other changes apply as setConfig() would.
   */
  applyAttributes(config, presetId) {
    return this.#queue(async () => {
      const result = await this.#apply(asWholeConfig(config), { restart: presetId !== this.presetId });
      if (result.ok) this.presetId = presetId;
      this.#ui.presets?.show(this.presetId);
      return result;
    });
  }

  /** The form's values (read when the change applies); a dataset needing the other kind of networks loads a whole config for it. */
  applyForm(form) {
    return this.#queue(async () => {
      const config = this.#formConfig(form);
      const defaults = JSON.parse(this.#bindings.defaultConfig());
      const change = datasetSwitch(this.config, config, { defaults, presets: this.presets });
      if (!change) return this.#apply(config);
      const result = change.preset ? await this.#loadPreset(change.preset) : await this.#apply(asWholeConfig(change.config), { restart: true });
      if (result.ok) this.#ui.banner.notice(change.message);
      else this.#showConfig(this.config); // the form shows what still runs
      return result;
    });
  }

  /** Trains on drawn points (dataset "drawn"). */
  useDrawing(points) {
    return this.#queue(async () => {
      const data = { dataset: 'drawn', points, std: this.config.data.std };
      const result = await this.#apply({ data });
      if (result.ok) this.#ui.drawing.setActive(false); // show the training, not the drawing
      return result;
    });
  }

  /** A chip click: planned against the config the previous change left, so a second click toggles back. */
  toggleStabilizer(stabilizer) {
    return this.#queue(() => this.#apply(mergeInto(structuredClone(this.config), togglePatch(this.config, stabilizer))));
  }

  /** See <gan-playground>.saveCheckpoint(). */
  async saveCheckpoint() {
    const session = this.#trainer.usableSession();
    // Held between frames, so the history saved ends at the step saved.
    const { bytes, step } = await this.#trainer.held(async () => ({
      bytes: await session.saveCheckpoint(this.#trainer.history.interleaved()),
      step: session.step,
    }));
    const name = this.presetId ?? (session instanceof DigitSession ? 'digits' : session instanceof DigitCycleSession ? 'digit-translator' : 'run');
    return { bytes, filename: `minimax-${name}-step${step}.ckpt` };
  }

  /** See <gan-playground>.loadCheckpoint(). */
  loadCheckpoint(bytes, name = 'the checkpoint') {
    return this.#queue(async () => {
      bytes = new Uint8Array(bytes);
      // The file says which kind of model continues it (2-D points or digits); a file that is
      // no checkpoint throws "checkpoint: …" here, before anything is built.
      let config;
      try {
        config = JSON.parse(this.#bindings.checkpointConfig(bytes));
      } catch (e) {
        this.#createFailed(e, '');
        return false;
      }
      this.#ui.checkpoints.setBusy(true);
      const restored = await this.rebuild(config, bytes).finally(() => this.#ui.checkpoints.setBusy(false));
      if (!restored) return false;
      this.presetId = this.presets.find((p) => changedPaths(p.config, this.config).length === 0)?.id ?? null;
      this.#ui.presets?.show(this.presetId);
      const note = restored.note ? ` ${restored.note}` : '';
      this.#ui.banner.notice(`Loaded ${name} at step ${this.#trainer.session.step.toLocaleString('en-US')}.${note}`);
      return true;
    });
  }

  /** See <gan-playground>.loadPretrained(). */
  async loadPretrained(which = 'digits') {
    if (!Object.hasOwn(PRETRAINED, which)) {
      this.#ui.banner.showError(`No pretrained run "${which}": use ${Object.keys(PRETRAINED).join(' or ')}.`);
      return false;
    }
    let bytes;
    try {
      bytes = await this.#digits.fetchPretrained(/** @type {'digits'|'stylegan'|'cyclegan'} */ (which));
    } catch (e) {
      this.#ui.banner.showError(messageOf(e));
      return false;
    }
    return this.loadCheckpoint(bytes, PRETRAINED[which].title);
  }

  /**
   * The WebGPU device was lost, and the current run with it: the run goes on on the CPU from the
   * last copy kept in page memory (host-snapshot.js), else from step 0, with the config it had.
   * @returns {Promise<{step: number, lostSteps: number}|null>} where it goes on, and how many
   *   steps were lost; null when the current run was not on WebGPU (or could not be rebuilt)
   */
  recoverOnCpu(reason) {
    const session = this.#trainer.session;
    if (!session || session.deadReason || session.backend !== 'webgpu') return Promise.resolve(null);
    return this.#resume(session, `The WebGPU device was lost (${reason}).`, 'cpu');
  }

  /**
   * The engine worker crashed and the run with it: a fresh worker goes on from the last copy
   * kept in page memory (else step 0), on the backend it was on, with the config it had.
   * @returns {Promise<{step: number, lostSteps: number}|null>} null when it could not be rebuilt
   */
  recoverAfterCrash(session) {
    return this.#resume(session, session.deadReason ?? 'The training engine crashed.', session.backend);
  }

  #resume(session, reason, backend) {
    const lostAt = session.step;
    const snapshot = this.#trainer.snapshot.latest;
    const config = this.config; // live changes since the copy are applied again below
    session.kill(reason); // calls in flight reject
    return this.#queue(async () => {
      const base = snapshot ? JSON.parse(this.#bindings.checkpointConfig(snapshot.bytes)) : config;
      const ok = await this.rebuild(base, snapshot?.bytes ?? null, backend);
      if (!ok) return null;
      if (changedPaths(this.config, config).length) await this.#apply(config);
      const step = this.#trainer.session.step;
      return { step, lostSteps: lostAt - step };
    });
  }

  /**
   * Builds a model for `config` (a digit model for MNIST) on the backend attribute (or on
   * `backend`); on success it becomes current. With `checkpoint` bytes the new model continues
   * that run (its config wins).
   * @returns {Promise<boolean|object>} false on failure; with a checkpoint, what it restored
   */
  async rebuild(config, checkpoint = null, backend = this.#host.backend().trim().toLowerCase(), { note = '' } = {}) {
    if (!BACKENDS.includes(backend)) {
      this.#ui.banner.showError(`Unknown backend "${backend}": use auto, webgpu or cpu.`);
      if (!this.#trainer.session) this.#ui.status.setLoading('Not running');
      return false;
    }
    if (!this.#trainer.session) this.#ui.status.setLoading('Starting…');
    /** @type {any} */
    let restored = null; // what loadCheckpoint() restored
    const { status, error } = await this.#trainer.rebuild(async () => {
      const session = await this.#createSession(config, backend);
      restored = checkpoint && (await session.loadCheckpoint(checkpoint).catch((e) => (session.dispose(), Promise.reject(e))));
      if (note) session.backendNote = note;
      return session;
    });
    if (status === 'failed') this.#createFailed(error, checkpoint ? '' : 'Could not start training: ');
    if (status !== 'ok') return false;
    const session = this.#trainer.session;
    if (restored) {
      config = JSON.parse(restored.configJson);
      this.#trainer.history.append(restored.history);
    }
    this.config = config;
    this.#showConfig(config);
    await this.#host.installed(session);
    if (session.timeWebgpu) this.#timeWebgpu(session).catch(() => {});
    if (session.module === 'cpu') {
      session.longRunMs = fastCpuAfterMs();
      session.onLongRun = () => this.#moveToFastCpu(session).catch(() => {});
    }
    return restored ?? true;
  }

  /**
   * Moves the running training to `backend` without a restart: G, D, the random streams, the
   * step and the loss history go over in a checkpoint taken with the play loop held, so the run
   * goes on from the very step it reached, Adam's moments included (a CPU run's checkpoint has
   * them; one taken on WebGPU does not: crates/minimax-web/src/checkpoints.rs). `note` says why in the badge. `module`
   * 'cpu-fast': from the small CPU module to the fast one (the backend stays the CPU).
   * @param {'webgpu'|'cpu'} backend
   * @param {string} [note]
   * @param {{module?: 'cpu-fast'|null}} [options]
   * @returns {Promise<{from: string, to: string, step: number}|null>} null when there was nothing
   *   to move (no live run, already there) or the move failed (the banner says why; the run goes
   *   on where it was)
   */
  moveTo(backend, note = '', { module = null } = {}) {
    return this.#queue(() =>
      this.#trainer.held(async () => {
        const session = this.#trainer.session;
        const there = module ? session?.module === module : session?.backend === backend;
        if (!session || session.deadReason || there) return null;
        const bytes = await session.saveCheckpoint(this.#trainer.history.interleaved());
        const step = session.step;
        const where = module === 'cpu-fast' ? 'the fast CPU engine' : (BACKEND_NAMES[backend] ?? backend);
        const said = `${note ? `${note} ` : ''}Moved to ${where} at step ${step.toLocaleString('en-US')} without a restart.`;
        const ok = await this.rebuild(JSON.parse(this.#bindings.checkpointConfig(bytes)), bytes, backend, { note: said });
        const now = this.#trainer.session;
        if (!ok || now === session) return null;
        return { from: session.backend, to: now.backend, step: now.step };
      }),
    );
  }

  /**
   * A run on the small CPU module has trained for fastCpuAfterMs(): fetch and compile the fast
   * one (the same code built for speed) in the background, then move the run there without a
   * restart. Only a reader who trains on downloads it; the first step never waits for it.
   */
  async #moveToFastCpu(session) {
    await loadFastCpu();
    if (session !== this.#trainer.session || session.deadReason) return;
    await this.moveTo('cpu', '', { module: 'cpu-fast' });
  }

  /**
   * `auto` started a digit run on the CPU on a machine with a hardware GPU adapter: build the
   * same model in the WebGPU module with Rust's `auto`, which trains a few steps on each backend
   * (in this playground's worker, between training chunks), and move the run if WebGPU won.
   */
  async #timeWebgpu(session) {
    let timed = null;
    let note;
    try {
      timed = await this.#createSession(this.config, TIME_WEBGPU);
      note = timed.backendNote;
    } catch (e) {
      note = `auto: WebGPU could not be timed on this model (${messageOf(e)}); training stays on the CPU.`;
    } finally {
      timed?.dispose();
    }
    if (session !== this.#trainer.session || session.deadReason) return;
    if (timed?.backend === 'webgpu') {
      const moved = await this.moveTo('webgpu', `${note}.`);
      if (moved) this.#host.moved(moved);
      return;
    }
    session.backendNote = note;
    this.#ui.status.setBackend(session.backend, session.backendNote);
  }

  #createSession(config, backend) {
    const json = JSON.stringify(config);
    if (isDigitConfig(config)) return this.#digits.createSession(this.#engine, json, backend);
    return isCycleConfig(config) ? CycleSession.create(this.#engine, json, backend) : Session.create(this.#engine, json, backend);
  }

  /**
   * @template T
   * @param {() => Promise<T>} job
   * @returns {Promise<T>}
   */
  #queue(job) {
    if (!this.#bindings) return Promise.reject(new Error('The training engine has not loaded yet.'));
    const run = this.#tail.then(job);
    this.#tail = run.catch(() => {});
    return run;
  }

  async #loadPreset(id) {
    const preset = this.presets.find((p) => p.id === id);
    if (!preset) {
      const known = this.presets.map((p) => p.id).join(', ');
      return this.#rejected([{ field: '', message: `no preset "${id}"; presets: ${known}` }]);
    }
    const result = await this.#apply(asWholeConfig(preset.config), { restart: true, name: preset.title });
    if (result.ok) this.presetId = id;
    this.#ui.presets?.show(this.presetId);
    return result;
  }

  /** restart: rebuild both models at step 0 even if Rust could apply the change live (presets). */
  async #apply(input, { restart = false, name = '' } = {}) {
    const plan = planConfigChange(this.#bindings, this.config, input);
    if (plan.errors.length) return this.#rejected(plan.errors);
    const session = this.#trainer.session;
    const live = session && !session.deadReason;
    // 2-D GANs, CycleGAN runs and digits are different wasm classes: switching builds the other one.
    if (restart || !live || runKind(plan.config) !== runKind(this.config)) {
      const ok = await this.rebuild(plan.config);
      if (ok) this.#ui.banner.notice(name ? `Loaded ${name}: training restarted at step 0.` : 'Training restarted at step 0.');
      return { ok, errors: [], rebuilt: ok, discriminatorReset: ok };
    }
    if (plan.changed.length === 0) return { ok: true, errors: [], rebuilt: false, discriminatorReset: false };
    let rebuilt;
    try {
      rebuilt = await this.#trainer.reconfigure(JSON.stringify(plan.config));
    } catch (e) {
      // A crash has its own banner already; anything else is Rust rejecting the config.
      if (session.deadReason) return failed([{ field: '', message: session.deadReason }]);
      return this.#rejected([{ field: '', message: messageOf(e) }]);
    }
    if (session !== this.#trainer.session) {
      return this.#rejected([{ field: '', message: 'the model was rebuilt while these settings were applied; apply them again' }]);
    }
    this.config = plan.config;
    this.#showConfig(plan.config);
    this.#ui.banner.clearError();
    const what = `${plan.labels.join(', ')} changed`;
    if (rebuilt.generator) this.#ui.banner.notice(`Training restarted at step 0: ${what}.`);
    else if (rebuilt.discriminator) this.#ui.banner.notice(`D re-initialised (${what}); G keeps training.`);
    else this.#ui.banner.notice(`Applied while training: ${what}.`);
    await this.#host.changedLive(session, rebuilt.generator);
    return { ok: true, errors: [], rebuilt: rebuilt.generator, discriminatorReset: rebuilt.discriminator };
  }

  // The form's values; choosing the dataset "drawn" uses the drawing when none is in use yet.
  #formConfig(form) {
    const config = form.collect(this.config);
    if (config.data.dataset === 'drawn' && config.data.points.length === 0) config.data.points = this.#ui.drawing.points;
    return config;
  }

  #rejected(errors) {
    this.#ui.form?.showErrors(errors);
    this.#ui.banner.showError('These settings were not applied:', { errors });
    return failed(errors);
  }

  #showConfig(config) {
    this.#ui.form?.setValues(config);
    this.#ui.chips?.update(config);
  }

  #createFailed(error, prefix) {
    const current = this.#trainer.session;
    if (current && !current.deadReason) {
      const where = BACKEND_NAMES[current.backend] ?? current.backend;
      this.#ui.banner.showError(`${prefix}${messageOf(error)} Training continues on the ${where} model.`);
    } else {
      this.#ui.status.setLoading('Not running');
      this.#ui.banner.showError(`${prefix}${messageOf(error)}`, { restart: true });
    }
  }
}

function failed(errors) {
  return { ok: false, errors, rebuilt: false, discriminatorReset: false };
}
