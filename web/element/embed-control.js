// What a page author sets on <gan-playground>, applied: the attributes that describe the run
// (at load, from a shared link first, and again when one changes), those that shape the element
// (controls, views, height, theme, steps), and the share link / embed code buttons. Invalid
// attribute values are gathered into one message in the element.
import { messageOf } from './banner.js';
import { CONTROLS, VIEWS, configFromAttributes, presentationFromAttributes } from './embed-attributes.js';
import { embedCode, hashKey, readShared, shareUrl } from './share-link.js';

const PRESENTATION = ['controls', 'views', 'height', 'theme', 'steps'];

export class EmbedControl {
  /** Playing stops at this step (the `steps` attribute); Infinity: never. */
  stepsLimit = Infinity;
  #el;
  #ui;
  #run;
  #trainer;
  #bindings = null;
  #problems = { config: [], presentation: [] };

  /**
   * @param {HTMLElement} el the <gan-playground>
   * @param {{ui: object, run: import('../run/run-control.js').RunControl, trainer: import('../run/trainer.js').Trainer}} deps
   */
  constructor(el, { ui, run, trainer }) {
    this.#el = el;
    this.#ui = ui;
    this.#run = run;
    this.#trainer = trainer;
    ui.shareRoot.querySelector('[name="share"]').addEventListener('click', () => this.#copy('link', this.shareLink()));
    ui.shareRoot.querySelector('[name="embed-code"]').addEventListener('click', () => this.#copy('embed code', this.embedCode()));
    this.#present();
  }

  /** The engine has loaded: the first run is the shared link's setup, else the attributes'. */
  loaded(bindings) {
    this.#bindings = bindings;
    const { config, presetId } = this.#fromAttributes();
    let chosen = config;
    const shared = readShared(hashKey(this.#el));
    if (shared?.error) this.#problems.config.push(shared.error);
    if (shared?.config) {
      const errors = Array.from(bindings.validateConfig(JSON.stringify(shared.config)));
      if (errors.length) this.#problems.config.push(`The shared link's setup is not valid here (${errors[0].field}: ${errors[0].message}); using the page's.`);
      else chosen = shared.config;
    }
    this.showProblems();
    this.#run.config = chosen;
    this.#run.presetId = chosen === config ? presetId : null;
  }

  /** An observed attribute (other than `backend`) changed. */
  changed(name) {
    if (PRESENTATION.includes(name)) return this.#present();
    // Before the engine has loaded, loaded() reads the attributes itself.
    if (!this.#bindings) return;
    if (name === 'pretrained') {
      const which = this.pretrainedAsked();
      if (which) this.#run.loadPretrained(which);
      return;
    }
    const { config, presetId } = this.#fromAttributes();
    this.showProblems();
    this.#run.applyAttributes(config, presetId).catch((e) => this.#ui.banner.showError(messageOf(e)));
  }

  /**
   * Which shipped run the `pretrained` attribute asks for: "digits" (present, empty, "digits",
   * "dcgan"), "stylegan", "cyclegan", or null (absent, or invalid: then its message is shown).
   * @returns {'digits'|'stylegan'|'cyclegan'|null}
   */
  pretrainedAsked() {
    const value = this.#el.getAttribute('pretrained');
    if (value === null) return null;
    const v = value.trim().toLowerCase();
    if (['', 'digits', 'dcgan', 'true'].includes(v)) return 'digits';
    if (v === 'stylegan' || v === 'cyclegan') return v;
    this.#problems.config.push(`pretrained="${value}": the shipped checkpoints are "digits" (DCGAN), "stylegan" and "cyclegan" (the digit translator).`);
    this.showProblems();
    return null;
  }

  /** @returns {string} this page's URL with the current setup (config and seed) in its hash */
  shareLink() {
    return shareUrl(hashKey(this.#el), this.#run.config ?? {});
  }

  /** @returns {string} the HTML that embeds the current setup in another page */
  embedCode() {
    const preset = this.#run.presets.find((p) => p.id === this.#run.presetId) ?? null;
    const defaults = this.#bindings ? JSON.parse(this.#bindings.defaultConfig()) : {};
    return embedCode(this.#run.config ?? defaults, { defaults, preset });
  }

  // The run the attributes describe; their problems replace the last ones.
  #fromAttributes() {
    const bindings = this.#bindings;
    const { config, presetId, problems } = configFromAttributes(this.#el, {
      defaults: JSON.parse(bindings.defaultConfig()),
      presets: this.#run.presets,
      schema: this.#run.schema,
      validate: (json) => Array.from(bindings.validateConfig(json)),
    });
    this.#problems.config = problems;
    return { config, presetId };
  }

  // controls, views, height, theme and steps: shown at once, no model needed.
  #present() {
    const { controls, views, height, theme, steps, problems } = presentationFromAttributes(this.#el);
    const off = new Set();
    for (const [name, parts] of Object.entries(CONTROLS)) if (!controls.has(name)) parts.forEach((p) => off.add(p));
    for (const [name, parts] of Object.entries(VIEWS)) if (!views.has(name)) parts.forEach((p) => off.add(p));
    this.#ui.showParts(off);
    const frame = this.#ui.frame;
    frame.dataset.theme = theme;
    if (height) {
      frame.dataset.height = height;
      frame.style.maxHeight = height; // CSSOM, not a style attribute: CSP-safe
    } else {
      delete frame.dataset.height;
      frame.style.removeProperty('max-height');
    }
    this.stepsLimit = steps ?? Infinity;
    this.#trainer.stopAt = this.stepsLimit;
    this.#problems.presentation = problems;
    this.showProblems();
  }

  /** Shows the attributes' and the shared link's problems (again: a new model clears the banner). */
  showProblems() {
    const all = [...this.#problems.presentation, ...this.#problems.config];
    if (all.length) this.#ui.banner.showError(`Some attributes were not applied: ${all.join(' ')}`);
    else if (this.#ui.banner.errorText.startsWith('Some attributes')) this.#ui.banner.clearError();
  }

  // Copies text to the clipboard where the page may; shows it in a field to copy by hand as well.
  async #copy(what, text) {
    const field = this.#ui.shareRoot.querySelector('[name="share-text"]');
    field.value = text;
    field.hidden = false;
    field.select();
    const copied = await navigator.clipboard?.writeText(text).then(() => true, () => false);
    this.#ui.banner.notice(copied ? `Copied the ${what}.` : `Copy the ${what} from the field below the buttons.`);
  }
}
