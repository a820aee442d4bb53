// "Maximum likelihood beside the GAN": the run's data modelled by a Gaussian mixture (EM) and
// by a normalizing flow (RealNVP, trained by Adam on the exact log-likelihood), both in the
// engine worker (Playground.likelihood, trainFlow, flowResult), their samples drawn over the
// real data and their numbers beside G's latest ones. Maximum likelihood minimises
// KL(p_data‖p_model): each model reaches every mode and smears mass where it cannot separate
// them, where a GAN may drop modes and stay sharp. Both are the reader's to ask for (buttons),
// and are forgotten when the data change.
import { applyBackgrounds } from './colormap.js';
import { fmt, percent } from './metrics-readout.js';
import { REAL_COLOR } from './scatter.js';

const MODEL_COLOR = '#b35c00';
const POINT_RADIUS = 1.8;
/** Adam steps a flow trains for, and per call to the worker (a call blocks the worker). */
const FLOW_STEPS = 3000;
const FLOW_CHUNK = 100;

const modes = (r) => (r.modesCovered == null ? '–' : `${r.modesCovered} / ${r.modesTotal}`);
/**
 * Table rows: label, then how to read G's view metrics and a likelihood model's result.
 * @type {[string, (m: any) => string, (r: any) => string][]}
 */
const ROWS = [
  ['modes covered', modes, modes],
  ['high-quality samples', (m) => percent(m.highQuality), (r) => percent(r.highQuality)],
  ['JSD(p_data‖p)', (m) => fmt(m.jsd), (r) => fmt(r.jsd)],
  ['KL(p_data‖p): data the model misses', (m) => fmt(m.klDataG), (r) => fmt(r.klDataModel)],
  ['KL(p‖p_data): mass off the data', (m) => fmt(m.klGData), (r) => fmt(r.klModelData)],
  ['log-likelihood per held-out point', () => 'none (no density)', (r) => fmt(r.logLikelihood)],
];

/** The two maximum-likelihood models: the table column and canvas of each. */
const MODELS = [
  { key: 'mixture', title: 'mixture (EM)', canvasLabel: 'Real data and samples of the fitted Gaussian mixture' },
  { key: 'flow', title: 'flow (RealNVP)', canvasLabel: 'Real data and samples of the trained normalizing flow' },
];

export class LikelihoodPanel {
  #status;
  #input;
  #buttons;
  #cells;
  #canvases;
  #models;
  /** @type {{mixture: object|null, flow: object|null}} the last fits, for the data they model */
  #results = { mixture: null, flow: null };
  /** @type {object|null} the last view drawn (real points, bounds, G's metrics) */
  #view = null;
  /** What each canvas shows (real points, bounds, fit): views come up to 10 times a second
   * while training, but the data and the fits rarely change, so a canvas is redrawn only then. */
  #drawn = { mixture: '', flow: '' };
  /** Bumped by reset(): a flow still training for old data stops. */
  #generation = 0;

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {() => {likelihood: (k: number) => Promise<object>, trainFlow: (steps: number) => Promise<object>,
   *   flowResult: () => Promise<object>}} models the run's session (throws when there is none)
   */
  constructor(container, models) {
    this.#models = models;
    container.innerHTML = `
      <h2>Maximum likelihood beside the GAN</h2>
      <p class="hint">A Gaussian mixture fitted by EM and a normalizing flow trained by gradient
        ascent both maximise the likelihood, i.e. minimise KL(p_data‖p): they reach every mode and
        spread mass where they cannot separate the modes. A GAN needs no density; it may drop modes
        and stay sharp.</p>
      <div class="likelihood-controls">
        <label>components <input type="number" name="components" min="1" max="64" step="1" value="8"></label>
        <button type="button" name="fit-likelihood">Fit by EM</button>
        <button type="button" name="train-flow">Train a flow (${FLOW_STEPS.toLocaleString('en-US')} steps)</button>
        <span class="caption" data-part="likelihood-status" role="status"></span>
      </div>
      <div class="likelihood-canvases">
        ${MODELS.map(({ key, title, canvasLabel }) => `<figure>
          <canvas data-part="likelihood-canvas" data-model="${key}" role="img" aria-label="${canvasLabel}"></canvas>
          <figcaption>${title}</figcaption></figure>`).join('')}
      </div>
      <div class="legend">
        <span><i class="dot" data-bg="${REAL_COLOR}"></i>real data</span>
        <span><i class="dot" data-bg="${MODEL_COLOR}"></i>the model's samples</span>
      </div>
      <table class="likelihood-table" data-part="likelihood-table">
        <caption>The same measures for G (latest view) and the two likelihood models</caption>
        <thead><tr><th scope="col">measure</th><th scope="col">GAN (now)</th>${MODELS.map((m) => `<th scope="col">${m.title}</th>`).join('')}</tr></thead>
        <tbody>${ROWS.map(([label]) => `<tr><th scope="row">${label}</th><td></td><td></td><td></td></tr>`).join('')}</tbody>
      </table>`;
    applyBackgrounds(container);
    this.#status = container.querySelector('[data-part="likelihood-status"]');
    this.#input = /** @type {HTMLInputElement} */ (container.querySelector('input[name="components"]'));
    this.#buttons = [...container.querySelectorAll('.likelihood-controls button')].map((b) => /** @type {HTMLButtonElement} */ (b));
    this.#cells = [...container.querySelectorAll('tbody tr')].map((row) => row.querySelectorAll('td'));
    this.#canvases = Object.fromEntries(
      [...container.querySelectorAll('[data-part="likelihood-canvas"]')].map((c) => [/** @type {HTMLElement} */ (c).dataset.model, c]),
    );
    this.#buttons[0].addEventListener('click', () => this.run(Number(this.#input.value)));
    this.#buttons[1].addEventListener('click', () => this.trainFlow());
  }

  /** @returns {object|null} the last mixture fitted (a test hook) */
  get result() {
    return this.#results.mixture;
  }

  /** @returns {object|null} the last flow measured (a test hook) */
  get flowResult() {
    return this.#results.flow;
  }

  /** Runs `work` with the buttons disabled; a failure goes to the status line after `failed`. */
  async #busy(failed, work) {
    this.#buttons.forEach((b) => (b.disabled = true));
    try {
      return await work();
    } catch (error) {
      this.#status.textContent = `${failed}: ${error instanceof Error ? error.message : String(error)}.`;
      return null;
    } finally {
      this.#buttons.forEach((b) => (b.disabled = false));
    }
  }

  /**
   * Fits `components` Gaussians (the worker checks the number) and draws them.
   * @returns {Promise<object|null>} the fit, or null when it was refused (the status says why)
   */
  run(components) {
    return this.#busy('Not fitted', async () => {
      this.#status.textContent = `Fitting ${components} Gaussians by EM…`;
      const result = await this.#models().likelihood(components);
      this.#results.mixture = result;
      this.#status.textContent = `Fitted ${components}: log-likelihood ${fmt(result.logLikelihood)} per held-out point, JSD ${fmt(result.jsd)}.`;
      this.#render();
      return result;
    });
  }

  /**
   * Trains the flow for FLOW_STEPS Adam steps, FLOW_CHUNK per call so that the page (and the
   * GAN in the same worker) keeps going, showing the log-likelihood as it rises; then measures it.
   * @returns {Promise<object|null>} the flow's result, or null when refused or reset meanwhile
   */
  trainFlow() {
    const generation = this.#generation;
    return this.#busy('Not trained', async () => {
      const session = this.#models();
      let first = null;
      let latest = null;
      for (let done = 0; done < FLOW_STEPS; done += FLOW_CHUNK) {
        const { history } = await session.trainFlow(FLOW_CHUNK);
        if (generation !== this.#generation) return null;
        const mean = history.reduce((a, b) => a + b, 0) / history.length;
        first ??= mean;
        latest = mean;
        this.#status.textContent = `Training the flow: step ${done + FLOW_CHUNK} of ${FLOW_STEPS}, log-likelihood per batch point ${fmt(mean)}…`;
      }
      const result = await session.flowResult();
      if (generation !== this.#generation) return null;
      this.#results.flow = { ...result, batchLogLikelihood: { first, last: latest } };
      this.#status.textContent = `Flow trained ${result.step} steps: log-likelihood per batch point ${fmt(first)} → ${fmt(latest)}, ${fmt(result.logLikelihood)} per held-out point, JSD ${fmt(result.jsd)}.`;
      this.#render();
      return this.#results.flow;
    });
  }

  /** A fresh 2-D view: G's column of the table and the real points. */
  showView(view) {
    this.#view = view;
    this.#render();
  }

  /** The data changed (a new run): the models no longer describe them. */
  reset() {
    this.#generation += 1;
    this.#results = { mixture: null, flow: null };
    this.#status.textContent = '';
    this.#render();
  }

  #render() {
    ROWS.forEach(([, gan, model], i) => {
      this.#cells[i][0].textContent = this.#view?.metrics ? gan(this.#view.metrics) : '–';
      MODELS.forEach(({ key }, j) => {
        const result = this.#results[key];
        this.#cells[i][j + 1].textContent = result ? model(result) : key === 'flow' ? 'not trained' : 'not fitted';
      });
    });
    const real = this.#view?.real;
    for (const { key } of MODELS) {
      const result = this.#results[key];
      const shown = real ? [real.length, real[0], real.at(-1), ...this.#view.bounds, result?.jsd, result?.step ?? result?.components].join() : '';
      if (shown !== this.#drawn[key]) {
        this.#drawn[key] = shown;
        this.#draw(this.#canvases[key], result);
      }
    }
  }

  #draw(canvas, result) {
    const dpr = window.devicePixelRatio || 1;
    const size = canvas.clientWidth;
    if (!size || !this.#view) return;
    canvas.width = Math.round(size * dpr);
    canvas.height = Math.round(size * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    const [xlo, xhi, ylo, yhi] = this.#view.bounds;
    const px = (x) => ((x - xlo) / (xhi - xlo)) * size;
    const py = (y) => size - ((y - ylo) / (yhi - ylo)) * size;
    const dots = (points, color) => {
      ctx.fillStyle = color;
      for (let i = 0; i + 1 < points.length; i += 2) {
        ctx.beginPath();
        ctx.arc(px(points[i]), py(points[i + 1]), POINT_RADIUS, 0, 2 * Math.PI);
        ctx.fill();
      }
    };
    // The data on top: where the mixture's mass lies against where the data are.
    if (result) dots(result.samples, MODEL_COLOR);
    dots(this.#view.real, REAL_COLOR);
  }
}
