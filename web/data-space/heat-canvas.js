// A canvas showing a res×res grid of values over the data plane with the D colour map, axes from
// the bounds, and optional overlays drawn on top (clipped to the plot area). Equal x/y scale so
// shapes are not distorted; sharp on high-DPI screens. Used by the data-space view and D*.
import { dColorTable } from './colormap.js';

const MARGIN = { left: 40, right: 10, top: 10, bottom: 26 };
const TABLE = dColorTable();

export class HeatCanvas {
  #canvas;
  #bounds = null;
  #image = document.createElement('canvas');
  #overlays;
  #observer;

  /**
   * @param {HTMLCanvasElement} canvas sized by CSS; the backing store follows it
   * @param {(ctx: CanvasRenderingContext2D, map: object) => void} [overlays] draws on top, in
   *   CSS pixels; map.x(v) / map.y(v) turn data coordinates into pixels
   */
  constructor(canvas, overlays = () => {}) {
    this.#canvas = canvas;
    this.#overlays = overlays;
    this.#observer = new ResizeObserver(() => this.render());
    this.#observer.observe(canvas);
  }

  /**
   * @param {Float32Array} grid res*res values, row 0 at the top (largest y), column 0 at the smallest x
   * @param {Float32Array} bounds [xlo, xhi, ylo, yhi]
   * @param {'probability'|'critic'} kind probability: [0, 1] as is; critic: unbounded scores,
   *   coloured symmetrically around 0 by the largest |score| (returned)
   * @returns {number} the largest |value| (the critic's colour scale), 1 for probabilities
   */
  setGrid(grid, bounds, kind = 'probability') {
    this.#bounds = bounds;
    const scale = kind === 'critic' ? maxAbs(grid) : 1;
    this.#paint(grid, kind === 'critic' ? (v) => 0.5 + (0.5 * v) / scale : (v) => v);
    this.render();
    return scale;
  }

  clear() {
    this.#bounds = null;
    this.render();
  }

  destroy() {
    this.#observer.disconnect();
  }

  /** Redraws from the stored grid (and the overlays' current state). */
  render() {
    const canvas = this.#canvas;
    const dpr = window.devicePixelRatio || 1;
    const cssW = canvas.clientWidth;
    const cssH = canvas.clientHeight;
    if (cssW === 0 || cssH === 0) return;
    const w = Math.round(cssW * dpr);
    const h = Math.round(cssH * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    if (!this.#bounds) return;
    const map = layout(this.#bounds, cssW, cssH);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.#image, map.left, map.top, map.width, map.height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(map.left, map.top, map.width, map.height);
    ctx.clip();
    this.#overlays(ctx, map);
    ctx.restore();
    drawAxes(ctx, map);
  }

  // toFraction maps a value to [0, 1] of the colour map (NaN shows as "cannot tell").
  #paint(grid, toFraction) {
    const res = Math.round(Math.sqrt(grid.length));
    const canvas = this.#image;
    if (canvas.width !== res) canvas.width = canvas.height = res;
    if (res === 0) return;
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(res, res);
    for (let i = 0; i < res * res; i++) {
      const t = toFraction(grid[i]);
      const k = Number.isFinite(t) ? Math.round(Math.min(1, Math.max(0, t)) * 255) * 4 : 127 * 4;
      image.data.set(TABLE.subarray(k, k + 4), i * 4);
    }
    // Row 0 of the grid is the top (largest y), which is also row 0 of an image.
    ctx.putImageData(image, 0, 0);
  }
}

function maxAbs(values) {
  let m = 0;
  for (const v of values) if (Math.abs(v) > m) m = Math.abs(v);
  return m > 0 ? m : 1;
}

// Maps data coordinates to CSS pixels, centring the largest equal-scale plot area (also used by
// draw-data.js to map clicks back to data coordinates).
export function layout(bounds, cssW, cssH) {
  const [xmin, xmax, ymin, ymax] = bounds;
  const availW = cssW - MARGIN.left - MARGIN.right;
  const availH = cssH - MARGIN.top - MARGIN.bottom;
  const scale = Math.max(0, Math.min(availW / (xmax - xmin), availH / (ymax - ymin)));
  const width = (xmax - xmin) * scale;
  const height = (ymax - ymin) * scale;
  const left = MARGIN.left + (availW - width) / 2;
  const top = MARGIN.top + (availH - height) / 2;
  return {
    left, top, width, height, xmin, xmax, ymin, ymax, scale,
    x: (v) => left + (v - xmin) * scale,
    y: (v) => top + (ymax - v) * scale,
  };
}

function drawAxes(ctx, map) {
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1;
  ctx.strokeRect(map.left + 0.5, map.top + 0.5, map.width - 1, map.height - 1);
  ctx.fillStyle = '#444';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of ticks(map.xmin, map.xmax)) {
    const px = Math.round(map.x(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, map.top + map.height);
    ctx.lineTo(px, map.top + map.height + 4);
    ctx.stroke();
    ctx.fillText(label(v), px, map.top + map.height + 6);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of ticks(map.ymin, map.ymax)) {
    const py = Math.round(map.y(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(map.left - 4, py);
    ctx.lineTo(map.left, py);
    ctx.stroke();
    ctx.fillText(label(v), map.left - 6, py);
  }
}

// About five round-numbered ticks (1, 2 or 5 × 10^k apart) inside [lo, hi].
function ticks(lo, hi) {
  if (!(hi > lo)) return [];
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function label(v) {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}
