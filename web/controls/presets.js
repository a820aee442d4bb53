// The preset menu: Rust's presets() (milestone papers and failure demos) as a <select>, and the
// chosen one's summary, which says what to watch for. Choosing one is the element's business.

export class PresetPicker {
  #select;
  #summary;
  #presets;

  /**
   * @param {HTMLElement} container emptied and filled with the menu and the summary
   * @param {{id: string, title: string, year: number, summary: string}[]} presets presets()
   * @param {(id: string) => void} onSelect called when the user picks a preset
   */
  constructor(container, presets, onSelect) {
    this.#presets = new Map(presets.map((p) => [p.id, p]));
    container.replaceChildren();
    const row = container.appendChild(document.createElement('div'));
    row.className = 'labelled';
    const label = row.appendChild(document.createElement('label'));
    Object.assign(label, { htmlFor: 'preset', textContent: 'Preset' });
    this.#select = row.appendChild(document.createElement('select'));
    this.#select.id = 'preset';
    this.#select.name = 'preset';
    this.#select.title = 'Loads the preset’s full configuration and restarts training';
    const none = this.#select.appendChild(document.createElement('option'));
    Object.assign(none, { value: '', textContent: 'Choose a paper or a failure demo…', disabled: true });
    for (const p of presets) {
      const option = this.#select.appendChild(document.createElement('option'));
      Object.assign(option, { value: p.id, textContent: `${p.title} (${p.year})` });
    }
    this.#summary = container.appendChild(document.createElement('p'));
    this.#summary.className = 'preset-summary';
    this.#summary.setAttribute('aria-live', 'polite');
    this.#select.addEventListener('change', () => onSelect(this.#select.value));
    this.show(null);
  }

  /** Shows preset `id` as chosen, with its summary; null: none chosen. */
  show(id) {
    const preset = id == null ? undefined : this.#presets.get(id);
    this.#select.value = preset ? preset.id : '';
    this.#summary.textContent = preset?.summary ?? '';
    this.#summary.hidden = !preset;
  }
}
