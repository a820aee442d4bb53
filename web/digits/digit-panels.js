// The markup of the digit mode (inside the element's shadow root) and the view objects bound to
// it: generated and real grids side by side, the digit picker, sample quality, interpolation,
// the latent walk, StyleGAN's style mixing (shown for StyleGAN runs only) and data augmentation
// measured live; for a digit translator (mode 'digit-cycle') its translation panel instead.
import { AugmentationPanel } from './augmentation-panel.js';
import { DigitPicker } from './digit-picker.js';
import { InterpolationStrip } from './interpolation.js';
import { LatentWalk } from './latent-walk.js';
import { QualityPanel } from './quality-panel.js';
import { SampleGrid } from './sample-grid.js';
import { StylePanel } from './style-panel.js';
import { TranslationPanel } from './translation-panel.js';

// The grids' sizes the digit mode asks the model for.
export { STEPS } from './interpolation.js';
export { COLS, ROWS } from './style-panel.js';

/**
 * @param {HTMLElement} slot emptied and filled
 * @param {{session(): object|null, translation(): object|null, pick(index: number): void, pickDigit(digit: number|null): void,
 *          walk(u: number, v: number): void, style: {mix(): void, truncate(psi: number): void},
 *          held(job: () => Promise<any>): Promise<any>, onError(error: unknown): void}} handlers
 *   session: the digit session to measure; translation: the digit translator's session; held: runs a job with training paused; the others
 *   receive the user's choices
 */
export function buildDigitPanels(slot, { session, translation, pick, pickDigit, walk, style, held, onError }) {
  slot.innerHTML = `
    <section class="panel digit-translation" data-digits="translation" data-mode="digit-cycle" hidden></section>
    <div class="digit-gan-panels" data-mode="digits">
    <section class="panel digit-grids">
      <div class="digit-pair">
        <figure>
          <figcaption>Generated <small>G on 64 fixed noise vectors: watch the same digits take shape</small></figcaption>
          <canvas data-digits="fake"></canvas>
        </figure>
        <figure>
          <figcaption>Real <small>held-out MNIST digits, for comparison</small></figcaption>
          <canvas data-digits="real"></canvas>
        </figure>
      </div>
      <div class="digit-picker" data-digits="picker"></div>
    </section>
    <section class="panel digit-quality" data-digits="quality"></section>
    <section class="panel digit-interpolation" data-digits="interpolation-panel"></section>
    <section class="panel digit-walk" data-digits="walk-panel"></section>
    <section class="panel digit-style" data-digits="style-panel"></section>
    <section class="panel digit-augment" data-digits="augment-panel"></section>
    </div>`;
  const part = (name) => /** @type {any} */ (slot.querySelector(`[data-digits="${name}"]`)); // canvas or element
  return {
    fake: new SampleGrid(part('fake'), {
      label: '64 generated digits; click one (or use the arrow keys and Enter) to choose interpolation endpoints',
      onPick: pick,
    }),
    real: new SampleGrid(part('real'), { label: '64 real MNIST digits' }),
    picker: new DigitPicker(part('picker'), pickDigit),
    quality: new QualityPanel(part('quality'), session),
    interpolation: new InterpolationStrip(part('interpolation-panel')),
    walk: new LatentWalk(part('walk-panel'), walk),
    style: new StylePanel(part('style-panel'), style),
    augmentation: new AugmentationPanel(part('augment-panel'), { session, held, onError }),
    translation: new TranslationPanel(part('translation'), translation),
  };
}
