// Deciding what a requested config change is before it is applied: rejected (Rust's errors),
// nothing, or a list of changed settings for the messages. Which networks a change rebuilds is
// decided by Rust's Playground.reconfigure(), not here.
import { changedPaths, mergeInto, nestingProblem } from './config-paths.js';

/**
 * @param {object} bindings wasm exports (validateConfig)
 * @param {object[]} schema configSchema()
 * @param {object|null} current the config of the current model
 * @param {object|string} input the requested config, object or JSON; fields it leaves out keep
 *   their current values
 * @returns {{errors: {field: string, message: string}[], config?: object, changed?: string[],
 *   labels?: string[]}} errors, or (none and) the merged config, its changed paths and their labels
 */
export function planConfigChange(bindings, schema, current, input) {
  let config;
  try {
    config = typeof input === 'string' ? JSON.parse(input) : input;
  } catch (e) {
    const why = e instanceof RangeError ? 'it is nested too deeply to read' : e.message;
    return { errors: [{ field: '', message: `not valid JSON: ${why}` }] };
  }
  const tooDeep = nestingProblem(config);
  if (tooDeep) return { errors: [{ field: '', message: `not a config: ${tooDeep}` }] };
  try {
    config = structuredClone(config);
  } catch (e) {
    return { errors: [{ field: '', message: `not a config: ${e.message}` }] };
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return { errors: [{ field: '', message: 'must be a JSON object, e.g. {"seed": 2}' }] };
  }
  // A partial input changes only the fields it names (Rust would fill the rest from the
  // defaults, undoing the user's other settings).
  if (current) config = mergeInto(structuredClone(current), config);
  const errors = Array.from(bindings.validateConfig(JSON.stringify(config)));
  if (errors.length) return { errors };
  const changed = changedPaths(current, config);
  const fields = new Map(schema.map((f) => [f.path, f]));
  const labels = changed.map((p) => describe(fields.get(p), schema) ?? p);
  return { errors: [], config, changed, labels };
}

// A field's label, prefixed with its group where the label alone is ambiguous ("width").
function describe(field, schema) {
  if (!field) return undefined;
  const shared = schema.filter((f) => f.label === field.label).length > 1;
  return shared ? `${field.group} ${field.label}` : field.label;
}
