// Diverging colour map for the discriminator's output D(x): purple where D calls points fake
// (D < 0.5), green where it calls them real (D > 0.5), near-white where it cannot tell.
// Extremes stay pale enough for the scatter points drawn on top to remain visible.

const FAKE = [142, 96, 196];
const UNSURE = [247, 247, 247];
const REAL = [64, 160, 104];
const STRENGTH = 0.8;

/** @returns {[number, number, number]} sRGB for D(x) = d (clamped to [0, 1]) */
export function dColor(d) {
  const t = Math.min(1, Math.max(0, Number.isFinite(d) ? d : 0.5));
  const [end, w] = t < 0.5 ? [FAKE, (0.5 - t) * 2] : [REAL, (t - 0.5) * 2];
  const [r, g, b] = UNSURE.map((c, i) => Math.round(c + (end[i] - c) * w * STRENGTH));
  return [r, g, b];
}

/** 256-entry RGBA lookup table (Uint8ClampedArray of 1024) for fast heatmap painting. */
export function dColorTable() {
  const table = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    table.set([...dColor(i / 255), 255], i * 4);
  }
  return table;
}

/** CSS gradient of the map from D = 0 (left) to D = 1 (right), for the legend. */
export function dGradientCss() {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${dColor(t).join(' ')}) ${t * 100}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/**
 * Gives every `[data-bg]` element under `root` its background through the CSSOM: a `style`
 * attribute in markup is inline style, which a strict Content-Security-Policy blocks.
 * @param {ParentNode} root
 */
export function applyBackgrounds(root) {
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-bg]'))) el.style.background = el.dataset.bg;
}
