// The digit translator's panel: held-out digits of both domains beside their translations and
// round trips (six rows: x, G(x), F(G(x)), y, F(y), G(F(y))), and the numbers that say whether the
// translation worked: the label kept (the LeNet classifier reads the same digit after G or F), the
// ink (thick strokes hold about twice the ink of thin ones), the cycle error and the classifier
// score. It measures itself: every few seconds while training, once on demand (paused, a new run).
import { drawDigits } from './digit-canvas.js';
import { oneInFlight } from './one-in-flight.js';

const ROWS = ['x ∈ X (MNIST)', 'G(x): to thick', 'F(G(x)): round trip', 'y ∈ Y (thick)', 'F(y): to thin', 'G(F(y)): round trip'];
const EVERY_MS = 4000;
const COST_RATIO = 10; // a measurement takes at most ~1/10 of the training time

const percent = (v) => `${(100 * v).toFixed(1)} %`;

export class TranslationPanel {
  #parts;
  #session;
  #measure = oneInFlight(() => this.#measureOnce());
  #lastAt = -Infinity;
  #everyMs = EVERY_MS;
  #last = null;
  #pixels = null;
  #unavailable = false;

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {() => (import('./digit-cycle-session.js').DigitCycleSession|null)} session the
   *   translation run to measure now (null: none)
   */
  constructor(container, session) {
    this.#session = session;
    container.innerHTML = `
      <h2>Translation <small>held-out digits, never trained on</small></h2>
      <div class="translation-grid">
        <ol class="translation-rows">${ROWS.map((r) => `<li>${r}</li>`).join('')}</ol>
        <canvas data-translation="grid" role="img"
          aria-label="Held-out digits in six rows: x, G(x), F(G(x)), y, F(y), G(F(y))"></canvas>
      </div>
      <h3>How well it translates <small data-translation="when"></small></h3>
      <dl class="quality-numbers">
        <dt title="Share of held-out digits x whose translation G(x) the MNIST classifier reads as x's label (F(y) for y)">Label kept</dt>
        <dd><b data-translation="kept-x">–</b> <small data-translation="kept-y"></small></dd>
        <dt title="Share of pixels brighter than mid-grey: thick strokes hold about twice the ink of thin ones">Ink</dt>
        <dd><b data-translation="ink-gx">–</b> <small data-translation="ink-ref"></small></dd>
        <dt title="Mean |F(G(x)) − x| per pixel (pixels in [−1, 1]), and |G(F(y)) − y|">Cycle error</dt>
        <dd><b data-translation="cycle">–</b> <small data-translation="cycle-parts"></small></dd>
        <dt title="exp(E KL(p(y|x) ‖ p(y))) of G(X): 10 = confident digits of every class">Classifier score of G(X)</dt>
        <dd><b data-translation="score">–</b></dd>
      </dl>
      <p class="caption">G should change the strokes, not the digit: the label kept stays high while
        G(x)'s ink moves from X's toward Y's.</p>
      <p class="caption quality-problem" data-translation="problem" hidden></p>`;
    const part = (name) => /** @type {HTMLElement} */ (container.querySelector(`[data-translation="${name}"]`));
    this.#parts = Object.fromEntries(
      ['grid', 'when', 'kept-x', 'kept-y', 'ink-gx', 'ink-ref', 'cycle', 'cycle-parts', 'score', 'problem'].map((n) => [n, part(n)]),
    );
    this.#render();
  }

  /** @returns {{metrics: object|null, pixels: Uint8Array|null}} what the panel shows (a test hook) */
  get debug() {
    return { metrics: this.#last, pixels: this.#pixels };
  }

  /** Forgets the shown numbers (a new run); `problem` ('' for none) says why none will come. */
  clear(problem = '') {
    this.#last = null;
    this.#pixels = null;
    this.#unavailable = Boolean(problem);
    this.#lastAt = -Infinity;
    for (const key of ['kept-x', 'ink-gx', 'cycle', 'score']) this.#parts[key].textContent = '–';
    for (const key of ['when', 'kept-y', 'ink-ref', 'cycle-parts']) this.#parts[key].textContent = '';
    this.#showProblem(problem);
    this.#render();
  }

  /** @param {{count: number, pixels: Uint8Array}} view six rows of `count` digits */
  draw(view) {
    this.#pixels = view.pixels;
    this.#render(view.count);
  }

  /** After a training chunk: measures if the last measurement is old enough. */
  tick() {
    if (performance.now() - this.#lastAt >= this.#everyMs) this.measure();
  }

  /** Measures now, or right after the measurement in flight. @returns {Promise<void>} */
  measure() {
    return this.#measure();
  }

  #render(count = 8) {
    drawDigits(/** @type {HTMLCanvasElement} */ (this.#parts.grid), this.#pixels, { cols: count, rows: ROWS.length });
  }

  async #measureOnce() {
    const session = this.#session();
    if (!session || session.deadReason || this.#unavailable) return;
    const start = performance.now();
    this.#lastAt = start;
    let m;
    try {
      m = await session.metrics();
    } catch (error) {
      if (!session.deadReason && session === this.#session()) this.#showProblem(`Translation numbers unavailable: ${error.message}`);
      return;
    }
    this.#everyMs = Math.max(EVERY_MS, COST_RATIO * (performance.now() - start));
    if (session === this.#session()) this.#show(m, session.step);
  }

  #show(m, step) {
    this.#last = m;
    this.#showProblem('');
    this.#parts.when.textContent = `at step ${step.toLocaleString('en-US')}, ${m.samples} digits per domain`;
    this.#parts['kept-x'].textContent = percent(m.labelKeptX);
    this.#parts['kept-y'].textContent = `by G; by F: ${percent(m.labelKeptY)}`;
    this.#parts['ink-gx'].textContent = percent(m.inkGx);
    this.#parts['ink-ref'].textContent = `G(x); x: ${percent(m.inkX)}, y: ${percent(m.inkY)}, F(y): ${percent(m.inkFy)}`;
    this.#parts.cycle.textContent = m.cycleError.toFixed(3);
    this.#parts['cycle-parts'].textContent = `X: ${m.cycleErrorX.toFixed(3)}, Y: ${m.cycleErrorY.toFixed(3)}`;
    this.#parts.score.textContent = m.classifierScoreGx.toFixed(2);
  }

  #showProblem(text) {
    this.#parts.problem.textContent = text;
    this.#parts.problem.hidden = !text;
  }
}
