// "Gradient reaching G": ‖∂L_G/∂θ_G‖ per step on a log scale. With the minimax objective and a
// confident D this collapses by orders of magnitude (the vanishing gradient); the
// non-saturating loss keeps it alive.
import { plotFigure, smallHeight } from './plot-figure.js';
import { StepChart, fmt, latestOr } from './step-chart.js';

const MAX_POINTS = 600;

const CAPTION =
  'Norm of the generator loss gradient with respect to G’s weights (log scale). When it drops ' +
  'by orders of magnitude, G has stopped learning even though D keeps winning.';

export class GradientPlot extends StepChart {
  /** @param {HTMLElement} container @param {import('../run/history.js').LossHistory} history */
  constructor(container, history) {
    const figure = plotFigure(container, 'Gradient reaching G', CAPTION);
    super(figure.chart, chartOptions, () => gradientData(history), smallHeight);
  }
}

function gradientData(history) {
  if (history.length === 0) return [[], []];
  const d = history.decimated(MAX_POINTS);
  // A log axis cannot show 0 or NaN (D-only steps): leave them out of the line.
  return [Array.from(d.step), Array.from(d.gradNorm.mean, (v) => (v > 0 ? v : null))];
}

function chartOptions(width, height) {
  return {
    width,
    height,
    series: [
      { label: 'step', value: latestOr((v) => String(v)) },
      { label: '‖∂L_G/∂θ_G‖', stroke: '#6a2c91', width: 1.5, spanGaps: true, value: latestOr(fmt) },
    ],
    scales: { x: { time: false }, y: { distr: 3 } },
    axes: [
      { label: 'step', size: 36 },
      // Labels, ticks and grid lines at powers of ten only: the 2…9 lines of a log axis are clutter.
      { size: 56, values: (u, splits) => splits.map(exponential), filter: decades, grid: { filter: decades }, ticks: { filter: decades } },
    ],
    cursor: { points: { show: false } },
    legend: { live: true },
  };
}

function decades(u, splits) {
  return splits.map((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null));
}

function exponential(v) {
  return v == null ? '' : v.toExponential(0);
}
