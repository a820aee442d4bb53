// A row of digits along the straight line in noise space from sample A to sample B: a smooth
// morph means G has learned a continuous map, not a lookup table of training digits.
import { drawDigits } from './digit-canvas.js';

export const STEPS = 10;

export class InterpolationStrip {
  #canvas;
  #caption;
  #pixels = null;

  /** @param {HTMLElement} container emptied and filled */
  constructor(container) {
    container.replaceChildren();
    container.appendChild(document.createElement('h2')).textContent = 'Interpolation';
    this.#canvas = container.appendChild(document.createElement('canvas'));
    this.#canvas.dataset.digits = 'interpolation';
    this.#canvas.setAttribute('role', 'img');
    this.#caption = container.appendChild(document.createElement('p'));
    this.#caption.className = 'caption';
    this.#caption.setAttribute('aria-live', 'polite'); // says which samples a pick on the grid chose
    this.show(0, 1);
  }

  /** Names the endpoints (grid indices of A and B). */
  show(a, b) {
    const text = `G along the line from sample A (#${a + 1}) to sample B (#${b + 1}): in z, and in the class label for a conditional G with no digit picked. Click two generated digits to choose them.`;
    this.#caption.textContent = text;
    this.#canvas.setAttribute('aria-label', `${STEPS} generated digits morphing from sample ${a + 1} to sample ${b + 1}`);
  }

  /** @param {Uint8Array} pixels STEPS · 784 bytes */
  draw(pixels) {
    this.#pixels = pixels;
    drawDigits(this.#canvas, pixels, { cols: STEPS, rows: 1 });
  }

  /** @returns {Uint8Array|null} the digits drawn last (a test hook) */
  get pixels() {
    return this.#pixels;
  }
}
