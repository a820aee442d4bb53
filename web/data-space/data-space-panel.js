// The parts of the "Data space" panel besides its canvas: the overlay switches, and a legend that
// follows what the heatmap shows (D(x) as a probability, or a critic's raw score) and states the
// mean gradient arrow length, so a vanishing gradient is a number as well as a picture. A CycleGAN
// view gets its own switches (which direction, the lines x → G(x), the round trips), legend and
// the translation's metrics.
import { fmt, percent } from './metrics-readout.js';
import { ScatterView } from './scatter.js';

const OVERLAYS = {
  '2d': [
    ['arrows', 'gradient arrows', 'Arrows −∂L_G/∂x: where the generator loss pushes each generated point. One scale per run, so shrinking arrows mean a vanishing gradient.'],
    ['mesh', 'generator mesh', 'G applied to an even grid of noise values: how the generator warps its input space onto the plane.'],
  ],
  cycle: [
    ['links', 'translation lines', 'A line from each source point to its translation: where the generator moves it.'],
    ['roundTrip', 'round trip', 'Each source point translated and translated back: the cycle-consistency loss pulls these onto the points they came from.'],
  ],
};

const DIRECTIONS = [
  ['xy', 'X → Y: G and D_Y'],
  ['yx', 'Y → X: F and D_X'],
];

// The legend's words in each direction of a CycleGAN view.
const CYCLE_LEGEND = {
  xy: { source: 'x ∈ X (source)', real: 'y ∈ Y (target)', fake: 'G(x)', roundTrip: 'F(G(x)): round trip', heat: 'D_Y' },
  yx: { source: 'y ∈ Y (source)', real: 'x ∈ X (target)', fake: 'F(y)', roundTrip: 'G(F(y)): round trip', heat: 'D_X' },
};

export class DataSpacePanel {
  /** @type {ScatterView} */
  scatter;
  #heatLabel;
  #heatLow;
  #heatHigh;
  #arrowReadout;
  #switches;
  #legend;
  #cycleMetrics;
  /** @type {'2d'|'cycle'|null} whose switches are shown */
  #kind = null;

  /**
   * @param {HTMLElement} panel holds [data-part=scatter] (canvas), [data-part=overlays] (filled
   *   with the switches), [data-heat=label|low|high], [data-part=arrow-readout], the legend's
   *   [data-legend=source|real|fake|round-trip] and [data-part=cycle-metrics]
   */
  constructor(panel) {
    const q = (sel) => panel.querySelector(sel);
    this.scatter = new ScatterView(q('[data-part="scatter"]'));
    this.#heatLabel = q('[data-heat="label"]');
    this.#heatLow = q('[data-heat="low"]');
    this.#heatHigh = q('[data-heat="high"]');
    this.#arrowReadout = q('[data-part="arrow-readout"]');
    this.#switches = q('[data-part="overlays"]');
    this.#legend = Object.fromEntries(['source', 'real', 'fake', 'round-trip'].map((k) => [k, q(`[data-legend="${k}"]`)]));
    this.#cycleMetrics = q('[data-part="cycle-metrics"]');
    this.#showSwitches('2d');
  }

  // The switches of a 2-D GAN's view, or of a CycleGAN view (with its direction).
  #showSwitches(kind) {
    if (kind === this.#kind) return;
    this.#kind = kind;
    const switches = this.#switches;
    switches.replaceChildren();
    if (kind === 'cycle') {
      const label = switches.appendChild(document.createElement('label'));
      label.append('direction ');
      const select = label.appendChild(document.createElement('select'));
      select.name = 'cycle-direction';
      for (const [value, text] of DIRECTIONS) select.append(new Option(text, value, false, value === this.scatter.direction));
      select.addEventListener('change', () => {
        this.scatter.setDirection(/** @type {'xy'|'yx'} */ (select.value));
        this.#showLegend();
      });
    }
    for (const [name, text, help] of OVERLAYS[kind]) {
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

  /** @param {object} view a Playground.view() or CyclePlayground.view() result @param {{newRun: boolean}} info */
  draw(view, info) {
    this.#showSwitches(view.kind === 'cycle' ? 'cycle' : '2d');
    this.scatter.draw(view, info);
    this.#showLegend();
    if (view.kind === 'cycle') this.#cycleMetrics.textContent = cycleMetricsText(view.metrics);
    this.#showArrowReadout();
  }

  // The legend of the view drawn: the heat map's ends, and in a CycleGAN view who is who.
  #showLegend() {
    const view = this.scatter.lastView;
    if (!view) return;
    const cycle = view.kind === 'cycle' ? CYCLE_LEGEND[this.scatter.direction] : null;
    this.#legend.real.textContent = cycle?.real ?? 'real data';
    this.#legend.fake.textContent = cycle?.fake ?? 'generated';
    if (cycle) {
      this.#legend.source.textContent = cycle.source;
      this.#legend['round-trip'].textContent = cycle.roundTrip;
    }
    const critic = view.heatKind === 'critic';
    const d = cycle?.heat;
    this.#heatLabel.textContent = cycle ? `${d}${critic ? ' critic score' : ''}` : critic ? 'critic score' : 'D(x)';
    const scale = this.scatter.heatScale;
    this.#heatLow.textContent = critic ? `${short(-scale)} fake` : '0 fake';
    this.#heatHigh.textContent = critic ? `+${short(scale)} real` : '1 real';
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

/**
 * A CycleGAN view's metrics as one line: how G(X) covers Y's modes (and F(Y) X's), and how far
 * the round trips land from home.
 */
export function cycleMetricsText(m) {
  const parts = [];
  const coverage = (covered, total, quality, what) => {
    if (covered == null || total == null) return;
    parts.push(`${what} covers ${covered}/${total} modes · high quality ${percent(quality)}`);
  };
  coverage(m.modesCovered, m.modesTotal, m.highQuality, 'G(X)');
  coverage(m.sourceModesCovered, m.sourceModesTotal, m.sourceHighQuality, 'F(Y)');
  parts.push(`cycle error |F(G(x)) − x| ${fmt(m.cycleErrorX)} · |G(F(y)) − y| ${fmt(m.cycleErrorY)}`);
  return parts.join(' · ');
}
