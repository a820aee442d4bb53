// One live wasm DigitCyclePlayground (CycleGAN between MNIST and thick-stroke MNIST): the Session
// rules plus its view (held-out digits and their translations) and metrics (label kept, cycle
// error, ink) calls. It draws nothing from noise and fits no density, so those calls reject.
import { Session } from '../engine/session.js';

const VIEW_EVERY_MS = 500; // 48 digits per view; a translation step is slow anyway

export class DigitCycleSession extends Session {
  /**
   * @param {import('../engine/engine.js').EngineWorker} engine the playground's worker
   * @param {string} configJson a digit CycleGAN config (cycle.source "mnist", data.dataset "mnist_thick")
   * @param {'auto'|'webgpu'|'cpu'} backend
   * @param {{mnist: Uint8Array, classifier: Uint8Array|null}} assets see assets.js
   * @returns {Promise<DigitCycleSession>} rejects with Rust's message
   */
  static createWithAssets(engine, configJson, backend, { mnist, classifier }) {
    return /** @type {Promise<DigitCycleSession>} */ (DigitCycleSession.open(engine, 'DigitCyclePlayground', backend, {
      digits: true,
      args: (request) => [configJson, request, mnist, classifier],
    }));
  }

  /**
   * @returns {Promise<{kind: 'digit-cycle', side: number, count: number, pixels: Uint8Array}>}
   *   six rows of `count` held-out digits: x, G(x), F(G(x)), y, F(y), G(F(y))
   */
  view() {
    return this.call('view');
  }

  freshView() {
    return this.view();
  }

  get viewEveryMs() {
    return VIEW_EVERY_MS;
  }

  /**
   * The translator on every held-out digit (docs/wasm-api.md).
   * @returns {Promise<{labelKeptX: number, labelKeptY: number, cycleErrorX: number, cycleErrorY: number,
   *   cycleError: number, classifierScoreGx: number, classifierScoreFy: number, inkX: number,
   *   inkGx: number, inkY: number, inkFy: number, samples: number}>}
   */
  metrics() {
    return this.call('metrics');
  }

  samples() {
    return Promise.reject(new Error('samples(n): a CycleGAN translator turns digits into digits; it draws none from noise'));
  }

  likelihood() {
    return Promise.reject(new Error('a Gaussian mixture is fitted beside a 2-D GAN from noise, not beside a digit translator'));
  }

  trainFlow() {
    return Promise.reject(new Error('a flow is trained beside a 2-D GAN from noise, not beside a digit translator'));
  }

  flowResult() {
    return this.trainFlow();
  }
}
