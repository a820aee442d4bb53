// Every per-step number train() reported since the last reset, in growable typed arrays (a long
// run is 100k+ steps); only drawing is decimated, the data itself is kept whole. NaN marks a part
// a step mode skipped (D-only steps have no G loss or gradient norm, G-only steps no D loss or V).

/** @typedef {{mean: Float64Array, min: Float64Array, max: Float64Array}} Stats one series, decimated */

const SERIES = ['dLoss', 'gLoss', 'value', 'gradNorm'];

export class LossHistory {
  #length = 0;
  #capacity = 1024;
  #arrays = Object.fromEntries(SERIES.map((k) => [k, new Float32Array(this.#capacity)]));
  #cache = null; // decimation state, see decimated()

  /** Number of recorded iterations; iteration i (0-based) is training step i + 1. */
  get length() {
    return this.#length;
  }

  /** @returns {Float32Array} a view (not a copy) of the D losses; likewise gLoss and value */
  get dLoss() {
    return this.#arrays.dLoss.subarray(0, this.#length);
  }
  get gLoss() {
    return this.#arrays.gLoss.subarray(0, this.#length);
  }
  get value() {
    return this.#arrays.value.subarray(0, this.#length);
  }
  /** ‖∂L_G/∂θ_G‖ per iteration: how much gradient reached the generator */
  get gradNorm() {
    return this.#arrays.gradNorm.subarray(0, this.#length);
  }

  /** @returns {{dLoss: number, gLoss: number, value: number, gradNorm: number}|null} the latest iteration */
  last() {
    if (this.#length === 0) return null;
    const i = this.#length - 1;
    return /** @type {any} */ (Object.fromEntries(SERIES.map((k) => [k, this.#arrays[k][i]])));
  }

  clear() {
    this.#length = 0;
    this.#cache = null;
  }

  /** Keeps the first `n` iterations (a run restored to step n). */
  truncate(n) {
    this.#length = Math.max(0, Math.min(this.#length, Math.floor(n)));
    this.#cache = null;
  }

  /** @returns {Float32Array} every iteration as [dLoss, gLoss, value, gradNorm], the layout of train() and checkpoints */
  interleaved() {
    const width = SERIES.length;
    const out = new Float32Array(this.#length * width);
    SERIES.forEach((key, j) => {
      const data = this.#arrays[key];
      for (let i = 0; i < this.#length; i++) out[width * i + j] = data[i];
    });
    return out;
  }

  /** @param {Float32Array} losses per iteration [dLoss, gLoss, value, gradNorm], as train() returns them */
  append(losses) {
    const width = SERIES.length;
    const n = Math.floor(losses.length / width);
    this.#reserve(this.#length + n);
    SERIES.forEach((key, j) => {
      const out = this.#arrays[key];
      for (let k = 0, i = this.#length; k < n; k++, i++) out[i] = losses[width * k + j];
    });
    this.#length += n;
  }

  /**
   * At most `maxPoints` buckets of consecutive iterations, each with its last step number and the
   * mean, min and max of every series (non-finite losses are skipped; an all-NaN bucket is NaN).
   * Bucket sizes are powers of two, so full buckets are cached and merged pairwise as the
   * history grows: a call costs O(new iterations + maxPoints), not O(history).
   * @returns {{step: Float64Array, dLoss: Stats, gLoss: Stats, value: Stats, gradNorm: Stats}} where
   *   Stats = {mean: Float64Array, min: Float64Array, max: Float64Array}
   */
  decimated(maxPoints) {
    const length = this.#length;
    let size = 1;
    while (size * maxPoints < length) size *= 2;
    if (this.#cache?.maxPoints !== maxPoints || this.#cache.size > size) this.#cache = newCache(maxPoints);
    const cache = this.#cache;
    while (cache.size < size) mergePairs(cache);
    for (const key of SERIES) {
      for (let b = cache.full; b < Math.floor(length / size); b++) {
        summarise(this.#arrays[key], b * size, (b + 1) * size, cache[key], b);
      }
    }
    cache.full = Math.floor(length / size);

    const buckets = Math.ceil(length / size);
    const step = new Float64Array(buckets);
    for (let b = 0; b < buckets; b++) step[b] = Math.min((b + 1) * size, length);
    /** @type {any} */
    const out = { step };
    const partial = newSums(1);
    for (const key of SERIES) {
      if (buckets > cache.full) summarise(this.#arrays[key], cache.full * size, length, partial, 0);
      out[key] = finish(cache[key], cache.full, buckets > cache.full ? partial : null);
    }
    return out;
  }

  #reserve(needed) {
    if (needed <= this.#capacity) return;
    while (this.#capacity < needed) this.#capacity *= 2;
    for (const key of SERIES) {
      const grown = new Float32Array(this.#capacity);
      grown.set(this.#arrays[key].subarray(0, this.#length));
      this.#arrays[key] = grown;
    }
  }
}

// Per-bucket running sums, so buckets can be merged without the raw data.
function newSums(n) {
  return { sum: new Float64Array(n), count: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n) };
}

function newCache(maxPoints) {
  const cache = { maxPoints, size: 1, full: 0 };
  for (const key of SERIES) cache[key] = newSums(maxPoints);
  return cache;
}

function summarise(data, from, to, sums, b) {
  let sum = 0;
  let count = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    sum += v;
    count++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  sums.sum[b] = sum;
  sums.count[b] = count;
  sums.min[b] = lo;
  sums.max[b] = hi;
}

// Doubles the bucket size; an odd last full bucket becomes partial and is recomputed later.
function mergePairs(cache) {
  const half = Math.floor(cache.full / 2);
  for (const key of SERIES) {
    const s = cache[key];
    for (let b = 0; b < half; b++) {
      const [x, y] = [2 * b, 2 * b + 1];
      s.sum[b] = s.sum[x] + s.sum[y];
      s.count[b] = s.count[x] + s.count[y];
      s.min[b] = Math.min(s.min[x], s.min[y]);
      s.max[b] = Math.max(s.max[x], s.max[y]);
    }
  }
  cache.full = half;
  cache.size *= 2;
}

function finish(sums, full, partial) {
  const n = full + (partial ? 1 : 0);
  const out = { mean: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n) };
  for (let b = 0; b < n; b++) {
    const [s, i] = b < full ? [sums, b] : [partial, 0];
    const empty = s.count[i] === 0;
    out.mean[b] = empty ? NaN : s.sum[i] / s.count[i];
    out.min[b] = empty ? NaN : s.min[i];
    out.max[b] = empty ? NaN : s.max[i];
  }
  return out;
}
