// The shadow DOM of <gan-playground>: its markup, and the view objects bound to its parts
// (found by data-* attributes, so no code depends on the visual structure).
import { Banner } from './banner.js';
import { dGradientCss } from './colormap.js';
import { LossPlot, UPLOT_CSS_URL } from './loss-plot.js';
import { FAKE_COLOR, REAL_COLOR, ScatterView } from './scatter.js';
import { StatusBar } from './status-bar.js';
import { Toolbar } from './toolbar.js';

const PLAYGROUND_CSS_URL = new URL('./playground.css', import.meta.url).href;

/**
 * Fills `root` and returns its views. The config form is built later, from configSchema().
 * @param {ShadowRoot} root
 * @param {{history: object, speedRange: {min: number, max: number}, onRestart: () => void,
 *          toolbar: object}} deps the loss history to plot, and the callbacks of the controls
 */
export function buildViews(root, { history, speedRange, onRestart, toolbar }) {
  root.innerHTML = template();
  const part = (name) => root.querySelector(`[data-part="${name}"]`);
  return {
    status: new StatusBar(root),
    banner: new Banner(root, onRestart),
    scatter: new ScatterView(part('scatter')),
    plot: new LossPlot(part('plot'), history),
    toolbar: new Toolbar(part('toolbar'), toolbar, speedRange),
    formRoot: part('form'),
  };
}

function template() {
  return `
<link rel="stylesheet" href="${UPLOT_CSS_URL}">
<link rel="stylesheet" href="${PLAYGROUND_CSS_URL}">
<div class="frame">
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
  <div class="panels">
    <section class="panel scatter">
      <h2>Data space</h2>
      <canvas data-part="scatter" role="img"
        aria-label="Real and generated points over the discriminator's output D(x)"></canvas>
      <div class="legend">
        <span><i class="dot" style="background:${REAL_COLOR}"></i>real data</span>
        <span><i class="dot" style="background:${FAKE_COLOR}"></i>generated</span>
        <span class="d-legend">D(x)
          <small>0 fake</small><i class="ramp" style="background:${dGradientCss()}"></i><small>1 real</small>
        </span>
      </div>
    </section>
    <section class="panel losses">
      <h2>Losses</h2>
      <div data-part="plot"></div>
    </section>
  </div>
  <section class="panel settings">
    <h2>Settings</h2>
    <p class="hint">Changes apply at once. <span class="rebuild">↻</span> marks settings that reset the models.</p>
    <div data-part="form"></div>
  </section>
</div>`;
}
