// The loss chart: D loss, G loss and V(D,G) against step, each as a bucket-mean line with a
// min/max band, plus the game's optimum V = −log 4. Draws from history.decimated(), ≤ 4 times/s.
import uPlot from 'uplot';

const MAX_POINTS = 1000;
const MIN_REDRAW_MS = 250;
const OPTIMUM = -Math.log(4);

const LINES = [
  { key: 'dLoss', label: 'D loss', color: '#2f6fb0', band: 'rgba(47, 111, 176, 0.18)' },
  { key: 'gLoss', label: 'G loss', color: '#d9731f', band: 'rgba(217, 115, 31, 0.18)' },
  { key: 'value', label: 'V(D,G)', color: '#167a6e', band: 'rgba(22, 122, 110, 0.18)' },
];

/** URL of uPlot's stylesheet, next to the module the import map points at. */
export const UPLOT_CSS_URL = new URL('uPlot.min.css', import.meta.resolve('uplot')).href;

export class LossPlot {
  #history;
  #chart;
  #timer = 0;
  #lastDraw = 0;
  #observer;

  /**
   * @param {HTMLElement} container gets the chart; its width drives the chart's width
   * @param {import('./history.js').LossHistory} history
   */
  constructor(container, history) {
    this.#history = history;
    const width = Math.max(container.clientWidth, 320);
    this.#chart = new uPlot(chartOptions(width, heightFor(width)), emptyData(), container);
    this.#observer = new ResizeObserver(() => {
      const width = Math.floor(container.clientWidth);
      if (width > 0 && width !== this.#chart.width) this.#chart.setSize({ width, height: heightFor(width) });
    });
    this.#observer.observe(container);
  }

  /** Number of x points currently drawn (a test and debugging hook). */
  get pointCount() {
    return this.#chart.data[0].length;
  }

  /** Asks for a redraw; coalesced so the chart is drawn at most every MIN_REDRAW_MS. */
  update() {
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastDraw + MIN_REDRAW_MS - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = 0;
      this.#lastDraw = performance.now();
      this.#draw();
    }, wait);
  }

  destroy() {
    clearTimeout(this.#timer);
    this.#observer.disconnect();
    this.#chart.destroy();
  }

  #draw() {
    if (this.#history.length === 0) return this.#chart.setData(emptyData());
    const d = this.#history.decimated(MAX_POINTS);
    const data = [Array.from(d.step)];
    for (const { key } of LINES) {
      const s = d[key];
      data.push(withGaps(s.mean), withGaps(s.min), withGaps(s.max));
    }
    data.push(new Array(d.step.length).fill(OPTIMUM));
    this.#chart.setData(data);
  }
}

// Series order: x, then per line [mean, min, max], then the optimum.
function chartOptions(width, height) {
  const series = [{ label: 'step', value: latestOr((v) => String(v)) }];
  const bands = [];
  LINES.forEach(({ label, color, band }, i) => {
    const mean = 1 + 3 * i;
    const edge = { class: 'band-edge', stroke: 'transparent', width: 0, points: { show: false } };
    series.push({ label, stroke: color, width: 1.5, value: latestOr(fmt) }, { ...edge }, { ...edge });
    bands.push({ series: [mean + 2, mean + 1], fill: band });
  });
  series.push({ label: '−log 4 (optimum)', stroke: '#777', dash: [6, 4], width: 1, points: { show: false }, value: () => fmt(OPTIMUM) });
  return {
    width,
    height,
    series,
    bands,
    scales: { x: { time: false } },
    axes: [{ label: 'step', size: 40 }, { label: 'loss', size: 56 }],
    cursor: { points: { show: false } },
    legend: { live: true },
    hooks: { draw: [labelOptimum] },
  };
}

// Names the reference line on the chart itself, at its right end.
function labelOptimum(u) {
  const y = u.valToPos(OPTIMUM, 'y', true);
  const { left, top, width, height } = u.bbox;
  if (!(y >= top && y <= top + height)) return;
  const px = uPlot.pxRatio;
  u.ctx.save();
  u.ctx.fillStyle = '#555';
  u.ctx.font = `${11 * px}px system-ui, sans-serif`;
  u.ctx.textAlign = 'right';
  u.ctx.textBaseline = y - top > 16 * px ? 'bottom' : 'top';
  u.ctx.fillText('−log 4 (optimum)', left + width - 4 * px, y + (y - top > 16 * px ? -2 : 2) * px);
  u.ctx.restore();
}

function heightFor(width) {
  return Math.round(Math.min(360, Math.max(200, width * 0.62)));
}

function emptyData() {
  return [[], ...LINES.flatMap(() => [[], [], []]), []];
}

function withGaps(values) {
  return Array.from(values, (v) => (Number.isNaN(v) ? null : v));
}

// Legend values: at the cursor when it is over the chart, else the latest point.
function latestOr(format) {
  return (u, v, sidx, idx) => {
    const value = idx == null ? u.data[sidx].at(-1) : v;
    return value == null ? '–' : format(value);
  };
}

function fmt(v) {
  return v == null || !Number.isFinite(v) ? '–' : v.toPrecision(4);
}
