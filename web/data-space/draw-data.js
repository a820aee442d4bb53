// User-drawn data: while "Draw data" is on, clicks and drags on the data-space plot add points in
// data coordinates, shown at once on a transparent canvas laid over the plot; "Use drawing"
// hands them to the element, which trains on them as dataset "drawn". From the keyboard the
// overlay takes focus: arrow keys move a cross-hair (Shift: larger steps), Enter or Space adds a
// point there, Backspace removes the last one.
import { layout } from './heat-canvas.js';

export const MAX_POINTS = 5000; // Rust's limit on data.points
export const EXTENT = 6; // drawn coordinates must lie in [−6, 6]
const MIN_GAP_PX = 4; // a drag adds a point every few pixels, not one per pointer event
const POINT_COLOR = '#d9480f';
const KEY_STEP = 0.1; // data units per arrow key press (×5 with Shift)

export class DataDrawing {
  #points = [];
  #active = false;
  #lastPx = null; // CSS-pixel position of the last point added in the current stroke
  /** @type {[number, number]} */
  #cursor = [0, 0]; // the keyboard cross-hair, in data coordinates
  #plot;
  #overlay;
  #getBounds;
  #toggle;
  #count;
  #clear;
  #use;

  /**
   * @param {HTMLElement} tools filled with the buttons and the point count
   * @param {HTMLCanvasElement} plot the data-space canvas; the overlay is placed over it
   * @param {{getBounds(): ArrayLike<number>|null|undefined, onUse(points: number[][]): void}} deps
   *   getBounds: [xlo, xhi, ylo, yhi] of the plot as last drawn; onUse: train on these points
   */
  constructor(tools, plot, { getBounds, onUse }) {
    this.#plot = plot;
    this.#getBounds = getBounds;
    tools.replaceChildren();
    this.#toggle = button(tools, 'Draw data', 'draw', () => this.setActive(!this.#active));
    this.#toggle.setAttribute('aria-pressed', 'false');
    this.#toggle.title = 'Click or drag on the plot to place data points';
    this.#clear = button(tools, 'Clear', 'clear-drawing', () => this.setPoints([]));
    this.#use = button(tools, 'Use drawing', 'use-drawing', () => onUse(this.points));
    this.#use.title = 'Train on the drawn points (a small Gaussian around each)';
    this.#count = tools.appendChild(document.createElement('span'));
    this.#count.className = 'draw-count';
    this.#count.setAttribute('aria-live', 'polite');

    this.#overlay = document.createElement('canvas');
    this.#overlay.className = 'draw-overlay';
    this.#overlay.hidden = true;
    this.#overlay.tabIndex = 0;
    this.#overlay.setAttribute('role', 'application');
    this.#overlay.setAttribute('aria-roledescription', 'drawing surface');
    this.#overlay.setAttribute(
      'aria-label',
      'Data drawing: click or drag to add points; or arrow keys move the cross-hair, Enter adds a point, Backspace removes the last',
    );
    // After the tools, so Tab goes from "Draw data" to the surface; it is laid over the plot.
    tools.after(this.#overlay);
    new ResizeObserver(() => this.#render()).observe(plot);
    this.#overlay.addEventListener('pointerdown', (e) => this.#pointerDown(e));
    this.#overlay.addEventListener('pointermove', (e) => this.#pointerMove(e));
    const end = () => (this.#lastPx = null);
    this.#overlay.addEventListener('pointerup', end);
    this.#overlay.addEventListener('pointercancel', end);
    this.#overlay.addEventListener('keydown', (e) => this.#key(e));
    this.#overlay.addEventListener('focus', () => this.#render());
    this.#overlay.addEventListener('blur', () => this.#render());
    this.#showCount();
  }

  /** @returns {number[][]} a copy of the drawn points, [x, y] in data coordinates */
  get points() {
    return this.#points.map((p) => [...p]);
  }

  /** Replaces the drawing (not checked here: Rust validates when it is used). */
  setPoints(points) {
    this.#points = points.map((p) => [Number(p[0]), Number(p[1])]);
    this.#showCount();
    this.#render();
  }

  /** Turns drawing mode on or off; while on, the overlay takes the plot's pointer input. */
  setActive(active) {
    this.#active = active;
    this.#toggle.setAttribute('aria-pressed', String(active));
    this.#toggle.classList.toggle('active', active);
    this.#overlay.hidden = !active;
    this.#render();
  }

  /** Redraws the points (call when the plot's bounds may have changed). */
  refresh() {
    if (this.#active) this.#render();
  }

  #pointerDown(event) {
    this.#overlay.setPointerCapture(event.pointerId);
    this.#lastPx = null;
    this.#add(event);
  }

  #pointerMove(event) {
    if (this.#lastPx && event.buttons) this.#add(event);
  }

  #add(event) {
    const rect = this.#overlay.getBoundingClientRect();
    const px = /** @type {[number, number]} */ ([event.clientX - rect.left, event.clientY - rect.top]);
    if (this.#lastPx && Math.hypot(px[0] - this.#lastPx[0], px[1] - this.#lastPx[1]) < MIN_GAP_PX) return;
    const area = plotArea(this.#bounds(), rect.width, rect.height);
    if (this.#points.length >= MAX_POINTS || !area.contains(px)) return;
    this.#lastPx = px;
    this.#points.push(area.toData(px).map((v) => Math.round(clamp(v, -EXTENT, EXTENT) * 1000) / 1000));
    this.#showCount();
    this.#render();
  }

  #key(event) {
    const step = KEY_STEP * (event.shiftKey ? 5 : 1);
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[event.key]) {
      const [x0, x1, y0, y1] = this.#bounds();
      const [dx, dy] = moves[event.key];
      this.#cursor = [clamp(this.#cursor[0] + dx, Math.max(x0, -EXTENT), Math.min(x1, EXTENT)), clamp(this.#cursor[1] + dy, Math.max(y0, -EXTENT), Math.min(y1, EXTENT))];
    } else if (event.key === 'Enter' || event.key === ' ') {
      if (this.#points.length < MAX_POINTS) this.#points.push(this.#cursor.map((v) => Math.round(v * 1000) / 1000));
      this.#showCount();
    } else if (event.key === 'Backspace' || event.key === 'Delete') {
      this.#points.pop();
      this.#showCount();
    } else {
      return;
    }
    event.preventDefault();
    this.#render();
  }

  #bounds() {
    const b = this.#getBounds();
    return b && b.length === 4 ? Array.from(b) : [-EXTENT, EXTENT, -EXTENT, EXTENT];
  }

  #showCount() {
    const n = this.#points.length;
    this.#count.textContent = `${n.toLocaleString('en-US')} point${n === 1 ? '' : 's'}${n >= MAX_POINTS ? ' (the maximum)' : ''}`;
    this.#use.disabled = n === 0;
    this.#clear.disabled = n === 0;
  }

  #render() {
    const overlay = this.#overlay;
    if (overlay.hidden) return;
    const plot = this.#plot;
    Object.assign(overlay.style, {
      left: `${plot.offsetLeft}px`,
      top: `${plot.offsetTop}px`,
      width: `${plot.offsetWidth}px`,
      height: `${plot.offsetHeight}px`,
    });
    const dpr = window.devicePixelRatio || 1;
    const [w, h] = [plot.clientWidth, plot.clientHeight];
    overlay.width = Math.round(w * dpr);
    overlay.height = Math.round(h * dpr);
    const ctx = overlay.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const area = plotArea(this.#bounds(), w, h);
    ctx.strokeStyle = POINT_COLOR;
    ctx.setLineDash([4, 3]);
    ctx.strokeRect(area.left + 0.5, area.top + 0.5, area.width - 1, area.height - 1);
    ctx.fillStyle = POINT_COLOR;
    ctx.beginPath();
    for (const p of this.#points) {
      const [x, y] = area.toPixel(p);
      ctx.moveTo(x + 3, y);
      ctx.arc(x, y, 3, 0, 2 * Math.PI);
    }
    ctx.fill();
    if (this.#overlay.matches(':focus-visible')) {
      // The keyboard cross-hair.
      const [x, y] = area.toPixel(this.#cursor);
      ctx.setLineDash([]);
      ctx.strokeStyle = POINT_COLOR;
      ctx.beginPath();
      ctx.moveTo(x - 8, y);
      ctx.lineTo(x + 8, y);
      ctx.moveTo(x, y - 8);
      ctx.lineTo(x, y + 8);
      ctx.stroke();
    }
  }
}

/**
 * The plot rectangle of a `width` × `height` CSS-pixel canvas showing `bounds`, and the maps
 * between its pixels and data coordinates (pixel row 0 is the top: the largest y).
 */
export function plotArea(bounds, width, height) {
  // The plot's own layout, so a click lands where the plot draws that point.
  const { left, top, width: w, height: h, xmin, ymax, scale } = layout(bounds, width, height);
  return {
    left, top, width: w, height: h,
    contains: ([px, py]) => px >= left && px <= left + w && py >= top && py <= top + h,
    toData: ([px, py]) => [xmin + (px - left) / scale, ymax - (py - top) / scale],
    toPixel: ([x, y]) => [left + (x - xmin) * scale, top + (ymax - y) * scale],
  };
}

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}

function button(container, text, name, onClick) {
  const el = container.appendChild(document.createElement('button'));
  Object.assign(el, { type: 'button', textContent: text, name });
  el.addEventListener('click', onClick);
  return el;
}
