// The shadow DOM of <gan-playground>: its markup, and the view objects bound to its parts
// (found by data-* attributes, so no code depends on the visual structure). Parts marked
// data-mode="2d", "cycle", "digits" or "digit-cycle" belong to those modes only (a 2-D GAN,
// a 2-D CycleGAN, the digit GAN, the digit translator).
import { Banner } from './banner.js';
import { applyBackgrounds, dGradientCss } from '../data-space/colormap.js';
import { DataSpacePanel } from '../data-space/data-space-panel.js';
import { DivergencePlot } from '../plots/divergence-plot.js';
import { DIGITS_CSS_URL } from '../digits/digit-mode.js';
import { DStarView } from '../data-space/dstar-view.js';
import { GradientPlot } from '../plots/gradient-plot.js';
import { LikelihoodPanel } from '../data-space/likelihood-panel.js';
import { LossPlot, UPLOT_CSS_URL } from '../plots/loss-plot.js';
import { MetricsReadout } from '../data-space/metrics-readout.js';
import { RunModeControls } from '../controls/run-mode-controls.js';
import { FAKE_COLOR, REAL_COLOR, ROUND_TRIP_COLOR, SOURCE_COLOR } from '../data-space/scatter.js';
import { StatusBar } from './status-bar.js';
import { Toolbar } from './toolbar.js';
import { ValuePlot } from '../plots/value-plot.js';

const PLAYGROUND_CSS_URL = new URL('./playground.css', import.meta.url).href;

/**
 * Fills `root` and returns its views. The config form is built later, from configSchema().
 * @param {ShadowRoot} root
 * @param {{history: object, metrics: object, speedRange: {min: number, max: number},
 *          onRestart: () => void, toolbar: object, runModes: object,
 *          likelihoodModels: () => object}} deps the loss and metrics
 *   histories to plot, and the callbacks of the controls
 */
export function buildViews(root, { history, metrics, speedRange, onRestart, toolbar, runModes, likelihoodModels }) {
  root.innerHTML = template();
  applyBackgrounds(root);
  const part = (name) => /** @type {HTMLElement} */ (root.querySelector(`[data-part="${name}"]`));
  const dataSpace = new DataSpacePanel(part('data-space'));
  const plots = {
    loss: new LossPlot(part('plot'), history),
    value: new ValuePlot(part('value-plot'), history, metrics),
    divergence: new DivergencePlot(part('divergence-plot'), metrics),
    gradient: new GradientPlot(part('gradient-plot'), history),
  };
  return {
    status: new StatusBar(root),
    banner: new Banner(root, onRestart),
    dataSpace,
    scatter: dataSpace.scatter,
    dstar: new DStarView(part('dstar')),
    metrics: new MetricsReadout(part('metrics')),
    likelihood: new LikelihoodPanel(part('likelihood'), likelihoodModels),
    plot: plots.loss,
    plots,
    runModes: new RunModeControls(part('run-modes'), runModes),
    toolbar: new Toolbar(part('toolbar'), toolbar, speedRange),
    formRoot: part('form'),
    presetsRoot: part('presets'),
    chipsRoot: part('chips'),
    drawRoot: part('draw'),
    scatterCanvas: /** @type {HTMLCanvasElement} */ (part('scatter')),
    digitsRoot: part('digit-panels'),
    progressRoot: part('asset-progress'),
    checkpointsRoot: part('checkpoints'),
    frame: part('frame'),
    shareRoot: part('share'),
    /** Switches whole parts off (the `controls` and `views` attributes), whatever the mode. */
    showParts: (off) => /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-part]')).forEach((el) => el.classList.toggle('off', off.has(el.dataset.part))),
    /** Shows the parts of one mode ('2d', 'cycle', 'digits' or 'digit-cycle': data-mode lists the modes a part belongs to) and hides the others'. */
    showMode: (mode) => /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-mode]')).forEach((el) => (el.hidden = !el.dataset.mode.split(' ').includes(mode))),
  };
}

function template() {
  return `
<link rel="stylesheet" href="${UPLOT_CSS_URL}">
<link rel="stylesheet" href="${PLAYGROUND_CSS_URL}">
<link rel="stylesheet" href="${DIGITS_CSS_URL}">
<div class="frame" data-part="frame">
  <header>
    <h1>Minimax <span class="subtitle">GAN playground</span></h1>
    <span class="badge" data-status="backend" title="Where training runs"></span>
    <span class="note" data-status="note" hidden></span>
    <span class="readouts">
      <span data-status="step">Step 0</span>
      <span data-status="rate">0 steps/s</span>
      <span data-status="losses"></span>
    </span>
  </header>
  <div class="banner error" data-banner="error" role="alert" hidden></div>
  <div class="banner notice" data-banner="notice" role="status" hidden></div>
  <div class="toolbar" data-part="toolbar"></div>
  <div class="toolbar run-modes" data-part="run-modes"></div>
  <div class="presets" data-part="presets"></div>
  <div class="toolbar checkpoints" data-part="checkpoints"></div>
  <div class="toolbar share" data-part="share">
    <button type="button" name="share">Copy link to this setup</button>
    <button type="button" name="embed-code">Copy embed code</button>
    <input name="share-text" aria-label="Link or embed code to copy" readonly hidden>
  </div>
  <div class="asset-progress" data-part="asset-progress" hidden></div>
  <div class="digit-panels" data-part="digit-panels" data-mode="digits digit-cycle" hidden></div>
  <div class="panels">
    <section class="panel scatter" data-part="data-space" data-mode="2d cycle">
      <h2>Data space</h2>
      <canvas data-part="scatter" role="img"
        aria-label="Real and generated points over the discriminator's output D(x)"></canvas>
      <div class="draw-tools" data-part="draw"></div>
      <div class="overlay-switches" data-part="overlays"></div>
      <div class="legend">
        <span data-mode="cycle" hidden><i class="dot" data-bg="${SOURCE_COLOR}"></i><span data-legend="source">x ∈ X</span></span>
        <span><i class="dot" data-bg="${REAL_COLOR}"></i><span data-legend="real">real data</span></span>
        <span><i class="dot" data-bg="${FAKE_COLOR}"></i><span data-legend="fake">generated</span></span>
        <span data-mode="cycle" hidden><i class="dot" data-bg="${ROUND_TRIP_COLOR}"></i><span data-legend="round-trip">F(G(x))</span></span>
        <span class="d-legend"><span data-heat="label">D(x)</span>
          <small data-heat="low">0 fake</small><i class="ramp" data-bg="${dGradientCss()}"></i><small data-heat="high">1 real</small>
        </span>
        <span data-part="arrow-readout" hidden></span>
      </div>
      <!-- Not a live region: it changes several times a second while training. -->
      <div class="metrics" data-part="cycle-metrics" data-mode="cycle" hidden></div>
    </section>
    <section class="panel dstar" data-part="dstar-panel" data-mode="2d">
      <div data-part="dstar"></div>
      <!-- Not a live region: it changes several times a second while training. -->
      <div class="metrics" data-part="metrics"></div>
    </section>
    <section class="panel losses" data-part="losses">
      <h2>Losses</h2>
      <div data-part="plot"></div>
    </section>
  </div>
  <section class="panel theory" data-part="theory">
    <h2>Theory check</h2>
    <div class="theory-plots">
      <figure data-part="value-plot" data-mode="2d cycle"></figure>
      <figure data-part="divergence-plot" data-mode="2d"></figure>
      <figure data-part="gradient-plot"></figure>
    </div>
  </section>
  <section class="panel likelihood" data-part="likelihood" data-mode="2d"></section>
  <section class="panel stabilizers" data-part="stabilizers">
    <h2>Stabilizers</h2>
    <p class="hint">Tricks that keep training stable. Click one to switch it while training runs.</p>
    <div class="chips" data-part="chips"></div>
  </section>
  <section class="panel settings" data-part="settings">
    <h2>Settings</h2>
    <p class="hint">Changes apply at once, while training runs. <span class="rebuild">↻</span> marks settings
      that restart training, <span class="rebuild">↻D</span> those that give D fresh weights.</p>
    <div data-part="form"></div>
  </section>
</div>`;
}
