// The data-space canvas: D(x) as a heatmap, real samples and the fixed-noise generated points on
// top, axes from the view's bounds. Equal x/y scale so shapes are not distorted; sharp on
// high-DPI screens.
import { dColorTable } from './colormap.js';

export const REAL_COLOR = '#0d5c3a';
export const FAKE_COLOR = '#6a2c91';

const MARGIN = { left: 40, right: 10, top: 10, bottom: 26 };
const POINT_RADIUS = 2.2;
const TABLE = dColorTable();

export class ScatterView {
  #canvas;
  #view = null;
  #heatCanvas = document.createElement('canvas');
  #observer;

  /** @param {HTMLCanvasElement} canvas sized by CSS; the backing store follows it */
  constructor(canvas) {
    this.#canvas = canvas;
    this.#observer = new ResizeObserver(() => this.#render());
    this.#observer.observe(canvas);
  }

  /** @returns {object|null} the last view drawn ({real, fake, heat, bounds}) */
  get lastView() {
    return this.#view;
  }

  /** @param {{real: Float32Array, fake: Float32Array, heat: Float32Array, bounds: Float32Array}} view */
  draw(view) {
    this.#view = view;
    this.#paintHeat(view.heat);
    this.#render();
  }

  clear() {
    this.#view = null;
    this.#render();
  }

  destroy() {
    this.#observer.disconnect();
  }

  #paintHeat(heat) {
    const res = Math.round(Math.sqrt(heat.length));
    const canvas = this.#heatCanvas;
    if (canvas.width !== res) canvas.width = canvas.height = res;
    if (res === 0) return;
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(res, res);
    for (let i = 0; i < res * res; i++) {
      const d = heat[i];
      const k = Number.isFinite(d) ? Math.round(Math.min(1, Math.max(0, d)) * 255) * 4 : 127 * 4;
      image.data.set(TABLE.subarray(k, k + 4), i * 4);
    }
    // Row 0 of heat is the top (largest y), which is also row 0 of an image.
    ctx.putImageData(image, 0, 0);
  }

  #render() {
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
    if (!this.#view) return;
    const map = layout(this.#view.bounds, cssW, cssH);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.#heatCanvas, map.left, map.top, map.width, map.height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(map.left, map.top, map.width, map.height);
    ctx.clip();
    drawPoints(ctx, this.#view.real, map, REAL_COLOR);
    drawPoints(ctx, this.#view.fake, map, FAKE_COLOR);
    ctx.restore();
    drawAxes(ctx, map);
  }
}

// Maps data coordinates to CSS pixels, centring the largest equal-scale plot area.
function layout(bounds, cssW, cssH) {
  const [xmin, xmax, ymin, ymax] = bounds;
  const availW = cssW - MARGIN.left - MARGIN.right;
  const availH = cssH - MARGIN.top - MARGIN.bottom;
  const scale = Math.max(0, Math.min(availW / (xmax - xmin), availH / (ymax - ymin)));
  const width = (xmax - xmin) * scale;
  const height = (ymax - ymin) * scale;
  const left = MARGIN.left + (availW - width) / 2;
  const top = MARGIN.top + (availH - height) / 2;
  return {
    left, top, width, height, xmin, xmax, ymin, ymax,
    x: (v) => left + (v - xmin) * scale,
    y: (v) => top + (ymax - v) * scale,
  };
}

function drawPoints(ctx, xy, map, color) {
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.8;
  ctx.beginPath();
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const px = map.x(xy[i]);
    const py = map.y(xy[i + 1]);
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    ctx.moveTo(px + POINT_RADIUS, py);
    ctx.arc(px, py, POINT_RADIUS, 0, 2 * Math.PI);
  }
  ctx.fill();
  ctx.globalAlpha = 1;
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
