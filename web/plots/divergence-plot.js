// "Divergences": the Jensen–Shannon divergence and both Kullback–Leibler divergences between
// p_data and p_g over steps, from the density estimates of each view. JSD is bounded by log 2
// (disjoint supports) and has its own axis; the two KLs differ when G drops modes
// (KL(p_data‖p_g) large) or puts mass where there is no data (KL(p_g‖p_data) large).
import { plotFigure, smallHeight } from './plot-figure.js';
import { StepChart, fmt, labelLine, latestOr, referenceSeries, withGaps } from './step-chart.js';

const MAX_POINTS = 600;
const LOG2 = Math.log(2);
const KEYS = ['jsd', 'klDataG', 'klGData'];

const CAPTION =
  'Estimated from samples, in nats. JSD (left axis) is at most log 2, reached when real and ' +
  'generated points never overlap. KL(p_data‖p_g) grows when G misses modes of the data; ' +
  'KL(p_g‖p_data) grows when G puts points where there is no data.';

export class DivergencePlot extends StepChart {
  /**
   * @param {HTMLElement} container
   * @param {import('../run/metrics-history.js').MetricsHistory} metrics
   */
  constructor(container, metrics) {
    const figure = plotFigure(container, 'Divergences', CAPTION);
    super(figure.chart, chartOptions, () => divergenceData(metrics), smallHeight);
  }
}

function divergenceData(metrics) {
  const m = metrics.decimated(MAX_POINTS, KEYS);
  return [m.step, ...KEYS.map((k) => withGaps(m[k])), m.step.map(() => LOG2)];
}

function chartOptions(width, height) {
  const line = (label, stroke, scale) => ({ label, stroke, scale, width: 1.5, spanGaps: true, value: latestOr(fmt) });
  return {
    width,
    height,
    series: [
      { label: 'step', value: latestOr((v) => String(v)) },
      line('JSD', '#b0306a', 'jsd'),
      line('KL(p_data‖p_g)', '#2f6fb0', 'kl'),
      line('KL(p_g‖p_data)', '#d9731f', 'kl'),
      referenceSeries('log 2', LOG2, 'jsd'),
    ],
    scales: { x: { time: false }, jsd: { range: [0, LOG2 * 1.1] }, kl: { range: (u, lo, hi) => [0, Math.max(hi ?? 1, 0.1) * 1.1] } },
    axes: [
      { label: 'step', size: 36 },
      { scale: 'jsd', label: 'JSD', size: 50 },
      { scale: 'kl', label: 'KL', side: 1, size: 50, grid: { show: false } },
    ],
    cursor: { points: { show: false } },
    legend: { live: true },
    hooks: { draw: [labelLine(LOG2, 'log 2 (no overlap)', 'jsd')] },
  };
}
