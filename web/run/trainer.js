// The training run behind one element: the current wasm session, its loss and metrics
// histories, speed, step mode and the frame loop (normal, or slow motion: one update at a time
// with a pause to look at it). Exactly one session is current; results from a replaced one are
// dropped. The session may be a 2-D Playground's or the digit GAN's: both train alike, and each
// says which view to draw and how often.
import { LossHistory } from './history.js';
import { HostSnapshot } from '../engine/host-snapshot.js';
import { MetricsHistory } from './metrics-history.js';
import { prefersReducedMotion } from '../controls/motion.js';
import { RateMeter } from './rate-meter.js';
import { TrainingLoop } from './training-loop.js';

export const SPEED = { min: 1, max: 200, default: 20 }; // iterations per animation frame
const FRAME_BUDGET_MS = 12; // keeps a frame under ~50 ms on the CPU backend
const MAX_CHUNK = SPEED.max;
// A view (heatmap, D*, density metrics) can cost tens of ms on the CPU; while playing, views
// take at most about 1 / VIEW_COST_RATIO of the time, so training is not starved.
const VIEW_COST_RATIO = 4;
const SLOW_PAUSE_MS = 500; // slow motion: how long each single update stays on screen
// Under prefers-reduced-motion: views redraw at most once a second, slow motion holds longer.
const REDUCED_VIEW_EVERY_MS = 1000;
const REDUCED_SLOW_PAUSE_MS = 1500;
export const STEP_MODES = ['both', 'd', 'g'];

export class Trainer {
  history = new LossHistory();
  metrics = new MetricsHistory();
  rate = new RateMeter();
  /** Playing stops at this step (the element's `steps` attribute); Infinity: never. */
  stopAt = Infinity;
  /** The run's last copy in page memory while on WebGPU (see host-snapshot.js). */
  snapshot = new HostSnapshot();
  /** How many views have been fetched and shown (for tests of the redraw rate). */
  viewCount = 0;

  #stepsPerFrame = SPEED.default;
  /** @type {'both'|'d'|'g'} */
  #stepMode = 'both';
  #slowMotion = false;
  /** @type {'d'|'g'} */
  #slowNext = 'd'; // slow motion in mode "both": which network moves next
  #wake = null; // ends the slow-motion pause early (pause, or slow motion switched off)
  #newRun = true; // the next view is the first of a run (the views fix their scales on it)
  #session = null;
  #generation = 0; // increments per rebuild; only the latest may install its session
  #wantPlay = false;
  #suspended = false; // the page is hidden: no training, but playing resumes when it shows
  #stepping = new Set(); // step(n) calls in progress
  #holding = null; // the held job in progress, if any
  #lastViewAt = 0;
  #viewEveryMs = 0;
  #loop = new TrainingLoop(() => this.#frame(), (e) => this.#onFailure(e));
  #onChunk;
  #onView;
  #onFailure;
  #onSlowStep;
  #onDiverged;

  /**
   * @param {{onChunk(result: object): void, onView(view: object, info: {step: number, newRun: boolean}): void,
   *          onFailure(error: unknown): void, onSlowStep?(moved: 'd'|'g'): void,
   *          onDiverged?(diverged: object): void}} callbacks
   *   onChunk after each train() result is recorded; onView with each fresh view() of the
   *   current session (newRun: first view since the run started); onFailure when a frame of the
   *   play loop fails (the loop has stopped); onSlowStep after a slow-motion update is shown;
   *   onDiverged when a loss became NaN or infinite (training has paused itself).
   */
  constructor({ onChunk, onView, onFailure, onSlowStep = () => {}, onDiverged = () => {} }) {
    this.#onDiverged = onDiverged;
    this.#onChunk = onChunk;
    this.#onView = onView;
    this.#onFailure = onFailure;
    this.#onSlowStep = onSlowStep;
  }

  /** Which network each iteration updates: 'both' (default), 'd' or 'g'. */
  get stepMode() {
    return this.#stepMode;
  }
  set stepMode(mode) {
    if (!STEP_MODES.includes(mode)) throw new Error(`Unknown step mode "${mode}": use both, d or g.`);
    this.#stepMode = mode;
    this.#slowNext = 'd';
  }

  /** Slow motion: while playing, one update per beat (D, then G in mode "both"), each shown for a moment. */
  get slowMotion() {
    return this.#slowMotion;
  }
  set slowMotion(on) {
    this.#slowMotion = Boolean(on);
    this.#slowNext = 'd';
    if (!this.#slowMotion) this.#wake?.();
  }

  /** Training iterations per animation frame while playing; clamped to SPEED. */
  get stepsPerFrame() {
    return this.#stepsPerFrame;
  }
  set stepsPerFrame(n) {
    const steps = Math.round(Number(n)) || SPEED.default;
    this.#stepsPerFrame = Math.min(SPEED.max, Math.max(SPEED.min, steps));
  }

  /** @returns {import('../engine/session.js').Session|null} */
  get session() {
    return this.#session;
  }

  get playing() {
    return this.#wantPlay;
  }

  /**
   * Creates a session and makes it current unless a later rebuild started meanwhile.
   * @param {() => Promise<import('../engine/session.js').Session>} create builds the session (a failure
   *   leaves the current one running)
   * @returns {Promise<{status: 'ok'|'stale'|'failed', error?: unknown}>}
   */
  async rebuild(create) {
    const generation = ++this.#generation;
    let session;
    try {
      session = await create();
    } catch (error) {
      return { status: generation === this.#generation ? 'failed' : 'stale', error };
    }
    if (generation !== this.#generation) {
      session.dispose();
      return { status: 'stale' };
    }
    this.#session?.dispose();
    this.#session = session;
    session.onRestart = () => this.#restarted();
    this.#restarted();
    return { status: 'ok' };
  }

  /**
   * Applies a valid config to the running models. When the generator was rebuilt the run is
   * back at step 0, so the histories start over (the session reports it).
   * @returns {Promise<{generator: boolean, discriminator: boolean}>} which networks were rebuilt
   */
  reconfigure(configJson) {
    return this.usableSession().reconfigure(configJson);
  }

  /**
   * The latest iteration's numbers (NaN for a part its step mode skipped).
   * @returns {{step: number, backend: 'webgpu'|'cpu'|null, dLoss: number, gLoss: number, value: number,
   *            gradNorm: number, stepsPerSecond: number}}
   */
  stats() {
    const last = this.history.last();
    return {
      step: this.#session?.step ?? 0,
      backend: this.#session?.backend ?? null,
      dLoss: last?.dLoss ?? NaN,
      gLoss: last?.gLoss ?? NaN,
      value: last?.value ?? NaN,
      gradNorm: last?.gradNorm ?? NaN,
      stepsPerSecond: this.rate.perSecond(),
    };
  }

  /** Starts (after the current rebuild, if none is ready yet) continuous training. */
  play() {
    this.#wantPlay = true;
    if (this.#session && !this.#session.deadReason && !this.#suspended) this.#loop.start();
  }

  /**
   * Holds training while `on` (a hidden tab: nobody watches, and the browser would throttle it
   * anyway), without forgetting that it was playing; `false` resumes where it stopped.
   */
  suspend(on) {
    this.#suspended = Boolean(on);
    if (this.#suspended) {
      this.#loop.stop();
      this.#wake?.();
      this.rate.reset();
    } else if (this.#wantPlay) {
      this.play();
    }
  }

  /** Whether training is held because the page is hidden. */
  get suspended() {
    return this.#suspended;
  }

  pause() {
    this.#wantPlay = false;
    this.#loop.stop();
    this.#wake?.();
    this.rate.reset();
  }

  /**
   * Runs exactly `n` iterations of the current step mode in chunks, yielding to the page between
   * them. A held job (a checkpoint, a move to another module) waits for it, and it for the job.
   */
  async step(n) {
    while (this.#holding) await this.#holding.catch(() => {});
    const run = this.#stepChunks(n);
    this.#stepping.add(run);
    try {
      return await run;
    } finally {
      this.#stepping.delete(run);
    }
  }

  async #stepChunks(n) {
    const session = this.usableSession();
    for (let left = Math.floor(n); left > 0; ) {
      const result = await session.train(Math.min(left, MAX_CHUNK), FRAME_BUDGET_MS, this.#stepMode);
      if (session !== this.#session) throw new Error('The model was rebuilt before the steps were done.');
      if (!(result.steps > 0)) throw new Error('The training engine ran no iteration.');
      this.#absorb(result);
      if (result.diverged) return;
      await this.snapshot.maybeTake(session, this.history);
      left -= result.steps;
      if (left > 0) await new Promise((resolve) => setTimeout(resolve));
    }
  }

  /**
   * Puts the run back to the last state known to be good and cuts the histories there.
   * @returns {Promise<number>} the step it is back at
   */
  async restoreLastGood() {
    const step = await this.usableSession().restoreLastGood();
    this.snapshot.clear(); // it may hold a later step than the one the run is back at
    this.history.truncate(step);
    this.metrics.truncate(step);
    this.rate.reset();
    return step;
  }

  /** Fetches and reports a fresh view of the current session. */
  async refreshView() {
    const session = this.#session;
    if (!session || session.deadReason) return;
    const start = performance.now();
    this.#lastViewAt = start;
    const view = await session.freshView();
    this.#viewEveryMs = Math.max(session.viewEveryMs, VIEW_COST_RATIO * (performance.now() - start));
    if (session !== this.#session) return;
    // The engine runs calls in order, so session.step is the step this view shows.
    const step = session.step;
    const newRun = this.#newRun;
    this.#newRun = false;
    if (view.metrics) this.metrics.record(step, view.metrics); // digit views have no density metrics
    this.viewCount++;
    this.#onView(view, { step, newRun });
  }

  /**
   * Runs `job` with the play loop held after its current frame, so the history and the session's
   * step agree while it runs (a checkpoint saves both); playing resumes afterwards.
   */
  async held(job) {
    this.#loop.stop();
    await this.#loop.idle();
    await Promise.allSettled([...this.#stepping]);
    const run = (async () => {
      try {
        return await job();
      } finally {
        if (this.#wantPlay) this.play();
      }
    })();
    this.#holding = run;
    try {
      return await run;
    } finally {
      if (this.#holding === run) this.#holding = null;
    }
  }

  /** @returns {import('../engine/session.js').Session} the current session; throws a user-readable Error when there is none */
  usableSession() {
    const session = this.#session;
    if (!session) throw new Error('No model yet: wait for the "ready" event.');
    if (session.deadReason) throw new Error(session.deadReason);
    return session;
  }

  /** Stops training and marks the current session unusable. */
  kill(reason) {
    this.pause();
    this.#session?.kill(reason);
  }

  /** Drops the session and any rebuild in progress (the element left the page). */
  dispose() {
    this.pause();
    this.#generation++;
    this.#session?.dispose();
    this.#session = null;
  }

  // One animation frame: a time-boxed chunk, then a view refresh if one is due; in slow motion
  // a single update, its view, and a pause.
  async #frame() {
    const session = this.#session;
    if (!session) return;
    try {
      if (this.#slowMotion) return await this.#slowBeat(session);
      const room = this.stopAt - session.step;
      if (room <= 0) return this.pause();
      const result = await session.train(Math.min(this.#stepsPerFrame, room), FRAME_BUDGET_MS, this.#stepMode);
      this.#absorb(result);
      if (!result.diverged) await this.snapshot.maybeTake(session, this.history);
      const every = prefersReducedMotion() ? Math.max(this.#viewEveryMs, REDUCED_VIEW_EVERY_MS) : this.#viewEveryMs;
      if (performance.now() - this.#lastViewAt >= every) await this.refreshView();
    } catch (error) {
      // A replaced session's failure is expected; so is a killed one's (a lost GPU device is
      // being recovered from): the loop waits for the next session, which resumes playing.
      if (session.deadReason) this.#loop.stop();
      else if (session === this.#session) throw error;
    }
  }

  async #slowBeat(session) {
    const moved = this.#stepMode === 'both' ? this.#slowNext : this.#stepMode;
    const result = await session.train(1, FRAME_BUDGET_MS, moved);
    if (session !== this.#session) return;
    this.#absorb(result);
    await this.refreshView();
    if (session !== this.#session) return;
    if (this.#stepMode === 'both') this.#slowNext = moved === 'd' ? 'g' : 'd';
    this.#onSlowStep(moved);
    if (this.#wantPlay && this.#slowMotion) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, prefersReducedMotion() ? REDUCED_SLOW_PAUSE_MS : SLOW_PAUSE_MS);
        this.#wake = () => (clearTimeout(timer), resolve());
      });
      this.#wake = null;
    }
  }

  // A new run (rebuild, or the generator rebuilt in place): step 0, empty histories.
  #restarted() {
    this.snapshot.clear();
    this.history.clear();
    this.metrics.clear();
    this.rate.reset();
    this.#newRun = true;
    this.#slowNext = 'd';
  }

  #absorb(result) {
    this.history.append(result.losses);
    this.rate.add(result.steps);
    // A diverged run only produces NaN from here on: stop before the next frame.
    if (result.diverged) this.pause();
    this.#onChunk(result);
    if (result.diverged) this.#onDiverged(result.diverged);
  }
}
