// Steps per second over roughly the last second of wall time.

const WINDOW_MS = 1000;

export class RateMeter {
  /** @type {{t: number, n: number}[]} */
  #marks = [];

  reset() {
    this.#marks = [];
  }

  /** Records that `steps` iterations finished at time `now` (ms, performance.now()). */
  add(steps, now = performance.now()) {
    this.#marks.push({ t: now, n: steps });
    // Keep one mark older than the window: it is the start of the measured interval.
    while (this.#marks.length > 2 && this.#marks[1].t < now - WINDOW_MS) this.#marks.shift();
  }

  /**
   * @returns {number} iterations per second; 0 until two marks exist. A slow device (one chunk
   * takes longer than the window) is measured over its last chunk; pausing resets the meter.
   */
  perSecond() {
    const marks = this.#marks;
    if (marks.length < 2) return 0;
    let steps = 0;
    for (let i = 1; i < marks.length; i++) steps += marks[i].n;
    const span = marks[marks.length - 1].t - marks[0].t;
    return span > 0 ? (steps * 1000) / span : 0;
  }
}
