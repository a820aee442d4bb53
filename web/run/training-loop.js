// requestAnimationFrame-driven repetition of one async "frame" of work. The next frame is only
// requested after the previous one has settled, so frames never overlap.

export class TrainingLoop {
  #frame;
  #onError;
  #playing = false;
  #handle = 0;
  #running = null; // the frame in flight (a promise that never rejects), null between frames

  /**
   * @param {() => Promise<void>} frame one chunk of training (and drawing)
   * @param {(error: unknown) => void} onError called once when a frame throws; the loop stops
   */
  constructor(frame, onError) {
    this.#frame = frame;
    this.#onError = onError;
  }

  get playing() {
    return this.#playing;
  }

  start() {
    if (this.#playing) return;
    this.#playing = true;
    // A frame still finishing from before a quick pause/play re-schedules itself.
    if (!this.#running) this.#schedule();
  }

  stop() {
    this.#playing = false;
    cancelAnimationFrame(this.#handle);
  }

  /** @returns {Promise<void>} settles once no frame is in flight */
  idle() {
    return this.#running ?? Promise.resolve();
  }

  #schedule() {
    this.#handle = requestAnimationFrame(() => this.#run());
  }

  async #run() {
    if (!this.#playing) return;
    const frame = (async () => {
      try {
        await this.#frame();
      } catch (error) {
        this.stop();
        this.#onError(error);
      }
    })();
    this.#running = frame;
    await frame;
    this.#running = null;
    if (this.#playing) this.#schedule();
  }
}
