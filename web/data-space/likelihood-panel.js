// "Maximum likelihood beside the GAN": the run's data fitted by a Gaussian mixture (EM, in the
// engine worker: Playground.likelihood), its samples drawn over the real data, and its numbers
// beside G's latest ones. Maximum likelihood minimises KL(p_data‖p_model): a mixture with fewer
// components than modes still reaches every mode and smears mass between them, where a GAN may
// drop modes and stay sharp. The fit is the reader's to ask for (a button), and is forgotten
// when the data change.
import { applyBackgrounds } from './colormap.js';
import { fmt, percent } from './metrics-readout.js';
import { REAL_COLOR } from './scatter.js';

const MODEL_COLOR = '#b35c00';
const POINT_RADIUS = 1.8;

/**
 * Table rows: label, then how to read G's view metrics and the mixture's result.
 * @type {[string, (m: any) => string, (f: any) => string][]}
 */
const ROWS = [
  ['modes covered', (m) => (m.modesCovered == null ? '–' : `${m.modesCovered} / ${m.modesTotal}`), (f) => (f.modesCovered == null ? '–' : `${f.modesCovered} / ${f.modesTotal}`)],
  ['high-quality samples', (m) => percent(m.highQuality), (f) => percent(f.highQuality)],
  ['JSD(p_data‖p)', (m) => fmt(m.jsd), (f) => fmt(f.jsd)],
  ['KL(p_data‖p): data the model misses', (m) => fmt(m.klDataG), (f) => fmt(f.klDataModel)],
  ['KL(p‖p_data): mass off the data', (m) => fmt(m.klGData), (f) => fmt(f.klModelData)],
  ['log-likelihood per point', () => 'none (no density)', (f) => fmt(f.logLikelihood)],
];

export class LikelihoodPanel {
  #canvas;
  #status;
  #input;
  #button;
  #cells;
  #fit;
  /** @type {object|null} the last mixture fitted, for the data it was fitted to */
  #result = null;
  /** @type {object|null} the last view drawn (real points, bounds, G's metrics) */
  #view = null;
  /** What the canvas shows (real points, bounds, fit): views come up to 10 times a second while
   * training, but the data and the fit rarely change, so the canvas is redrawn only then. */
  #drawn = '';

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {(components: number) => Promise<object>} fit fits a mixture to the run's data
   */
  constructor(container, fit) {
    this.#fit = fit;
    container.innerHTML = `
      <h2>Maximum likelihood beside the GAN</h2>
      <p class="hint">A Gaussian mixture fitted to the same data by EM maximises the likelihood,
        i.e. minimises KL(p_data‖p): with fewer components than modes it reaches every mode and
        spreads mass between them. A GAN needs no density; it may drop modes and stay sharp.</p>
      <div class="likelihood-controls">
        <label>components <input type="number" name="components" min="1" max="64" step="1" value="8"></label>
        <button type="button" name="fit-likelihood">Fit by EM</button>
        <span class="caption" data-part="likelihood-status" role="status"></span>
      </div>
      <canvas data-part="likelihood-canvas" role="img"
        aria-label="Real data and samples of the fitted Gaussian mixture"></canvas>
      <div class="legend">
        <span><i class="dot" data-bg="${REAL_COLOR}"></i>real data</span>
        <span><i class="dot" data-bg="${MODEL_COLOR}"></i>mixture samples</span>
      </div>
      <table class="likelihood-table" data-part="likelihood-table">
        <caption>The same measures for G (latest view) and the mixture</caption>
        <thead><tr><th scope="col">measure</th><th scope="col">GAN (now)</th><th scope="col">mixture (EM)</th></tr></thead>
        <tbody>${ROWS.map(([label]) => `<tr><th scope="row">${label}</th><td></td><td></td></tr>`).join('')}</tbody>
      </table>`;
    applyBackgrounds(container);
    this.#canvas = /** @type {HTMLCanvasElement} */ (container.querySelector('[data-part="likelihood-canvas"]'));
    this.#status = container.querySelector('[data-part="likelihood-status"]');
    this.#input = /** @type {HTMLInputElement} */ (container.querySelector('input[name="components"]'));
    this.#button = /** @type {HTMLButtonElement} */ (container.querySelector('button[name="fit-likelihood"]'));
    this.#cells = [...container.querySelectorAll('tbody tr')].map((row) => row.querySelectorAll('td'));
    this.#button.addEventListener('click', () => this.run(Number(this.#input.value)));
  }

  /** @returns {object|null} the last mixture fitted (a test hook) */
  get result() {
    return this.#result;
  }

  /**
   * Fits `components` Gaussians (the worker checks the number) and draws them.
   * @returns {Promise<object|null>} the fit, or null when it was refused (the status says why)
   */
  async run(components) {
    this.#button.disabled = true;
    this.#status.textContent = `Fitting ${components} Gaussians by EM…`;
    try {
      this.#result = await this.#fit(components);
      const { jsd, logLikelihood } = this.#result;
      this.#status.textContent = `Fitted ${components}: log-likelihood ${fmt(logLikelihood)} per held-out point, JSD ${fmt(jsd)}.`;
      this.#render();
      return this.#result;
    } catch (error) {
      this.#status.textContent = `Not fitted: ${error instanceof Error ? error.message : String(error)}.`;
      return null;
    } finally {
      this.#button.disabled = false;
    }
  }

  /** A fresh 2-D view: G's column of the table and the real points. */
  showView(view) {
    this.#view = view;
    this.#render();
  }

  /** The data changed (a new run): the mixture no longer describes them. */
  reset() {
    this.#result = null;
    this.#status.textContent = '';
    this.#render();
  }

  #render() {
    ROWS.forEach(([, gan, mixture], i) => {
      this.#cells[i][0].textContent = this.#view?.metrics ? gan(this.#view.metrics) : '–';
      this.#cells[i][1].textContent = this.#result ? mixture(this.#result) : 'not fitted';
    });
    const real = this.#view?.real;
    const shown = real ? [real.length, real[0], real.at(-1), ...this.#view.bounds, this.#result?.jsd, this.#result?.components].join() : '';
    if (shown !== this.#drawn) {
      this.#drawn = shown;
      this.#draw();
    }
  }

  #draw() {
    const canvas = this.#canvas;
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
    if (this.#result) dots(this.#result.samples, MODEL_COLOR);
    dots(this.#view.real, REAL_COLOR);
  }
}
