// Hyperparameter form built entirely from configSchema(): one labelled control per field,
// grouped by field.group. It neither knows option lists nor checks values; Rust does both.
import { getPath, setPath } from '../run/config-paths.js';

const RESTART_HINT = 'changing this restarts training (step 0)';
const NEW_D_HINT = 'changing this gives D fresh weights; G keeps training';

export class ConfigForm {
  #fields = new Map(); // path -> {field, input, slider, error, row}
  #onChange;

  /**
   * @param {HTMLElement} container emptied and filled with one <fieldset> per group
   * @param {object[]} schema configSchema() entries
   * @param {() => void} onChange called when the user commits a change to any control
   */
  constructor(container, schema, onChange) {
    this.#onChange = onChange;
    container.replaceChildren();
    const groups = new Map();
    for (const field of schema) {
      if (!groups.has(field.group)) {
        const set = container.appendChild(document.createElement('fieldset'));
        set.appendChild(document.createElement('legend')).textContent = field.group;
        groups.set(field.group, set);
      }
      groups.get(field.group).appendChild(this.#row(field));
    }
  }

  /** Shows the values of `config` in the controls and clears field errors. */
  setValues(config) {
    for (const [path, f] of this.#fields) {
      // A section the config leaves out (a GAN from noise has no `cycle`) shows its defaults.
      const given = getPath(config, path);
      const value = given === undefined ? f.field.default : given;
      if (f.field.kind === 'bool') f.input.checked = value === true;
      // An enum's null is the option the schema names for it (cycle.source's "off").
      else f.input.value = value == null ? (f.field.null_option ?? '') : String(value);
      if (f.slider) f.slider.value = String(toSlider(f.field, value));
    }
    this.showErrors([]); // also shows or hides the `when` fields for these values
  }

  /** @returns {object} a copy of `base` with every control's value written at its path */
  collect(base) {
    const config = structuredClone(base);
    for (const [path, { field, input }] of this.#fields) {
      if (field.kind === 'enum') setPath(config, path, input.value);
      else if (field.kind === 'bool') setPath(config, path, input.checked);
      // An empty box becomes null; Rust's validation says what is wrong with it.
      else setPath(config, path, input.value.trim() === '' ? null : Number(input.value));
    }
    return config;
  }

  /** Marks the controls named in Rust's `{field, message}` errors; clears the others. */
  showErrors(errors) {
    const byPath = new Map(errors.map((e) => [e.field, e.message]));
    for (const [path, f] of this.#fields) {
      const message = byPath.get(path);
      f.row.classList.toggle('invalid', Boolean(message));
      f.input.setAttribute('aria-invalid', String(Boolean(message)));
      f.error.textContent = message ?? '';
      f.error.hidden = !message;
    }
    this.#applyConditions();
  }

  // Hides the fields whose `when` condition the controls' current values do not meet (WGAN's
  // clip only under wgan, …), so the form shows only what the chosen setup uses. A field with
  // an error stays visible, so its message can be read.
  #applyConditions() {
    for (const { field, row } of this.#fields.values()) {
      if (!field.when) continue;
      const controller = this.#fields.get(field.when.path);
      const value = controller ? valueOf(controller) : undefined;
      row.hidden = !field.when.values.map(String).includes(String(value)) && !row.classList.contains('invalid');
    }
  }

  #row(field) {
    const id = `cfg-${field.path}`;
    const row = document.createElement('div');
    row.className = `field ${field.kind}`;
    row.dataset.path = field.path;
    const label = row.appendChild(document.createElement('label'));
    label.htmlFor = id;
    label.textContent = field.label;
    const hint = field.rebuild ? RESTART_HINT : field.resets_discriminator ? NEW_D_HINT : '';
    if (hint) {
      const mark = label.appendChild(document.createElement('span'));
      mark.className = 'rebuild';
      mark.textContent = field.rebuild ? ' ↻' : ' ↻D';
      mark.title = hint;
      mark.setAttribute('aria-hidden', 'true'); // the symbol is for the eye; screen readers get the words
      const spoken = label.appendChild(document.createElement('span'));
      spoken.className = 'visually-hidden';
      spoken.textContent = ` (${hint})`;
    }
    const inputs = row.appendChild(document.createElement('div'));
    inputs.className = 'inputs';
    const { input, slider } =
      field.kind === 'enum' ? { input: select(field) } : field.kind === 'bool' ? { input: checkbox() } : numberInputs(field);
    input.id = id;
    if (slider) inputs.appendChild(slider);
    inputs.appendChild(input);
    if (field.help) {
      const help = row.appendChild(document.createElement('small'));
      help.className = 'help';
      help.id = `${id}-help`;
      help.textContent = field.help;
      input.setAttribute('aria-describedby', help.id);
    }
    row.title = [field.help, hint].filter(Boolean).join('; ');
    const error = row.appendChild(document.createElement('div'));
    error.className = 'field-error';
    error.hidden = true;

    input.addEventListener('change', () => {
      if (slider) slider.value = String(toSlider(field, Number(input.value)));
      this.#applyConditions();
      this.#onChange();
    });
    slider?.addEventListener('input', () => (input.value = String(fromSlider(field, slider.valueAsNumber))));
    slider?.addEventListener('change', () => this.#onChange());
    this.#fields.set(field.path, { field, input, slider, error, row });
    return row;
  }
}

function valueOf({ field, input }) {
  return field.kind === 'bool' ? input.checked : input.value;
}

function checkbox() {
  const el = document.createElement('input');
  el.type = 'checkbox';
  return el;
}

function select(field) {
  const el = document.createElement('select');
  for (const option of field.options ?? []) {
    el.appendChild(document.createElement('option')).textContent = option;
  }
  return el;
}

function numberInputs(field) {
  const input = document.createElement('input');
  input.type = 'number';
  if (field.min != null) input.min = String(field.min);
  if (field.max != null) input.max = String(field.max);
  input.step = field.step != null ? String(field.step) : field.kind === 'int' ? '1' : 'any';
  // A slider needs both ends, a log slider a positive lower end, and an integer slider a
  // range a pointer can resolve (not a seed's 0 … 2³²).
  const bounded = field.min != null && field.max != null && field.max > field.min;
  const usable = field.log ? field.min > 0 : field.kind !== 'int' || (field.max - field.min) / (field.step || 1) <= 10_000;
  if (!bounded || !usable) return { input };
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.tabIndex = -1; // the number box is the keyboard-accessible control
  slider.setAttribute('aria-hidden', 'true');
  slider.min = String(toSlider(field, field.min));
  slider.max = String(toSlider(field, field.max));
  slider.step = field.log ? 'any' : input.step;
  return { input, slider };
}

function toSlider(field, value) {
  if (value == null || !Number.isFinite(Number(value))) return field.log ? Math.log10(field.min) : field.min;
  return field.log ? Math.log10(Math.max(Number(value), field.min)) : Number(value);
}

function fromSlider(field, position) {
  const raw = field.log ? 10 ** position : position;
  if (field.kind === 'int') return Math.round(raw);
  if (!field.log && field.step != null) return raw; // already on the field's own grid
  // Three significant digits: a free slider otherwise yields values like 0.000316227766.
  return Number(raw.toPrecision(3));
}
