// Header readouts: backend badge (+ why, when it is not the one asked for), step counter,
// steps/s and the latest losses.

export class StatusBar {
  #badge;
  #note;
  #step;
  #rate;
  #losses;

  /** @param {ParentNode} root an element containing the [data-status=…] slots */
  constructor(root) {
    const slot = (name) => /** @type {HTMLElement} */ (root.querySelector(`[data-status="${name}"]`));
    this.#badge = slot('backend');
    this.#note = slot('note');
    this.#step = slot('step');
    this.#rate = slot('rate');
    this.#losses = slot('losses');
  }

  /** @param {string} text e.g. "Loading…" while no model exists */
  setLoading(text) {
    this.#badge.textContent = text;
    this.#badge.dataset.backend = '';
  }

  /** @param {'webgpu'|'cpu'} backend @param {string} note */
  setBackend(backend, note) {
    this.#badge.textContent = backend === 'webgpu' ? 'WebGPU' : backend === 'cpu' ? 'CPU' : backend;
    this.#badge.dataset.backend = backend;
    this.#note.textContent = note;
    this.#note.hidden = !note;
  }

  /**
   * @param {{step: number, stepsPerSecond: number, dLoss: number, gLoss: number, value: number}} stats
   *   NaN losses (a part the step mode skipped) show as "–"
   */
  setStats(stats) {
    this.#step.textContent = `Step ${stats.step.toLocaleString('en-US')}`;
    this.#rate.textContent = `${rate(stats.stepsPerSecond)} steps/s`;
    const any = [stats.dLoss, stats.gLoss, stats.value].some((v) => !Number.isNaN(v));
    this.#losses.textContent = any ? `D ${fmt(stats.dLoss)} · G ${fmt(stats.gLoss)} · V ${fmt(stats.value)}` : '';
  }
}

// A slow model (the digit GAN on a CPU) runs under 10 steps/s: one decimal keeps it readable.
function rate(perSecond) {
  return perSecond > 0 && perSecond < 9.95 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US');
}

function fmt(v) {
  if (Number.isNaN(v)) return '–';
  return Number.isFinite(v) ? v.toFixed(3) : String(v);
}
