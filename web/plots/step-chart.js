// A uPlot chart of series against training step that follows its container's width and redraws
// at most 4 times a second, plus the small helpers the step charts share (gaps, legend values,
// labelled reference lines).
const MIN_REDRAW_MS = 250;

/** URL of uPlot's stylesheet, next to its module. */
export const UPLOT_CSS_URL = new URL('../../vendor/uplot/uPlot.min.css', import.meta.url).href;

/** uPlot's class once loaded (the draw hooks and joinOnStep below run only after that). */
let uPlot = null;
/** @type {Promise<void>|null} */
let uPlotLoading = null;
/** @type {(value?: any) => void} */
let uPlotLoaded = () => {};
const uPlotReady = new Promise((resolve) => (uPlotLoaded = resolve));

/**
 * Imports uPlot (42 KB gzip) once per page; charts built before that draw when it arrives. The
 * element asks once it has points to plot (after the first step, or a loaded history): the CPU
 * module and what trains come first in a reader's download (the first-step budget,
 * docs/engine.md). A failure is kept (a reload retries). A relative path, not the bare 'uplot':
 * an import map is an inline script, which a strict Content-Security-Policy forbids. Trunk copies
 * uPlot's dist/ to vendor/uplot.
 * @returns {Promise<void>}
 */
export function loadUplot() {
  // @ts-ignore: uPlot is copied to vendor/ by the page build (Trunk.toml), where tsc cannot see it
  uPlotLoading ??= import('../../vendor/uplot/uPlot.esm.js').then((m) => {
    uPlot = m.default;
    uPlotLoaded();
  });
  return uPlotLoading;
}

export class StepChart {
  #chart = null;
  #container;
  #options;
  #data;
  #heightFor;
  #timer = 0;
  #lastDraw = 0;
  #observer = null;
  #destroyed = false;

  /**
   * The chart is drawn once uPlot is loaded (loadUplot); until then the container keeps the
   * chart's height, so nothing below it moves.
   * @param {HTMLElement} container gets the chart; its width drives the chart's size
   * @param {(width: number, height: number) => object} options uPlot options for a size
   * @param {() => Array} data the uPlot data to draw now ([x, ...series])
   * @param {(width: number) => number} heightFor the chart height for a width
   */
  constructor(container, options, data, heightFor) {
    this.#container = container;
    this.#options = options;
    this.#data = data;
    this.#heightFor = heightFor;
    if (uPlot) this.#build();
    else {
      container.style.minHeight = `${heightFor(Math.max(container.clientWidth, 320))}px`;
      uPlotReady.then(() => !this.#destroyed && !this.#chart && this.#build());
    }
  }

  #build() {
    const container = this.#container;
    container.style.minHeight = '';
    const width = Math.max(container.clientWidth, 320);
    this.#chart = new uPlot(this.#options(width, this.#heightFor(width)), this.#data(), container);
    this.#lastDraw = performance.now();
    this.#observer = new ResizeObserver(() => {
      const width = Math.floor(container.clientWidth);
      if (width > 0 && width !== this.#chart.width) this.#chart.setSize({ width, height: this.#heightFor(width) });
    });
    this.#observer.observe(container);
  }

  /** Number of x points currently drawn (a test and debugging hook). */
  get pointCount() {
    return this.#chart?.data[0].length ?? 0;
  }

  /** Asks for a redraw; coalesced so the chart is drawn at most every MIN_REDRAW_MS. */
  update() {
    if (!this.#chart || this.#timer) return; // not built yet: it draws the data of its moment
    const wait = Math.max(0, this.#lastDraw + MIN_REDRAW_MS - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = 0;
      this.#lastDraw = performance.now();
      this.#chart.setData(this.#data());
    }, wait);
  }

  destroy() {
    this.#destroyed = true;
    clearTimeout(this.#timer);
    this.#observer?.disconnect();
    this.#chart?.destroy();
  }
}

/** NaN (a skipped or diverged value) becomes null, which uPlot draws as a gap. */
export function withGaps(values) {
  return Array.from(values, (v) => (v == null || Number.isNaN(v) ? null : v));
}

/** Legend values: at the cursor when it is over the chart, else the latest point. */
export function latestOr(format) {
  return (u, v, sidx, idx) => {
    const value = idx == null ? lastDefined(u.data[sidx]) : v;
    return value == null ? '–' : format(value);
  };
}

export function fmt(v) {
  return v == null || !Number.isFinite(v) ? '–' : v.toPrecision(4);
}

function lastDefined(values) {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] != null) return values[i];
  return null;
}

/** A dashed horizontal reference series at `value` (one entry per x). */
export function referenceSeries(label, value, scale = 'y') {
  return { label, scale, stroke: '#777', dash: [6, 4], width: 1, points: { show: false }, value: () => fmt(value) };
}

/** A draw hook writing `text` at the right end of the horizontal line y = value. */
export function labelLine(value, text, scale = 'y') {
  return (u) => {
    const y = u.valToPos(value, scale, true);
    const { left, top, width, height } = u.bbox;
    if (!(y >= top && y <= top + height)) return;
    const px = uPlot.pxRatio;
    const below = y - top <= 16 * px;
    u.ctx.save();
    u.ctx.fillStyle = '#555';
    u.ctx.font = `${11 * px}px system-ui, sans-serif`;
    u.ctx.textAlign = 'right';
    u.ctx.textBaseline = below ? 'top' : 'bottom';
    u.ctx.fillText(text, left + width - 4 * px, y + (below ? 2 : -2) * px);
    u.ctx.restore();
  };
}

/** Aligns [x, y] tables with different x onto one x (missing points are spanned, not gaps). */
export function joinOnStep(tables) {
  return uPlot.join(tables);
}
