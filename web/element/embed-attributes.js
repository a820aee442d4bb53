// What <gan-playground>'s attributes ask for, read and checked in one place: the run's config
// (preset, config, one attribute per common setting), which controls and views show, and the
// presentation (height, theme). Each invalid value is named in a message and left out: the rest
// of the attributes still apply, and what is left out takes its default.
import { lengthProblem, mergeInto, nestingProblem, setPath } from '../run/config-paths.js';

/** One attribute per common setting: attribute name → config path. */
export const SETTING_ATTRIBUTES = {
  loss: 'objective.kind',
  dataset: 'data.dataset',
  'lr-d': 'optimizer_d.lr',
  'lr-g': 'optimizer_g.lr',
  'd-steps': 'train.d_steps',
  'batch-size': 'train.batch_size',
  seed: 'seed',
};

/** Control groups, by the shadow-DOM parts that hold them. */
export const CONTROLS = {
  toolbar: ['toolbar'],
  'run-modes': ['run-modes'],
  presets: ['presets'],
  checkpoints: ['checkpoints'],
  stabilizers: ['stabilizers'],
  settings: ['settings'],
  share: ['share'],
};
const CONTROL_SETS = {
  all: Object.keys(CONTROLS),
  minimal: ['toolbar'],
  none: [],
};

/** Views (panels and plots), by the parts that hold them. */
export const VIEWS = {
  'data-space': ['data-space'],
  dstar: ['dstar-panel'],
  losses: ['losses'],
  theory: ['theory'],
  likelihood: ['likelihood'],
};

export const THEMES = ['light', 'dark', 'auto'];

/** Every attribute this module reads (the element observes them). */
export const OBSERVED = ['preset', 'config', 'controls', 'views', 'height', 'theme', 'steps', 'pretrained', ...Object.keys(SETTING_ATTRIBUTES)];

/**
 * The config the attributes describe: the preset's (or the default), with the `config`
 * attribute's fields, then each setting attribute, applied on top.
 * @param {Element} el
 * @param {{defaults: object, presets: {id: string, config: object}[], schema: object[],
 *   validate: (json: string) => {field: string, message: string}[]}} engine
 * @returns {{config: object, presetId: string|null, problems: string[]}}
 */
export function configFromAttributes(el, { defaults, presets, schema, validate }) {
  const problems = [];
  let config = structuredClone(defaults);
  let presetId = null;
  const preset = el.getAttribute('preset');
  if (preset !== null) {
    const found = presets.find((p) => p.id === preset);
    if (found) {
      config = structuredClone(found.config);
      presetId = found.id;
    } else {
      problems.push(`preset="${preset}" is not a preset (${presets.map((p) => p.id).join(', ')}).`);
    }
  }
  // Each layer is kept only if the config stays valid with it.
  const layer = (what, patch) => {
    const next = mergeInto(structuredClone(config), patch);
    const errors = validate(JSON.stringify(next));
    if (errors.length === 0) return (config = next);
    problems.push(`${what}: ${errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ')}.`);
  };
  const inline = el.getAttribute('config');
  if (inline !== null) {
    const patch = parseConfigAttribute(inline, problems);
    if (patch) layer('config', patch);
  }
  const fields = new Map(schema.map((f) => [f.path, f]));
  for (const [name, path] of Object.entries(SETTING_ATTRIBUTES)) {
    const raw = el.getAttribute(name);
    if (raw === null) continue;
    const value = parseSetting(raw, fields.get(path));
    if (value === undefined) {
      problems.push(`${name}="${raw}": ${accepted(fields.get(path))}.`);
      continue;
    }
    const patch = {};
    setPath(patch, path, value);
    layer(`${name}="${raw}"`, patch);
  }
  return { config, presetId, problems };
}

// A setting's value from its attribute text by the schema's kind; undefined when it is not one.
function parseSetting(raw, field) {
  if (!field) return undefined;
  const text = raw.trim();
  if (field.kind === 'enum') return field.options.includes(text) ? text : undefined;
  if (field.kind === 'bool') return text === 'true' ? true : text === 'false' ? false : undefined;
  if (text === '' || !Number.isFinite(Number(text))) return undefined;
  const value = Number(text);
  return field.kind === 'int' && !Number.isInteger(value) ? undefined : value;
}

function accepted(field) {
  if (!field) return 'not a setting';
  if (field.kind === 'enum') return `use one of ${field.options.join(', ')}`;
  if (field.kind === 'bool') return 'use true or false';
  const what = field.kind === 'int' ? 'an integer' : 'a number';
  return field.min != null && field.max != null ? `use ${what} from ${field.min} to ${field.max}` : `use ${what}`;
}

/**
 * The presentation attributes: which control groups and views show, the height and the theme.
 * @returns {{controls: Set<string>, views: Set<string>, height: string|null, theme: string,
 *   steps: number|null, problems: string[]}}
 */
export function presentationFromAttributes(el) {
  const problems = [];
  const list = (name, known, sets) => {
    const raw = el.getAttribute(name);
    const all = Object.keys(known);
    if (raw === null || raw.trim() === '') return new Set(all);
    const text = raw.trim().toLowerCase();
    if (sets?.[text]) return new Set(sets[text]);
    const items = text.split(/[\s,]+/);
    const unknown = items.filter((i) => !all.includes(i));
    if (unknown.length) {
      const named = sets ? `${Object.keys(sets).join(', ')}, or a list of ` : 'a list of ';
      problems.push(`${name}="${raw}": unknown ${unknown.map((u) => `"${u}"`).join(', ')}; use ${named}${all.join(', ')}.`);
      return new Set(all);
    }
    return new Set(items);
  };
  const controls = list('controls', CONTROLS, CONTROL_SETS);
  const views = list('views', VIEWS, null);
  let height = el.getAttribute('height');
  if (height !== null) {
    const css = /^\d+(\.\d+)?$/.test(height.trim()) ? `${height.trim()}px` : height.trim();
    if (CSS.supports('height', css)) height = css;
    else {
      problems.push(`height="${height}": use a CSS length such as 640px or 80vh.`);
      height = null;
    }
  }
  let theme = (el.getAttribute('theme') ?? 'light').trim().toLowerCase();
  if (!THEMES.includes(theme)) {
    problems.push(`theme="${el.getAttribute('theme')}": use light, dark or auto.`);
    theme = 'light';
  }
  let steps = el.getAttribute('steps');
  if (steps !== null) {
    const n = Number(steps.trim());
    if (Number.isInteger(n) && n >= 1) steps = n;
    else {
      problems.push(`steps="${el.getAttribute('steps')}": use a whole number of steps, 1 or more.`);
      steps = null;
    }
  }
  return { controls, views, height, theme, steps, problems };
}

/**
 * The `config` attribute's object, or null with its problem pushed: too long, not JSON, nested
 * too deeply, or not an object (`null`, an array, a string).
 * @param {string} text
 * @param {string[]} problems
 * @returns {object|null}
 */
function parseConfigAttribute(text, problems) {
  const tooLong = lengthProblem(text);
  if (tooLong) {
    problems.push(`config is not applied: ${tooLong}.`);
    return null;
  }
  let patch;
  try {
    patch = JSON.parse(text);
  } catch (e) {
    problems.push(`config is not valid JSON (${e instanceof RangeError ? 'nested too deeply to read' : e.message}).`);
    return null;
  }
  const tooDeep = nestingProblem(patch);
  if (tooDeep) {
    problems.push(`config is not applied: ${tooDeep}.`);
    return null;
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    problems.push('config must be a JSON object, e.g. {"seed": 2}.');
    return null;
  }
  return patch;
}
