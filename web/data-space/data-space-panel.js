// The parts of the "Data space" panel besides its canvas: the overlay switches, and a legend that
// follows what the heatmap shows (D(x) as a probability, or a critic's raw score) and states the
// mean gradient arrow length, so a vanishing gradient is a number as well as a picture.
import { ScatterView } from './scatter.js';

const OVERLAYS = [
  ['arrows', 'gradient arrows', 'Arrows −∂L_G/∂x: where the generator loss pushes each generated point. One scale per run, so shrinking arrows mean a vanishing gradient.'],
  ['mesh', 'generator mesh', 'G applied to an even grid of noise values: how the generator warps its input space onto the plane.'],
];

export class DataSpacePanel {
  /** @type {ScatterView} */
  scatter;
  #heatLabel;
  #heatLow;
  #heatHigh;
  #arrowReadout;

  /**
   * @param {HTMLElement} panel holds [data-part=scatter] (canvas), [data-part=overlays] (filled
   *   with the switches), [data-heat=label|low|high] and [data-part=arrow-readout]
   */
  constructor(panel) {
    const q = (sel) => panel.querySelector(sel);
    this.scatter = new ScatterView(q('[data-part="scatter"]'));
    this.#heatLabel = q('[data-heat="label"]');
    this.#heatLow = q('[data-heat="low"]');
    this.#heatHigh = q('[data-heat="high"]');
    this.#arrowReadout = q('[data-part="arrow-readout"]');
    const switches = q('[data-part="overlays"]');
    switches.replaceChildren();
    for (const [name, text, help] of OVERLAYS) {
      const label = switches.appendChild(document.createElement('label'));
      label.title = help;
      const box = label.appendChild(document.createElement('input'));
      Object.assign(box, { type: 'checkbox', name: `overlay-${name}`, checked: this.scatter.overlays[name] });
      box.addEventListener('change', () => {
        this.scatter.setOverlay(name, box.checked);
        this.#showArrowReadout();
      });
      label.append(` ${text}`);
    }
  }

  /** @param {object} view a Playground.view() result @param {{newRun: boolean}} info */
  draw(view, info) {
    this.scatter.draw(view, info);
    const critic = view.heatKind === 'critic';
    this.#heatLabel.textContent = critic ? 'critic score' : 'D(x)';
    const scale = this.scatter.heatScale;
    this.#heatLow.textContent = critic ? `${short(-scale)} fake` : '0 fake';
    this.#heatHigh.textContent = critic ? `+${short(scale)} real` : '1 real';
    this.#showArrowReadout();
  }

  #showArrowReadout() {
    const mean = this.scatter.meanArrowLength;
    const shown = this.scatter.overlays.arrows && Number.isFinite(mean);
    this.#arrowReadout.hidden = !shown;
    if (shown) this.#arrowReadout.textContent = `mean ‖−∂L_G/∂x‖ = ${mean.toExponential(2)}`;
  }
}

function short(v) {
  return String(Number(v.toPrecision(2)));
}
