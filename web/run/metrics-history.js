// The density metrics of every view since the last reset, keyed by the training step the view
// showed. Views arrive ~10 times a second while playing, so an hour is ~36k rows: kept whole,
// averaged into buckets only for drawing.

export const METRIC_KEYS = ['jsd', 'klDataG', 'klGData', 'valueAtOptimum', 'dStarGap', 'highQuality'];

export class MetricsHistory {
  #steps = [];
  #columns = Object.fromEntries(METRIC_KEYS.map((k) => [k, []]));

  get length() {
    return this.#steps.length;
  }

  /** @returns {number[]} the step of each row (ascending) */
  get steps() {
    return this.#steps;
  }

  /** @returns {number[]} one metric per row (NaN where the view had null) */
  column(key) {
    return this.#columns[key];
  }

  clear() {
    this.#steps = [];
    for (const k of METRIC_KEYS) this.#columns[k] = [];
  }

  /** Drops the rows of steps after `step` (a run restored to it). */
  truncate(step) {
    let n = this.#steps.length;
    while (n > 0 && this.#steps[n - 1] > step) n--;
    this.#steps.length = n;
    for (const k of METRIC_KEYS) this.#columns[k].length = n;
  }

  /**
   * Records the metrics of a view of `step`. A second view of the same step replaces the first;
   * a smaller step means the run restarted, so the older rows are dropped.
   */
  record(step, metrics) {
    const last = this.#steps.at(-1);
    if (last !== undefined && step < last) this.clear();
    const replace = step === this.#steps.at(-1);
    if (!replace) this.#steps.push(step);
    const i = this.#steps.length - 1;
    for (const k of METRIC_KEYS) this.#columns[k][i] = toNumber(metrics?.[k]);
  }

  /**
   * At most `maxPoints` buckets of consecutive rows: each bucket's last step and the mean of
   * each metric's finite values (null when it has none, so uPlot draws a gap).
   * @returns {{step: number[], [key: string]: (number|null)[]}}
   */
  decimated(maxPoints, keys = METRIC_KEYS) {
    const n = this.#steps.length;
    const size = Math.max(1, Math.ceil(n / maxPoints));
    const out = { step: [] };
    for (const k of keys) out[k] = [];
    for (let from = 0; from < n; from += size) {
      const to = Math.min(n, from + size);
      out.step.push(this.#steps[to - 1]);
      for (const k of keys) out[k].push(meanOf(this.#columns[k], from, to));
    }
    return out;
  }
}

function toNumber(v) {
  return v == null ? NaN : Number(v);
}

function meanOf(values, from, to) {
  let sum = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      count++;
    }
  }
  return count ? sum / count : null;
}
