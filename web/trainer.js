// The training run behind one element: the current wasm session, its loss history and speed,
// and the frame loop. Exactly one session is current; results from a replaced one are dropped.
import { LossHistory } from './history.js';
import { RateMeter } from './rate-meter.js';
import { Session } from './session.js';
import { TrainingLoop } from './training-loop.js';

export const SPEED = { min: 1, max: 200, default: 20 }; // iterations per animation frame
const FRAME_BUDGET_MS = 12; // keeps a frame under ~50 ms on the CPU backend
const MAX_CHUNK = SPEED.max;
const VIEW_GRID = 48;
const VIEW_EVERY_MS = 100;

export class Trainer {
  history = new LossHistory();
  rate = new RateMeter();

  #stepsPerFrame = SPEED.default;
  #session = null;
  #generation = 0; // increments per rebuild; only the latest may install its session
  #wantPlay = false;
  #lastViewAt = 0;
  #loop = new TrainingLoop(() => this.#frame(), (e) => this.#onFailure(e));
  #onChunk;
  #onView;
  #onFailure;

  /**
   * @param {{onChunk(result: object): void, onView(view: object): void, onFailure(error: unknown): void}} callbacks
   *   onChunk after each train() result is recorded; onView with each fresh view() of the
   *   current session; onFailure when a frame of the play loop fails (the loop has stopped).
   */
  constructor({ onChunk, onView, onFailure }) {
    this.#onChunk = onChunk;
    this.#onView = onView;
    this.#onFailure = onFailure;
  }

  /** Training iterations per animation frame while playing; clamped to SPEED. */
  get stepsPerFrame() {
    return this.#stepsPerFrame;
  }
  set stepsPerFrame(n) {
    const steps = Math.round(Number(n)) || SPEED.default;
    this.#stepsPerFrame = Math.min(SPEED.max, Math.max(SPEED.min, steps));
  }

  /** @returns {Session|null} */
  get session() {
    return this.#session;
  }

  get playing() {
    return this.#wantPlay;
  }

  /**
   * Creates a session and makes it current unless a later rebuild started meanwhile.
   * @returns {Promise<{status: 'ok'|'stale'|'failed', error?: unknown}>}
   */
  async rebuild(bindings, configJson, backend) {
    const generation = ++this.#generation;
    let session;
    try {
      session = await Session.create(bindings, configJson, backend);
    } catch (error) {
      return { status: generation === this.#generation ? 'failed' : 'stale', error };
    }
    if (generation !== this.#generation) {
      session.dispose();
      return { status: 'stale' };
    }
    this.#session?.dispose();
    this.#session = session;
    this.history.clear();
    this.rate.reset();
    return { status: 'ok' };
  }

  /** @returns {{step: number, backend: 'webgpu'|'cpu'|null, dLoss: number, gLoss: number, value: number, stepsPerSecond: number}} */
  stats() {
    const last = this.history.last();
    return {
      step: this.#session?.step ?? 0,
      backend: this.#session?.backend ?? null,
      dLoss: last?.dLoss ?? NaN,
      gLoss: last?.gLoss ?? NaN,
      value: last?.value ?? NaN,
      stepsPerSecond: this.rate.perSecond(),
    };
  }

  /** Starts (after the current rebuild, if none is ready yet) continuous training. */
  play() {
    this.#wantPlay = true;
    if (this.#session && !this.#session.deadReason) this.#loop.start();
  }

  pause() {
    this.#wantPlay = false;
    this.#loop.stop();
    this.rate.reset();
  }

  /** Runs exactly `n` iterations in chunks, yielding to the page between them. */
  async step(n) {
    const session = this.usableSession();
    for (let left = Math.floor(n); left > 0; ) {
      const result = await session.train(Math.min(left, MAX_CHUNK), FRAME_BUDGET_MS);
      if (session !== this.#session) throw new Error('The model was rebuilt before the steps were done.');
      if (!(result.steps > 0)) throw new Error('The training engine ran no iteration.');
      this.#absorb(result);
      left -= result.steps;
      if (left > 0) await new Promise((resolve) => setTimeout(resolve));
    }
  }

  /** Fetches and reports a fresh view of the current session. */
  async refreshView() {
    const session = this.#session;
    if (!session || session.deadReason) return;
    this.#lastViewAt = performance.now();
    const view = await session.view(VIEW_GRID);
    if (session === this.#session) this.#onView(view);
  }

  /** @returns {Session} the current session; throws a user-readable Error when there is none */
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

  // One animation frame: a time-boxed chunk, then a view refresh if one is due.
  async #frame() {
    const session = this.#session;
    if (!session) return;
    try {
      this.#absorb(await session.train(this.#stepsPerFrame, FRAME_BUDGET_MS));
      if (performance.now() - this.#lastViewAt >= VIEW_EVERY_MS) await this.refreshView();
    } catch (error) {
      if (session === this.#session) throw error; // a replaced session's failure is expected
    }
  }

  #absorb(result) {
    this.history.append(result.losses);
    this.rate.add(result.steps);
    this.#onChunk(result);
  }
}
