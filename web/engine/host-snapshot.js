// The run's last state kept in page memory: a checkpoint (config, step, losses, G and D, read
// back asynchronously) taken every few seconds. The run lives in the engine worker: a crash there
// (a panic, an out-of-memory) or a lost GPU device takes it along, and it goes on from this copy.

const MIN_EVERY_MS = 5000; // at most every 5 s …
const COST_RATIO = 50; // … and at most ~2% of the time when a copy is slow (big models)

export class HostSnapshot {
  /** @type {{bytes: Uint8Array, step: number}|null} */
  #latest = null;
  #takenAt = -Infinity;
  #everyMs = MIN_EVERY_MS;

  /** @returns {{bytes: Uint8Array, step: number}|null} the last copy taken (a checkpoint file) */
  get latest() {
    return this.#latest;
  }

  /**
   * Takes a copy of `session`'s run when one is due (none yet, or the interval has passed).
   * Call it between training chunks, so `history` ends at the session's step.
   * @param {import('./session.js').Session} session
   * @param {import('../run/history.js').LossHistory} history
   */
  async maybeTake(session, history) {
    if (session.deadReason) return;
    const start = performance.now();
    if (this.#latest && start - this.#takenAt < this.#everyMs) return;
    const step = session.step;
    const bytes = await session.saveCheckpoint(history.interleaved());
    this.#latest = { bytes, step };
    this.#takenAt = performance.now();
    this.#everyMs = Math.max(MIN_EVERY_MS, COST_RATIO * (this.#takenAt - start));
  }

  /** Forgets the copy (the run restarted, or went back to an earlier step). */
  clear() {
    this.#latest = null;
  }
}
