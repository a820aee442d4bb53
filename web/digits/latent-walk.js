// The latent walk: a 2-D pad (drag, or arrow keys) moving one sample's noise along two fixed
// random directions of z by (u, v) ∈ [−3, 3]², with the resulting digit shown large beside it.
// Which calls reach the model is the caller's business (it keeps one in flight).
import { drawDigits } from './digit-canvas.js';

export const RANGE = 3;
const KEY_STEP = 0.25;
const PAD_PX = 150;

export class LatentWalk {
  #pad;
  #digit;
  #readout;
  #u = 0;
  #v = 0;
  #from = 'sample A';
  #pixels = null;
  #onMove;

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {(u: number, v: number) => void} onMove called on every move of the pad's point
   */
  constructor(container, onMove) {
    this.#onMove = onMove;
    container.replaceChildren();
    container.appendChild(document.createElement('h2')).textContent = 'Latent walk';
    const row = container.appendChild(document.createElement('div'));
    row.className = 'walk-row';
    this.#pad = row.appendChild(document.createElement('canvas'));
    Object.assign(this.#pad, { width: PAD_PX, height: PAD_PX, tabIndex: 0 });
    this.#pad.dataset.digits = 'walk-pad';
    // No ARIA role is a 2-D slider: an application with its keys in the label, and a live readout.
    this.#pad.setAttribute('role', 'application');
    this.#pad.setAttribute('aria-roledescription', 'latent walk pad');
    this.#pad.setAttribute('aria-label', 'Latent walk: arrow keys move u (left, right) and v (up, down), Shift for big steps, Home back to 0');
    this.#digit = row.appendChild(document.createElement('canvas'));
    this.#digit.dataset.digits = 'walk-digit';
    this.#digit.setAttribute('role', 'img');
    this.#digit.setAttribute('aria-label', 'The generated digit at the pad position');
    this.#readout = container.appendChild(document.createElement('p'));
    this.#readout.className = 'caption';
    this.#readout.setAttribute('aria-live', 'polite');
    this.#listen();
    this.#drawPad();
    drawDigits(this.#digit, null, { cols: 1, rows: 1 });
  }

  /** @returns {{u: number, v: number}} the pad position */
  get position() {
    return { u: this.#u, v: this.#v };
  }

  /** @param {Uint8Array} pixels one digit, 784 bytes */
  draw(pixels) {
    this.#pixels = pixels;
    drawDigits(this.#digit, pixels, { cols: 1, rows: 1 });
  }

  /** @returns {Uint8Array|null} the digit drawn last (a test hook) */
  get pixels() {
    return this.#pixels;
  }

  /** Moves the point (clamped to the pad) and reports the move. */
  moveTo(u, v) {
    const clamp = (x) => Math.round(Math.min(RANGE, Math.max(-RANGE, x)) * 100) / 100;
    this.#u = clamp(u);
    this.#v = clamp(v);
    this.#drawPad();
    this.#onMove(this.#u, this.#v);
  }

  /** @param {string} from which sample the walk starts from, e.g. "sample A (#1)" */
  describe(from) {
    this.#from = from;
    this.#drawPad();
  }

  #drawPad() {
    const text = `z of ${this.#from} + u·d₁ + v·d₂ with u = ${sign(this.#u)}, v = ${sign(this.#v)}`;
    this.#readout.textContent = text;
    const ctx = this.#pad.getContext('2d');
    const s = PAD_PX;
    ctx.fillStyle = '#f4f6f9';
    ctx.fillRect(0, 0, s, s);
    ctx.strokeStyle = '#c5cad2';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(s / 2, 0);
    ctx.lineTo(s / 2, s);
    ctx.moveTo(0, s / 2);
    ctx.lineTo(s, s / 2);
    ctx.stroke();
    const [x, y] = [((this.#u + RANGE) / (2 * RANGE)) * s, ((RANGE - this.#v) / (2 * RANGE)) * s];
    ctx.fillStyle = '#2f6fb0';
    ctx.beginPath();
    ctx.arc(x, y, 6, 0, 2 * Math.PI);
    ctx.fill();
  }

  #listen() {
    const pad = this.#pad;
    const fromPointer = (event) => {
      const rect = pad.getBoundingClientRect();
      const u = ((event.clientX - rect.left) / rect.width) * 2 * RANGE - RANGE;
      const v = RANGE - ((event.clientY - rect.top) / rect.height) * 2 * RANGE;
      this.moveTo(u, v);
    };
    pad.addEventListener('pointerdown', (event) => {
      pad.setPointerCapture(event.pointerId);
      fromPointer(event);
    });
    pad.addEventListener('pointermove', (event) => {
      if (pad.hasPointerCapture(event.pointerId)) fromPointer(event);
    });
    pad.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? 1 : KEY_STEP;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (event.key === 'Home') this.moveTo(0, 0);
      else if (event.key in moves) this.moveTo(this.#u + moves[event.key][0], this.#v + moves[event.key][1]);
      else return;
      event.preventDefault();
    });
  }
}

function sign(x) {
  return `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(2)}`;
}
