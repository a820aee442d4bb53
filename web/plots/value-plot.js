// "V(D,G) vs 2·JSD − log 4": the game's value from each training step, against what it would be
// with the optimal discriminator D* (from the density estimates of each view). For the original
// objective V(D,G) ≤ 2·JSD − log 4 for every D, with equality at D*; both reach −log 4 only when
// p_g = p_data.
import { plotFigure, setNote, smallHeight } from './plot-figure.js';
import { StepChart, fmt, joinOnStep, labelLine, latestOr, referenceSeries, withGaps } from './step-chart.js';

const MAX_POINTS = 600;
const OPTIMUM = -Math.log(4);

const CAPTION =
  'For the original objective (minimax / non-saturating), V(D,G) = E log D(x) + E log(1 − D(G(z))) ' +
  'never exceeds 2·JSD(p_data‖p_g) − log 4 and equals it when D is optimal; both reach −log 4 only ' +
  'when the generated distribution matches the data.';

const CRITIC_NOTE =
  'This objective trains a critic, not a probability: V here is E[D(x)] − E[D(G(z))], so the ' +
  '2·JSD − log 4 curve is not its target.';

export class ValuePlot extends StepChart {
  #note;

  /**
   * @param {HTMLElement} container
   * @param {import('../run/history.js').LossHistory} history V per step, from train()
   * @param {import('../run/metrics-history.js').MetricsHistory} metrics 2·JSD − log 4 per view
   */
  constructor(container, history, metrics) {
    const figure = plotFigure(container, 'V(D,G) vs 2·JSD − log 4', CAPTION);
    super(figure.chart, chartOptions, () => valueData(history, metrics), smallHeight);
    this.#note = figure.note;
  }

  /** @param {'probability'|'critic'} heatKind what the current D outputs */
  setHeatKind(heatKind) {
    setNote(this.#note, heatKind === 'critic' ? CRITIC_NOTE : '');
  }
}

function valueData(history, metrics) {
  const v = history.length ? history.decimated(MAX_POINTS) : null;
  const m = metrics.decimated(MAX_POINTS, ['valueAtOptimum']);
  const fromTraining = v ? [Array.from(v.step), withGaps(v.value.mean)] : [[], []];
  const [x, value, atOptimum] = joinOnStep([fromTraining, [m.step, m.valueAtOptimum]]);
  return [x, value, atOptimum, x.map(() => OPTIMUM)];
}

function chartOptions(width, height) {
  return {
    width,
    height,
    series: [
      { label: 'step', value: latestOr((v) => String(v)) },
      { label: 'V(D,G)', stroke: '#167a6e', width: 1.5, spanGaps: true, value: latestOr(fmt) },
      { label: '2·JSD − log 4', stroke: '#b0306a', width: 1.5, spanGaps: true, value: latestOr(fmt) },
      referenceSeries('−log 4', OPTIMUM),
    ],
    scales: { x: { time: false } },
    axes: [{ label: 'step', size: 36 }, { size: 50 }],
    cursor: { points: { show: false } },
    legend: { live: true },
    hooks: { draw: [labelLine(OPTIMUM, '−log 4 (p_g = p_data)')] },
  };
}
