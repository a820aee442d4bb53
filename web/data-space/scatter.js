// The data-space canvas: D(x) (or the critic's score) as a heatmap, real samples and the
// fixed-noise generated points on top, and two optional overlays: the gradient arrows −∂L_G/∂x
// at each generated point, and the generator's manifold (G over a grid of noise values).
// A CycleGAN view (view.kind 'cycle') is drawn in one direction at a time: X → Y shows D_Y's map,
// the points of Y, the points x of X, their translations G(x) with a line from each x, and the
// round trips F(G(x)); Y → X the same with F, D_X and the roles swapped.
import { HeatCanvas } from './heat-canvas.js';

export const REAL_COLOR = '#0d5c3a';
export const FAKE_COLOR = '#6a2c91';
export const SOURCE_COLOR = '#1f5fa8';
export const ROUND_TRIP_COLOR = '#c77800';
const ARROW_COLOR = '#b3261e';
const LINK_COLOR = 'rgba(40, 40, 40, 0.35)';
const MESH_COLOR = 'rgba(60, 20, 90, 0.55)';

const POINT_RADIUS = 2.2;
const ROUND_TRIP_RADIUS = 1.4;
// The first view of a run sets the arrow scale: its mean arrow is this fraction of the plot width.
const ARROW_MEAN_FRACTION = 0.04;
// Arrows are capped at this fraction of the plot width so an exploding gradient stays readable.
const ARROW_MAX_FRACTION = 0.12;

export class ScatterView {
  #heat;
  #view = null;
  #overlays = { arrows: true, mesh: false, links: true, roundTrip: true };
  /** @type {'xy'|'yx'} which direction of a CycleGAN view is drawn */
  #direction = 'xy';
  #arrowScale = null; // data units per unit of gradient, fixed per run
  #meanArrow = NaN;
  #criticScale = 1;
  #drawn = { arrows: 0, meshSegments: 0, links: 0, roundTrips: 0 };

  /** @param {HTMLCanvasElement} canvas sized by CSS; the backing store follows it */
  constructor(canvas) {
    this.#heat = new HeatCanvas(canvas, (ctx, map) => this.#drawOverlays(ctx, map));
  }

  /** @returns {object|null} the last view drawn */
  get lastView() {
    return this.#view;
  }

  /** Mean ‖−∂L_G/∂x‖ over the generated points of the last view (NaN before the first). */
  get meanArrowLength() {
    return this.#meanArrow;
  }

  /** Largest |critic score| of the last view: the ends of the colour scale (1 for D(x)). */
  get heatScale() {
    return this.#criticScale;
  }

  /** What the last render drew: arrow count and mesh line segments (a test hook). */
  get drawn() {
    return { ...this.#drawn };
  }

  /** @returns {'xy'|'yx'} the direction of a CycleGAN view drawn: X → Y (G, D_Y) or Y → X (F, D_X) */
  get direction() {
    return this.#direction;
  }

  /** Draws a CycleGAN view in `direction` ('xy' or 'yx') from now on. */
  setDirection(direction) {
    if (direction !== 'xy' && direction !== 'yx') throw new Error(`Unknown direction "${direction}"`);
    this.#direction = direction;
    if (this.#view?.kind === 'cycle') this.draw(this.#view);
  }

  /** @returns {{arrows: boolean, mesh: boolean, links: boolean, roundTrip: boolean}} which overlays are shown */
  get overlays() {
    return { ...this.#overlays };
  }

  /** Shows or hides an overlay ('arrows', 'mesh'; a CycleGAN view's 'links', 'roundTrip') and redraws. */
  setOverlay(name, on) {
    if (!(name in this.#overlays)) throw new Error(`Unknown overlay "${name}"`);
    this.#overlays[name] = Boolean(on);
    this.#heat.render();
  }

  /**
   * @param {object} view a Playground.view() result
   * @param {{newRun?: boolean}} [info] newRun: the first view of a run; it fixes the arrow scale
   */
  draw(view, { newRun = false } = {}) {
    this.#view = view;
    if (view.kind === 'cycle') {
      this.#meanArrow = NaN;
      const heat = this.#direction === 'xy' ? view.heat : view.heatSource;
      this.#criticScale = this.#heat.setGrid(heat, view.bounds, view.heatKind);
      return;
    }
    this.#meanArrow = meanLength(view.arrows);
    if (newRun) this.#arrowScale = null;
    // A run whose first arrows are all zero gets its scale from the first non-zero ones.
    if (this.#arrowScale === null && this.#meanArrow > 0) {
      const [xlo, xhi] = view.bounds;
      this.#arrowScale = (ARROW_MEAN_FRACTION * (xhi - xlo)) / this.#meanArrow;
    }
    this.#criticScale = this.#heat.setGrid(view.heat, view.bounds, view.heatKind);
  }

  clear() {
    this.#view = null;
    this.#heat.clear();
  }

  destroy() {
    this.#heat.destroy();
  }

  #drawOverlays(ctx, map) {
    const view = this.#view;
    this.#drawn = { arrows: 0, meshSegments: 0, links: 0, roundTrips: 0 };
    if (!view) return;
    if (view.kind === 'cycle') {
      this.#drawTranslation(ctx, view, map);
      return;
    }
    if (this.#overlays.mesh && view.mesh) this.#drawn.meshSegments = drawMesh(ctx, view, map);
    drawPoints(ctx, view.real, map, REAL_COLOR);
    drawPoints(ctx, view.fake, map, FAKE_COLOR);
    if (this.#overlays.arrows && view.arrows && this.#arrowScale) {
      this.#drawn.arrows = drawArrows(ctx, view.fake, view.arrows, map, this.#arrowScale);
    }
  }

  // One direction of a CycleGAN view: the target domain's points, the source points, a line from
  // each to its translation, the translations, and the round trips back.
  #drawTranslation(ctx, view, map) {
    const xy = this.#direction === 'xy';
    const source = xy ? view.source : view.real;
    const target = xy ? view.real : view.source;
    const moved = xy ? view.translated : view.translatedBack;
    const back = xy ? view.roundTrip : view.roundTripBack;
    drawPoints(ctx, target, map, REAL_COLOR);
    drawPoints(ctx, source, map, SOURCE_COLOR);
    if (this.#overlays.links) this.#drawn.links = drawLinks(ctx, source, moved, map);
    drawPoints(ctx, moved, map, FAKE_COLOR);
    if (this.#overlays.roundTrip && back) {
      drawPoints(ctx, back, map, ROUND_TRIP_COLOR, ROUND_TRIP_RADIUS);
      this.#drawn.roundTrips = back.length / 2;
    }
  }
}

// A faint line from each point of `from` to the point of `to` with the same index.
function drawLinks(ctx, from, to, map) {
  let drawn = 0;
  ctx.strokeStyle = LINK_COLOR;
  ctx.lineWidth = 0.7;
  ctx.beginPath();
  for (let i = 0; i + 1 < Math.min(from.length, to.length); i += 2) {
    const [x0, y0, x1, y1] = [map.x(from[i]), map.y(from[i + 1]), map.x(to[i]), map.y(to[i + 1])];
    if (![x0, y0, x1, y1].every(Number.isFinite)) continue;
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    drawn++;
  }
  ctx.stroke();
  return drawn;
}

function meanLength(xy) {
  if (!xy?.length) return NaN;
  let sum = 0;
  let n = 0;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const len = Math.hypot(xy[i], xy[i + 1]);
    if (Number.isFinite(len)) {
      sum += len;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

function drawPoints(ctx, xy, map, color, radius = POINT_RADIUS) {
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.8;
  ctx.beginPath();
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const px = map.x(xy[i]);
    const py = map.y(xy[i + 1]);
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    ctx.moveTo(px + radius, py);
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
  }
  ctx.fill();
  ctx.globalAlpha = 1;
}

// One arrow per generated point, from the point along −∂L_G/∂x × scale (data units).
function drawArrows(ctx, points, arrows, map, scale) {
  const maxPx = ARROW_MAX_FRACTION * map.width;
  let drawn = 0;
  ctx.strokeStyle = ARROW_COLOR;
  ctx.lineWidth = 0.8;
  ctx.globalAlpha = 0.6;
  ctx.beginPath();
  for (let i = 0; i + 1 < Math.min(points.length, arrows.length); i += 2) {
    const x0 = map.x(points[i]);
    const y0 = map.y(points[i + 1]);
    // Pixels per data unit is map.scale; y grows downwards on screen.
    let dx = arrows[i] * scale * map.scale;
    let dy = -arrows[i + 1] * scale * map.scale;
    let len = Math.hypot(dx, dy);
    if (![x0, y0, len].every(Number.isFinite) || len < 0.5) continue;
    if (len > maxPx) [dx, dy, len] = [(dx * maxPx) / len, (dy * maxPx) / len, maxPx];
    const [x1, y1] = [x0 + dx, y0 + dy];
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    const head = Math.min(4, len / 2);
    const [ux, uy] = [dx / len, dy / len];
    ctx.moveTo(x1 - head * (ux - 0.5 * uy), y1 - head * (uy + 0.5 * ux));
    ctx.lineTo(x1, y1);
    ctx.lineTo(x1 - head * (ux + 0.5 * uy), y1 - head * (uy - 0.5 * ux));
    drawn++;
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  return drawn;
}

// G over a rows × cols noise grid (row-major x,y pairs): lines along each row and, for 2-D
// noise, along each column, so the picture is the noise plane's grid after G warps it.
function drawMesh(ctx, view, map) {
  const rows = view.meshRows | 0;
  const cols = view.meshCols | 0;
  const xy = view.mesh;
  if (rows < 1 || cols < 2 || xy.length < 2 * rows * cols) return 0;
  const at = (r, c) => [map.x(xy[2 * (r * cols + c)]), map.y(xy[2 * (r * cols + c) + 1])];
  let segments = 0;
  ctx.strokeStyle = MESH_COLOR;
  ctx.lineWidth = rows === 1 ? 1.5 : 1;
  ctx.beginPath();
  const line = (n, point) => {
    let pen = false;
    for (let k = 0; k < n; k++) {
      const [px, py] = point(k);
      if (!Number.isFinite(px) || !Number.isFinite(py)) {
        pen = false;
        continue;
      }
      if (pen) {
        ctx.lineTo(px, py);
        segments++;
      } else ctx.moveTo(px, py);
      pen = true;
    }
  };
  for (let r = 0; r < rows; r++) line(cols, (c) => at(r, c));
  if (rows > 1) for (let c = 0; c < cols; c++) line(rows, (r) => at(r, c));
  ctx.stroke();
  return segments;
}
