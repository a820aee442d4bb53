// Deciding what a requested config change means: rejected (Rust's errors), nothing, a
// learning-rate change applied in place, or a rebuild. Validation itself is Rust's.
import { changedPaths } from './config-paths.js';

// The two settings setLearningRates() takes, in its argument order (configSchema paths).
export const LR_D = 'optimizer_d.lr';
export const LR_G = 'optimizer_g.lr';

/**
 * @param {object} bindings wasm exports (validateConfig)
 * @param {object[]} schema configSchema()
 * @param {object|null} current the config of the current model
 * @param {object|string} input the requested config, object or JSON
 * @returns {{errors: {field: string, message: string}[]} |
 *           {errors: [], config: object, changed: string[], labels: string[], inPlace: boolean}}
 */
export function planConfigChange(bindings, schema, current, input) {
  let config;
  try {
    config = typeof input === 'string' ? JSON.parse(input) : structuredClone(input);
  } catch (e) {
    return { errors: [{ field: '', message: `not valid JSON: ${e.message}` }] };
  }
  const errors = Array.from(bindings.validateConfig(JSON.stringify(config)));
  if (errors.length) return { errors };
  const fields = new Map(schema.map((f) => [f.path, f]));
  const changed = changedPaths(current, config);
  const inPlace =
    current !== null &&
    changed.length > 0 &&
    changed.every((p) => p === LR_D || p === LR_G) &&
    // Rust decides where it exports needsRebuild(); otherwise the schema's rebuild flags do.
    (bindings.needsRebuild
      ? !bindings.needsRebuild(JSON.stringify(current), JSON.stringify(config))
      : changed.every((p) => fields.get(p)?.rebuild === false));
  const labels = changed.map((p) => describe(fields.get(p), schema) ?? p);
  return { errors: [], config, changed, labels, inPlace };
}

// A field's label, prefixed with its group where the label alone is ambiguous ("width").
function describe(field, schema) {
  if (!field) return undefined;
  const shared = schema.filter((f) => f.label === field.label).length > 1;
  return shared ? `${field.group} ${field.label}` : field.label;
}
