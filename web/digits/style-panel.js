// StyleGAN's own views (shown only when G is StyleGAN-lite): the style-mixing grid as in the
// paper's figure (source A digits down the left, source B across the top, each cell A with B's
// coarse, middle or fine styles), the truncation ψ slider, and interpolation in w beside the
// one in z, with how evenly each path moves (a pixel-space stand-in for perceptual path length).
import { SIDE, drawDigits } from './digit-canvas.js';

/** Grid samples used as sources: A down the left, B across the top. */
export const ROWS = [0, 1, 2, 3];
export const COLS = [4, 5, 6, 7, 8];
const SLOTS = [
  { value: 'coarse', text: 'coarse styles (7×7): pose, thickness' },
  { value: 'middle', text: 'middle styles (14×14): stroke shape' },
  { value: 'fine', text: 'fine styles (28×28): edges, texture' },
];
const PIXELS = SIDE * SIDE;

export class StylePanel {
  #root;
  #slots;
  #psi;
  #psiOut;
  #grid;
  #wStrip;
  #paths;
  #onChange;
  #pixels = null;
  #wPixels = null;
  #zPixels = null;

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {{mix(): void, truncate(psi: number): void}} onChange mix: the slot choice changed;
   *   truncate: the user moved ψ
   */
  constructor(container, onChange) {
    this.#root = container;
    this.#onChange = onChange;
    container.replaceChildren();
    container.hidden = true;
    container.appendChild(document.createElement('h2')).textContent = 'Style mixing (StyleGAN)';
    const hint = container.appendChild(document.createElement('p'));
    hint.className = 'caption';
    hint.textContent = 'Left column: source A; top row: source B. Each cell is A with some of B’s styles.';

    const controls = container.appendChild(document.createElement('div'));
    controls.className = 'style-controls';
    const slotLabel = controls.appendChild(document.createElement('label'));
    slotLabel.textContent = 'From B: ';
    this.#slots = slotLabel.appendChild(document.createElement('select'));
    this.#slots.name = 'style-slots';
    for (const { value, text } of SLOTS) this.#slots.add(new Option(text, value));
    this.#slots.addEventListener('change', () => this.#onChange.mix());

    const psiLabel = controls.appendChild(document.createElement('label'));
    psiLabel.textContent = 'Truncation ψ ';
    this.#psi = psiLabel.appendChild(document.createElement('input'));
    Object.assign(this.#psi, { type: 'range', name: 'truncation', min: '0', max: '1', step: '0.05', value: '1' });
    this.#psiOut = psiLabel.appendChild(document.createElement('output'));
    this.#psiOut.textContent = '1.00';
    this.#psi.addEventListener('input', () => {
      this.#psiOut.textContent = Number(this.#psi.value).toFixed(2);
      this.#onChange.truncate(Number(this.#psi.value));
    });

    this.#grid = container.appendChild(document.createElement('canvas'));
    this.#grid.dataset.digits = 'style-mix';
    this.#grid.setAttribute('role', 'img');
    this.#describeGrid();

    const wTitle = container.appendChild(document.createElement('h3'));
    wTitle.textContent = 'Interpolation in w (same A and B as in z above)';
    this.#wStrip = container.appendChild(document.createElement('canvas'));
    this.#wStrip.dataset.digits = 'interpolation-w';
    this.#wStrip.setAttribute('role', 'img');
    this.#wStrip.setAttribute('aria-label', 'Generated digits morphing from sample A to B along a straight line in w');
    this.#paths = container.appendChild(document.createElement('p'));
    this.#paths.className = 'caption';
    this.#paths.dataset.digits = 'path-lengths';
  }

  /** Shows or hides the panel (StyleGAN runs only) and sets ψ to the run's. */
  setVisible(visible, psi = 1) {
    this.#root.hidden = !visible;
    if (visible && Number(this.#psi.value) !== psi) {
      this.#psi.value = String(psi);
      this.#psiOut.textContent = psi.toFixed(2);
    }
  }

  /** @returns {string} the slots B gives, for styleMix() */
  get slots() {
    return this.#slots.value;
  }

  /** @param {Uint8Array} pixels (R + C + R·C)·784 bytes from styleMix(ROWS, COLS, slots) */
  drawMix(pixels) {
    this.#pixels = pixels;
    const [r, c] = [ROWS.length, COLS.length];
    // The figure's layout: a blank corner, B across the top, then each row: A and its mixes.
    const cells = new Uint8Array((r + 1) * (c + 1) * PIXELS);
    const put = (cell, source) => cells.set(pixels.subarray(source * PIXELS, (source + 1) * PIXELS), cell * PIXELS);
    for (let j = 0; j < c; j++) put(1 + j, r + j);
    for (let i = 0; i < r; i++) {
      put((i + 1) * (c + 1), i);
      for (let j = 0; j < c; j++) put((i + 1) * (c + 1) + 1 + j, r + c + i * c + j);
    }
    drawDigits(this.#grid, cells, { cols: c + 1, rows: r + 1 });
    this.#describeGrid();
  }

  /** @param {Uint8Array} z the z-interpolation strip's pixels @param {Uint8Array} w the w strip's */
  drawInterpolations(z, w) {
    this.#zPixels = z;
    this.#wPixels = w;
    const steps = w.length / PIXELS;
    drawDigits(this.#wStrip, w, { cols: steps, rows: 1 });
    const [pz, pw] = [pathLength(z), pathLength(w)];
    this.#paths.textContent =
      `Path length in pixels: z ${pz.total.toFixed(2)} (largest step ${(100 * pz.largest).toFixed(0)} % of it), ` +
      `w ${pw.total.toFixed(2)} (largest step ${(100 * pw.largest).toFixed(0)} %). ` +
      'StyleGAN’s claim: w is less entangled, so its paths are shorter and more even.';
  }

  /** Test hooks. */
  get debug() {
    return {
      visible: !this.#root.hidden,
      slots: this.slots,
      psi: Number(this.#psi.value),
      mix: this.#pixels,
      w: this.#wPixels,
      paths: this.#wPixels && this.#zPixels ? { z: pathLength(this.#zPixels), w: pathLength(this.#wPixels) } : null,
    };
  }

  #describeGrid() {
    const chosen = SLOTS.find((s) => s.value === this.#slots.value)?.text ?? '';
    this.#grid.setAttribute(
      'aria-label',
      `Style mixing: ${ROWS.length} source A digits by ${COLS.length} source B digits; each cell takes B's ${chosen}`,
    );
  }
}

/**
 * The distance travelled by a strip of digits in pixel space (each pixel in [0, 1], summed
 * Euclidean steps between neighbours) and the largest step as a share of it (1/(n−1) = even).
 * @param {Uint8Array} pixels n·784 bytes
 */
export function pathLength(pixels) {
  const n = pixels.length / PIXELS;
  const steps = [];
  for (let k = 1; k < n; k++) {
    let sum = 0;
    for (let p = 0; p < PIXELS; p++) {
      const d = (pixels[k * PIXELS + p] - pixels[(k - 1) * PIXELS + p]) / 255;
      sum += d * d;
    }
    steps.push(Math.sqrt(sum));
  }
  const total = steps.reduce((a, b) => a + b, 0);
  return { total, largest: total > 0 ? Math.max(...steps) / total : 0 };
}
