// Deciding what a requested config change is before it is applied: rejected (Rust's errors),
// nothing, or a list of changed settings for the messages. Which networks a change rebuilds is
// decided by Rust's Playground.reconfigure(), not here.
import { lengthProblem, nestingProblem } from './config-paths.js';

/**
 * @param {object} bindings wasm exports (validateConfig, planChange)
 * @param {object|null} current the config of the current model
 * @param {object|string} input the requested config, object or JSON; fields it leaves out keep
 *   their current values
 * @returns {{errors: {field: string, message: string}[], config?: object, changed?: string[],
 *   labels?: string[]}} errors, or (none and) the merged config, its changed paths and their labels
 */
export function planConfigChange(bindings, current, input) {
  let config;
  const tooLong = typeof input === 'string' && lengthProblem(input);
  if (tooLong) return { errors: [{ field: '', message: `not a config: ${tooLong}` }] };
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
  let text;
  try {
    text = JSON.stringify(config);
  } catch (e) {
    return { errors: [{ field: '', message: `not a config: ${e.message}` }] }; // a cycle, a BigInt
  }
  const objectTooLong = lengthProblem(text);
  if (objectTooLong) return { errors: [{ field: '', message: `not a config: ${objectTooLong}` }] };
  // No model yet: the whole config is checked. Else Rust plans the change in one call: the
  // input merged over the current config (fields it leaves out keep their values), validated,
  // with what changes (paths and labels) and what that rebuilds.
  if (!current) {
    const errors = Array.from(bindings.validateConfig(text));
    return errors.length ? { errors } : { errors: [], config, changed: [], labels: [] };
  }
  const plan = bindings.planChange(JSON.stringify(current), text);
  if (plan.errors.length) return { errors: Array.from(plan.errors) };
  return { errors: [], config: JSON.parse(plan.config), changed: Array.from(plan.changed), labels: Array.from(plan.labels) };
}
