// Controls for how training advances and what leaves the page: which network(s) each step
// updates, slow motion (one update at a time, with a label naming the network that just moved),
// and the exports (samples as CSV and PNG, the loss history as CSV). Pure UI: the element owns
// the behaviour.

const MODES = [
  ['both', 'both'],
  ['d', 'D only'],
  ['g', 'G only'],
];
const MOVED = { d: 'D just moved (G held still)', g: 'G just moved (D held still)' };

export class RunModeControls {
  #mode;
  #slow;
  #moved;

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {{setStepMode(mode: string): void, setSlowMotion(on: boolean): void, exportSamples(): void,
   *   exportLosses(): void, exportImage(): void}} actions
   */
  constructor(container, actions) {
    container.replaceChildren();
    const train = container.appendChild(document.createElement('label'));
    train.className = 'labelled';
    train.title = 'Which network each training step updates';
    train.append('Train: ');
    this.#mode = train.appendChild(document.createElement('select'));
    this.#mode.name = 'step-mode';
    for (const [value, text] of MODES) {
      Object.assign(this.#mode.appendChild(document.createElement('option')), { value, textContent: text });
    }
    this.#mode.addEventListener('change', () => actions.setStepMode(this.#mode.value));

    const slow = container.appendChild(document.createElement('label'));
    slow.className = 'labelled';
    slow.title = 'While playing: one update at a time (D, then G), each shown for half a second';
    this.#slow = slow.appendChild(document.createElement('input'));
    Object.assign(this.#slow, { type: 'checkbox', name: 'slow-motion' });
    slow.append('slow motion');
    this.#slow.addEventListener('change', () => actions.setSlowMotion(this.#slow.checked));

    this.#moved = container.appendChild(document.createElement('span'));
    this.#moved.className = 'moved';
    this.#moved.dataset.part = 'moved';
    this.#moved.setAttribute('role', 'status');
    this.#moved.hidden = true;

    const csv = container.appendChild(document.createElement('button'));
    Object.assign(csv, { type: 'button', name: 'export-csv', textContent: 'Export samples (CSV)' });
    csv.title = '2,500 fresh generated points as x,y rows';
    csv.dataset.mode = '2d'; // the digit GAN has no points to export
    csv.addEventListener('click', () => actions.exportSamples());

    const losses = container.appendChild(document.createElement('button'));
    Object.assign(losses, { type: 'button', name: 'export-losses', textContent: 'Export losses (CSV)' });
    losses.title = 'Every step so far: D loss, G loss, V(D,G) and the gradient norm reaching G';
    losses.addEventListener('click', () => actions.exportLosses());

    const image = container.appendChild(document.createElement('button'));
    Object.assign(image, { type: 'button', name: 'export-png', textContent: 'Export image (PNG)' });
    image.title = 'The samples as drawn: the data-space plot, or the grid of generated digits';
    image.addEventListener('click', () => actions.exportImage());
  }

  setStepMode(mode) {
    this.#mode.value = mode;
  }

  setSlowMotion(on) {
    this.#slow.checked = on;
    if (!on) this.showMoved(null);
  }

  /** @param {'d'|'g'|null} network the one the last slow-motion update moved; null hides the label */
  showMoved(network) {
    this.#moved.hidden = !network;
    this.#moved.dataset.network = network ?? '';
    this.#moved.textContent = network ? MOVED[network] : '';
  }
}
