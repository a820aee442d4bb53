// The "D*" panel: the optimal discriminator p_data/(p_data + p_g) the density estimates imply,
// in the same colours as D(x), so the two maps can be compared by eye; the caption says how the
// densities were estimated and how far the trained D is from D*.
import { applyBackgrounds, dGradientCss } from './colormap.js';
import { HeatCanvas } from './heat-canvas.js';

export class DStarView {
  #heat;
  #note;
  #gap;

  /** @param {HTMLElement} container emptied and filled */
  constructor(container) {
    container.innerHTML = `
      <h2>D* = p_data/(p_data+p_g)</h2>
      <canvas data-part="dstar" role="img"
        aria-label="The optimal discriminator for the current generator"></canvas>
      <div class="legend">
        <span class="d-legend">D*(x) <small>0 only generated</small><i class="ramp"
          data-bg="${dGradientCss()}"></i><small>1 only real</small></span>
      </div>
      <p class="caption" data-part="dstar-gap"></p>
      <p class="caption" data-part="density-note"></p>`;
    applyBackgrounds(container);
    this.#heat = new HeatCanvas(container.querySelector('[data-part="dstar"]'));
    this.#gap = container.querySelector('[data-part="dstar-gap"]');
    this.#note = container.querySelector('[data-part="density-note"]');
  }

  /** @param {object} view a Playground.view() result (dStar, bounds, metrics) */
  draw(view) {
    this.#heat.setGrid(view.dStar, view.bounds, 'probability');
    const { dStarGap, densityNote } = view.metrics ?? {};
    this.#gap.textContent =
      dStarGap == null
        ? 'mean |D* − D|: not defined for critics (their score is not a probability).'
        : `mean |D* − D| = ${dStarGap.toFixed(3)} over the grid: how far the trained D is from the optimal one.`;
    this.#note.textContent = densityNote ?? '';
  }

  destroy() {
    this.#heat.destroy();
  }
}
