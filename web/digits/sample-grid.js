// An 8×8 grid of digits on one canvas: the generator's 64 fixed-noise samples, or 64 real
// digits. A pickable grid lets the user choose samples (click, or arrow keys and Enter) and
// shows the chosen ones with labelled outlines (A and B of the interpolation).
import { SIDE, drawDigits } from './digit-canvas.js';

const COLS = 8;
const ROWS = 8;
const CURSOR_COLOR = '#2f6fb0';

export class SampleGrid {
  #canvas;
  #pixels = null;
  #marks = []; // {index, label, color}
  #cursor = -1; // keyboard position; -1 until the grid is focused
  #focused = false;
  #onPick;

  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{label: string, onPick?: (index: number) => void}} options label: the canvas's
   *   accessible name; onPick: makes the grid pickable
   */
  constructor(canvas, { label, onPick = null }) {
    this.#canvas = canvas;
    this.#onPick = onPick;
    // A pickable grid takes arrow keys and Enter itself.
    canvas.setAttribute('role', onPick ? 'application' : 'img');
    canvas.setAttribute('aria-label', label);
    if (onPick) this.#listen();
    this.#render();
  }

  /** @returns {number} how many digits the grid holds */
  get count() {
    return COLS * ROWS;
  }

  /** @param {Uint8Array} pixels 64 · 784 bytes */
  draw(pixels) {
    this.#pixels = pixels;
    this.#render();
  }

  /** @param {{index: number, label: string, color: string}[]} marks outlined samples */
  setMarks(marks) {
    this.#marks = marks;
    this.#render();
  }

  #render() {
    const scale = drawDigits(this.#canvas, this.#pixels, { cols: COLS, rows: ROWS });
    const ctx = this.#canvas.getContext('2d');
    const cell = SIDE * scale;
    const line = Math.max(2, scale);
    ctx.font = `bold ${Math.max(10, 4 * scale)}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    for (const { index, label, color } of this.#marks) {
      const [x, y] = [(index % COLS) * cell, Math.floor(index / COLS) * cell];
      ctx.strokeStyle = color;
      ctx.lineWidth = line;
      ctx.strokeRect(x + line / 2, y + line / 2, cell - line, cell - line);
      ctx.fillStyle = color;
      ctx.fillText(label, x + 2 * line, y + 2 * line);
    }
    if (this.#focused && this.#cursor >= 0) {
      ctx.setLineDash([line * 2, line * 2]);
      ctx.strokeStyle = CURSOR_COLOR;
      ctx.lineWidth = line;
      const [x, y] = [(this.#cursor % COLS) * cell, Math.floor(this.#cursor / COLS) * cell];
      ctx.strokeRect(x + line * 1.5, y + line * 1.5, cell - 3 * line, cell - 3 * line);
      ctx.setLineDash([]);
    }
  }

  #listen() {
    const canvas = this.#canvas;
    canvas.tabIndex = 0;
    canvas.style.cursor = 'pointer';
    canvas.addEventListener('click', (event) => {
      const rect = canvas.getBoundingClientRect();
      const col = Math.floor(((event.clientX - rect.left) / rect.width) * COLS);
      const row = Math.floor(((event.clientY - rect.top) / rect.height) * ROWS);
      if (col < 0 || col >= COLS || row < 0 || row >= ROWS) return;
      this.#cursor = row * COLS + col;
      this.#onPick(this.#cursor);
    });
    canvas.addEventListener('focus', () => {
      this.#focused = true;
      if (this.#cursor < 0) this.#cursor = 0;
      this.#render();
    });
    canvas.addEventListener('blur', () => {
      this.#focused = false;
      this.#render();
    });
    canvas.addEventListener('keydown', (event) => {
      const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -COLS, ArrowDown: COLS };
      if (event.key in moves) {
        this.#cursor = Math.min(COLS * ROWS - 1, Math.max(0, this.#cursor + moves[event.key]));
        this.#render();
      } else if (event.key === 'Enter' || event.key === ' ') {
        this.#onPick(this.#cursor);
      } else return;
      event.preventDefault();
    });
  }
}
