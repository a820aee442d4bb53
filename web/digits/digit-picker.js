// Which digit a conditional generator draws: 0–9, or "all" (each sample its own class). Shown
// only while the run is conditional; the choice goes to view, interpolate and walk.

export class DigitPicker {
  #root;
  #buttons = new Map(); // digit (null = all) -> button
  #digit = null;

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {(digit: number|null) => void} onPick called when the user picks one
   */
  constructor(container, onPick) {
    this.#root = container;
    container.replaceChildren();
    container.setAttribute('role', 'group');
    container.setAttribute('aria-label', 'Digit the conditional generator draws');
    container.appendChild(document.createElement('span')).textContent = 'Ask G for:';
    for (const digit of [null, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      const button = container.appendChild(document.createElement('button'));
      Object.assign(button, { type: 'button', textContent: digit == null ? 'all' : String(digit) });
      button.dataset.digit = digit == null ? 'all' : String(digit);
      button.addEventListener('click', () => {
        this.#select(digit);
        onPick(digit);
      });
      this.#buttons.set(digit, button);
    }
    this.#select(null);
    this.setVisible(false);
  }

  /** @returns {number|null} the chosen digit, null for all */
  get digit() {
    return this.#digit;
  }

  setVisible(on) {
    this.#root.hidden = !on;
  }

  #select(digit) {
    this.#digit = digit;
    for (const [d, button] of this.#buttons) button.setAttribute('aria-pressed', String(d === digit));
  }
}
