// One live wasm DigitPlayground (DCGAN or StyleGAN-lite on MNIST): the Session rules (held by the
// playground's engine worker, dead after a crash) plus the digit calls. Trains like a 2-D session, so the Trainer drives either.
import { Session } from '../engine/session.js';

const VIEW_EVERY_MS = 500; // 64 digits per view; a DCGAN step is slow anyway

export class DigitSession extends Session {
  /** The digit a conditional generator is asked for (0–9), null for all; used by the loop's views. */
  digit = null;

  /**
   * @param {import('../engine/engine.js').EngineWorker} engine the playground's worker
   * @param {string} configJson an image config (data.dataset "mnist")
   * @param {'auto'|'webgpu'|'cpu'} backend
   * @param {{mnist: Uint8Array, classifier: Uint8Array|null}} assets see assets.js
   * @returns {Promise<DigitSession>} rejects with Rust's message (bad config, "MNIST asset: …")
   */
  static createWithAssets(engine, configJson, backend, { mnist, classifier }) {
    return /** @type {Promise<DigitSession>} */ (DigitSession.open(engine, 'DigitPlayground', backend, {
      digits: true,
      args: (request) => [configJson, request, mnist, classifier],
    }));
  }

  /**
   * @param {number|null} digit 0–9 for a conditional generator, else null
   * @returns {Promise<{side: number, count: number, fake: Uint8Array, real: Uint8Array,
   *   realLabels: Uint8Array, conditional: boolean, style: boolean, truncation: number}>} 64
   *   generated digits from fixed noise and 64 real ones; style: G is StyleGAN-lite
   */
  view(digit = null) {
    return this.call('view', digit);
  }

  freshView() {
    return this.view(this.digit);
  }

  get viewEveryMs() {
    return VIEW_EVERY_MS;
  }

  /** @returns {Promise<Uint8Array>} steps·784 pixels: G from grid sample a's noise to b's */
  interpolate(a, b, steps, digit = null) {
    return this.call('interpolate', a, b, steps, digit);
  }

  /**
   * StyleGAN: grid samples `rows` (A) and `cols` (B), then every A with B's styles at `slots`.
   * @param {number[]} rows @param {number[]} cols @param {string} slots "coarse", "middle", "fine" joined by ","
   * @param {number|null} digit 0–9 for a conditional generator (every sample that digit), else null
   * @returns {Promise<Uint8Array>} (R + C + R·C)·784 pixels
   */
  styleMix(rows, cols, slots, digit = null) {
    return this.call('styleMix', Uint32Array.from(rows), Uint32Array.from(cols), slots, digit);
  }

  /**
   * Data augmentation, measured (one seed): the LeNet judge on `perClass` real digits per class
   * alone, with `extra` shifted/rotated copies, and with `extra` of this GAN's digits per class.
   * @returns {Promise<{seed: number, perClass: number, extra: number, steps: number,
   *   arms: {name: string, trainDigits: number, accuracy: number}[], ganNote: string}>}
   */
  augmentation(perClass, extra, steps, seed) {
    return this.call('augmentation', perClass, extra, steps, seed);
  }

  /** @returns {Promise<Uint8Array>} steps·784 pixels: StyleGAN from grid sample a to b, linear in w (as `digit` for a conditional G) */
  interpolateW(a, b, steps, digit = null) {
    return this.call('interpolateW', a, b, steps, digit);
  }

  /** StyleGAN's truncation ψ (0 to 1.5) for every view; throws Rust's message otherwise. */
  setTruncation(psi) {
    return this.call('setTruncation', psi);
  }

  /** @returns {Promise<Uint8Array>} 784 pixels: G at grid sample i's noise moved by (u, v) */
  walk(i, u, v, digit = null) {
    return this.call('walk', i, u, v, digit);
  }

  /**
   * @returns {Promise<{classifierScore: number, classHistogram: number[], classesCovered: number,
   *   frechetDistance: number, samples: number, realScore: number, realFrechet: number}>}
   */
  quality(n) {
    return this.call('quality', n);
  }

  samples() {
    return Promise.reject(new Error('samples(n) gives 2-D points; the digit GAN shows its samples in the grid.'));
  }
}
