// Data augmentation, measured live: do this GAN's digits help a classifier that has only a few
// real ones? One click trains the LeNet judge three times in the engine worker (DigitPlayground's
// augmentation(): 10 real digits per class alone, with 100 shifted and rotated copies per class,
// with 100 of this GAN's digits per class when the GAN is class-conditional) and scores each on
// the 1,000 held-out digits; training pauses meanwhile. Each click is the next seed, and the
// table keeps every arm's mean and spread over the seeds measured. The full experiment is
// `minimax augment` (docs/results.md).

const PER_CLASS = 10;
const EXTRA = 100;
const STEPS = 300;

export class AugmentationPanel {
  #parts;
  #session;
  #held;
  #onError;
  /** @type {{seed: number, arms: {name: string, trainDigits: number, accuracy: number}[], ganNote: string}[]} */
  #results = [];
  #running = false;

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {{session(): (import('./digit-session.js').DigitSession|null), held(job: () => Promise<any>): Promise<any>,
   *          onError(error: unknown): void}} host session: the digit session to measure with;
   *   held: runs a job with training paused; onError: a failure worth a banner
   */
  constructor(container, { session, held, onError }) {
    this.#session = session;
    this.#held = held;
    this.#onError = onError;
    container.innerHTML = `
      <h2>Data augmentation, measured</h2>
      <p class="caption">Does a classifier that has seen only ${PER_CLASS} real digits per class do
        better with ${EXTRA} of this GAN's digits per class added, or with ${EXTRA} shifted and rotated
        copies of its real ones? Each click trains the LeNet judge ${STEPS} steps on each set and
        scores it on the 1,000 held-out digits (training pauses meanwhile; about half a minute).</p>
      <button type="button" name="measure-augmentation">Measure (seed 1)</button>
      <span class="caption" data-augment="status" role="status"></span>
      <table class="augmentation" data-augment="table" hidden>
        <caption>Held-out accuracy, mean ± spread over the seeds measured</caption>
        <thead><tr><th scope="col">training set</th><th scope="col">digits</th><th scope="col">accuracy</th><th scope="col">seeds</th></tr></thead>
        <tbody></tbody>
      </table>
      <p class="caption" data-augment="note" hidden></p>`;
    const q = (s) => /** @type {HTMLElement} */ (container.querySelector(s));
    this.#parts = {
      button: /** @type {HTMLButtonElement} */ (q('button[name="measure-augmentation"]')),
      status: q('[data-augment="status"]'),
      table: q('[data-augment="table"]'),
      body: q('[data-augment="table"] tbody'),
      note: q('[data-augment="note"]'),
    };
    this.#parts.button.addEventListener('click', () => this.measure().catch((e) => this.#onError(e)));
  }

  /** @returns {object[]} every measured seed's result (a test hook) */
  get results() {
    return this.#results.map((r) => structuredClone(r));
  }

  /** Forgets the numbers (a new run: another GAN). */
  clear() {
    this.#results = [];
    this.#show();
  }

  /** Measures the next seed with the current GAN; resolves to its result (null without a digit session). */
  async measure() {
    const session = this.#session();
    if (!session || this.#running) return null;
    const seed = this.#results.length + 1;
    this.#running = true;
    this.#parts.button.disabled = true;
    this.#parts.status.textContent = `Training three classifiers (seed ${seed})…`;
    try {
      const result = await this.#held(() => session.augmentation(PER_CLASS, EXTRA, STEPS, seed));
      if (session !== this.#session()) return null; // the run changed meanwhile: not its numbers
      this.#results.push(result);
      return result;
    } finally {
      this.#running = false;
      this.#parts.button.disabled = false;
      this.#show();
    }
  }

  #show() {
    const seeds = this.#results.length;
    this.#parts.button.textContent = `Measure (seed ${seeds + 1})`;
    this.#parts.status.textContent = '';
    this.#parts.table.hidden = seeds === 0;
    this.#parts.body.replaceChildren();
    const names = this.#results[0]?.arms.map((a) => a.name) ?? [];
    for (const name of names) {
      const arms = this.#results.map((r) => r.arms.find((a) => a.name === name)).filter(Boolean);
      const accuracies = arms.map((a) => a.accuracy);
      const row = this.#parts.body.appendChild(document.createElement('tr'));
      for (const text of [name, String(arms[0].trainDigits), meanAndSpread(accuracies), String(accuracies.length)]) {
        row.appendChild(document.createElement('td')).textContent = text;
      }
    }
    const note = this.#results.at(-1)?.ganNote ?? '';
    this.#parts.note.hidden = !note;
    this.#parts.note.textContent = note && `No GAN arm: ${note}.`;
  }
}

/** "81.3 % ± 2.1" (sample standard deviation; the mean alone for one seed). */
export function meanAndSpread(values) {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const percent = (v) => `${(100 * v).toFixed(1)} %`;
  if (n < 2) return percent(mean);
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return `${percent(mean)} ± ${(100 * sd).toFixed(1)}`;
}
