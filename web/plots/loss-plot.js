// The loss chart: D loss and G loss against step, each as a bucket-mean line with a min/max
// band. V(D,G) has its own chart (value-plot.js). A step mode that skips a network leaves NaN
// for its loss; those steps are spanned, not drawn as zero.
import { StepChart, fmt, latestOr, withGaps } from './step-chart.js';

export { UPLOT_CSS_URL } from './step-chart.js';

const MAX_POINTS = 1000;

const LINES = [
  { key: 'dLoss', label: 'D loss', color: '#2f6fb0', band: 'rgba(47, 111, 176, 0.18)' },
  { key: 'gLoss', label: 'G loss', color: '#d9731f', band: 'rgba(217, 115, 31, 0.18)' },
];

export class LossPlot extends StepChart {
  /**
   * @param {HTMLElement} container
   * @param {import('../run/history.js').LossHistory} history
   */
  constructor(container, history) {
    super(container, chartOptions, () => lossData(history), heightFor);
  }
}

function lossData(history) {
  if (history.length === 0) return [[], ...LINES.flatMap(() => [[], [], []])];
  const d = history.decimated(MAX_POINTS);
  const data = [Array.from(d.step)];
  for (const { key } of LINES) {
    const s = d[key];
    data.push(withGaps(s.mean), withGaps(s.min), withGaps(s.max));
  }
  return data;
}

// Series order: x, then per line [mean, min, max].
function chartOptions(width, height) {
  /** @type {object[]} */
  const series = [{ label: 'step', value: latestOr((v) => String(v)) }];
  const bands = [];
  LINES.forEach(({ label, color, band }, i) => {
    const mean = 1 + 3 * i;
    const edge = { class: 'band-edge', stroke: 'transparent', width: 0, points: { show: false }, spanGaps: true };
    series.push({ label, stroke: color, width: 1.5, spanGaps: true, value: latestOr(fmt) }, { ...edge }, { ...edge });
    bands.push({ series: [mean + 2, mean + 1], fill: band });
  });
  return {
    width,
    height,
    series,
    bands,
    scales: { x: { time: false } },
    axes: [{ label: 'step', size: 40 }, { label: 'loss', size: 56 }],
    cursor: { points: { show: false } },
    legend: { live: true },
  };
}

function heightFor(width) {
  return Math.round(Math.min(300, Math.max(180, width * 0.5)));
}
