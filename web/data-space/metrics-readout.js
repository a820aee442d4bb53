// A live line of the latest view's density metrics: mode coverage (mixture data only) and the
// divergences between p_data and p_g.

export class MetricsReadout {
  #modes;
  #divergences;

  /** @param {HTMLElement} container emptied and filled */
  constructor(container) {
    container.innerHTML = `
      <span data-metric="modes" hidden></span>
      <span data-metric="divergences"></span>`;
    this.#modes = /** @type {HTMLElement} */ (container.querySelector('[data-metric="modes"]'));
    this.#divergences = /** @type {HTMLElement} */ (container.querySelector('[data-metric="divergences"]'));
  }

  /** @param {object} metrics view().metrics */
  show(metrics) {
    const { modesCovered, modesTotal, highQuality, jsd, klDataG, klGData } = metrics;
    const mixture = modesCovered != null && modesTotal != null;
    this.#modes.hidden = !mixture;
    if (mixture) {
      const quality = highQuality == null ? '' : ` · high quality ${percent(highQuality)}`;
      this.#modes.textContent = `modes covered ${modesCovered}/${modesTotal}${quality}`;
      this.#modes.title = 'A generated point is high quality when it lies within 3 standard deviations of its ' +
        'nearest mode; a mode is covered when at least one high-quality point is nearest to it.';
    }
    this.#divergences.textContent = `JSD ${fmt(jsd)} · KL(p_data‖p_g) ${fmt(klDataG)} · KL(p_g‖p_data) ${fmt(klGData)}`;
  }

  clear() {
    this.#modes.hidden = true;
    this.#divergences.textContent = '';
  }
}

// One decimal below 10 %, so a few good points do not read as none.
export function percent(fraction) {
  if (fraction == null) return '–';
  return `${(100 * fraction).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}

export function fmt(v) {
  return v != null && Number.isFinite(v) ? v.toFixed(3) : '–';
}
