// How good the generated digits are, judged by the LeNet classifier: classifier score (high =
// confident and evenly spread), Fréchet distance of its features to real digits (low = close),
// classes covered and the class histogram (an empty bar is a class G never draws: mode collapse).
// Real held-out digits give the reference values. It measures itself: every few seconds while
// training, once on demand (paused, a new run).
import { oneInFlight } from './one-in-flight.js';

const SAMPLES = 500;
const EVERY_MS = 4000;
const COST_RATIO = 10; // a measurement takes at most ~1/10 of the training time
const CLASSES = 10;

export class QualityPanel {
  #parts;
  #bars = [];
  #session;
  #measure = oneInFlight(() => this.#measureOnce());
  #lastAt = -Infinity;
  #everyMs = EVERY_MS;
  #last = null;
  #unavailable = false; // no classifier: nothing to measure with

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {() => (import('./digit-session.js').DigitSession|null)} session the session to
   *   measure now (null: none, or not a digit session)
   */
  constructor(container, session) {
    this.#session = session;
    container.innerHTML = `
      <h2>Sample quality <small data-quality="when"></small></h2>
      <dl class="quality-numbers">
        <dt title="exp(E KL(p(y|x) ‖ p(y))) over ${SAMPLES} generated digits: 10 = every digit confidently one class, all classes equally often">Classifier score</dt>
        <dd><b data-quality="score">–</b> <small data-quality="real-score"></small></dd>
        <dt title="Distance between the classifier's features of generated and of real digits (Fréchet, like FID): lower is closer">Fréchet distance</dt>
        <dd><b data-quality="frechet">–</b> <small data-quality="real-frechet"></small></dd>
        <dt title="Classes with at least 1 % of the generated digits">Classes covered</dt>
        <dd><b data-quality="covered">–</b></dd>
      </dl>
      <div class="class-histogram" data-quality="histogram" role="img"></div>
      <p class="caption">What the classifier calls ${SAMPLES} fresh samples. An empty bar is a digit G
        never draws (mode collapse).</p>
      <p class="caption quality-problem" data-quality="problem" hidden></p>`;
    const part = (name) => /** @type {HTMLElement} */ (container.querySelector(`[data-quality="${name}"]`));
    this.#parts = Object.fromEntries(
      ['when', 'score', 'real-score', 'frechet', 'real-frechet', 'covered', 'histogram', 'problem'].map((n) => [n, part(n)]),
    );
    for (let c = 0; c < CLASSES; c++) {
      const bar = this.#parts.histogram.appendChild(document.createElement('div'));
      bar.className = 'class-bar';
      bar.appendChild(document.createElement('i'));
      bar.appendChild(document.createElement('span')).textContent = String(c);
      this.#bars.push(bar);
    }
    this.clear();
  }

  /** @returns {object|null} the last quality() result shown (a test hook) */
  get last() {
    return this.#last;
  }

  /** Forgets the shown numbers (a new run); `problem` ('' for none) says why none will come. */
  clear(problem = '') {
    this.#last = null;
    this.#unavailable = Boolean(problem);
    this.#lastAt = -Infinity;
    for (const key of ['score', 'frechet', 'covered']) this.#parts[key].textContent = '–';
    this.#parts['real-score'].textContent = '';
    this.#parts['real-frechet'].textContent = '';
    this.#parts.when.textContent = '';
    this.#bars.forEach((bar) => this.#setBar(bar, 0, 0));
    this.#parts.histogram.setAttribute('aria-label', 'class histogram: not measured yet');
    this.#showProblem(problem);
  }

  /** After a training chunk: measures if the last measurement is old enough. */
  tick() {
    if (performance.now() - this.#lastAt >= this.#everyMs) this.measure();
  }

  /** Measures now, or right after the measurement in flight. @returns {Promise<void>} */
  measure() {
    return this.#measure();
  }

  async #measureOnce() {
    const session = this.#session();
    if (!session || session.deadReason || this.#unavailable) return;
    const start = performance.now();
    this.#lastAt = start;
    let result;
    try {
      result = await session.quality(SAMPLES);
    } catch (error) {
      // A dead session has its own banner; anything else (no classifier) belongs here.
      if (!session.deadReason && session === this.#session()) this.#showProblem(`Quality scores unavailable: ${error.message}`);
      return;
    }
    this.#everyMs = Math.max(EVERY_MS, COST_RATIO * (performance.now() - start));
    if (session === this.#session()) this.#show(result, session.step);
  }

  #show(q, step) {
    this.#last = q;
    this.#showProblem('');
    this.#parts.when.textContent = `at step ${step.toLocaleString('en-US')}`;
    this.#parts.score.textContent = q.classifierScore.toFixed(2);
    this.#parts['real-score'].textContent = `real digits: ${q.realScore.toFixed(2)}`;
    this.#parts.frechet.textContent = q.frechetDistance == null ? '–' : q.frechetDistance.toFixed(1);
    this.#parts['real-frechet'].textContent = `real vs real: ${q.realFrechet.toFixed(1)}`;
    this.#parts.covered.textContent = `${q.classesCovered}/${CLASSES}`;
    const counts = Array.from(q.classHistogram);
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const highest = Math.max(...counts, 1);
    this.#bars.forEach((bar, c) => this.#setBar(bar, counts[c] / highest, counts[c] / total));
    const described = counts.map((n, c) => `${c}: ${Math.round((100 * n) / total)} %`).join(', ');
    this.#parts.histogram.setAttribute('aria-label', `class histogram: ${described}`);
  }

  #setBar(bar, height, share) {
    bar.firstChild.style.height = `${(100 * height).toFixed(1)}%`;
    bar.classList.toggle('empty', this.#last != null && share === 0);
    bar.title = this.#last ? `${bar.textContent}: ${(100 * share).toFixed(1)} % of the samples` : '';
  }

  #showProblem(text) {
    this.#parts.problem.textContent = text;
    this.#parts.problem.hidden = !text;
  }
}
