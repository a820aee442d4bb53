// Reading, writing and comparing config values by dotted path ("optimizer_d.lr"), the way
// configSchema() names fields.

export function getPath(obj, path) {
  return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), obj);
}

/**
 * Sets `key` on `obj` as an own data property. Plain assignment would follow a key such as
 * `__proto__` to the prototype; a config from an attribute, a link or a file is a stranger's.
 */
function own(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Sets `value` at `path`, creating intermediate objects as needed. Mutates `obj`. */
export function setPath(obj, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  let node = obj;
  for (const key of keys) {
    if (!Object.hasOwn(node, key) || typeof node[key] !== 'object' || node[key] === null) own(node, key, {});
    node = node[key];
  }
  own(node, last, value);
}

/** @returns {string[]} dotted paths of the leaves that differ between two configs */
export function changedPaths(before, after, prefix = '') {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out = [];
  for (const key of keys) {
    const path = prefix ? `${prefix}.${key}` : key;
    const a = before?.[key];
    const b = after?.[key];
    if (isPlainObject(a) && isPlainObject(b)) out.push(...changedPaths(a, b, path));
    else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path);
  }
  return out;
}

function isPlainObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Longer than any config as JSON text (5,000 drawn points, the most a config may hold, take
 * about 200,000 characters): a stranger's input, refused before it is parsed.
 */
export const MAX_CONFIG_CHARS = 1_000_000;

/**
 * Why JSON text cannot be a config's input because it is too long; null when it is not.
 * @param {string} text
 * @returns {string|null}
 */
export function lengthProblem(text) {
  if (text.length <= MAX_CONFIG_CHARS) return null;
  return `it is ${text.length.toLocaleString('en-US')} characters long, over the limit of ${MAX_CONFIG_CHARS.toLocaleString('en-US')}`;
}

/** Deeper than any config (objects of objects of drawn points): a stranger's input, refused. */
export const MAX_NESTING = 32;

/**
 * Why `value` cannot be a config's input because it nests objects and arrays more than
 * MAX_NESTING levels deep; null when it does not. Iterative: a 100,000-level input must get a
 * message, not overflow the stack as structuredClone and any recursive walk would.
 * @param {unknown} value
 * @returns {string|null}
 */
export function nestingProblem(value) {
  /** @type {[unknown, number][]} */
  const stack = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_NESTING) return `it is nested more than ${MAX_NESTING} levels deep (a config has a few levels of objects)`;
    for (const key of Object.keys(v)) stack.push([v[key], depth + 1]);
  }
  return null;
}

/**
 * Merges `patch` into `target` (objects key by key, anything else replaced), as Rust's presets
 * do. Mutates and returns `target`. Only own properties are merged into: a key such as
 * `__proto__` becomes an own field (which Rust then refuses by name), never a write to a prototype.
 */
export function mergeInto(target, patch) {
  for (const [key, value] of Object.entries(patch)) {
    if (isPlainObject(value) && Object.hasOwn(target, key) && isPlainObject(target[key])) mergeInto(target[key], value);
    else own(target, key, structuredClone(value));
  }
  return target;
}

/** @returns {boolean} every leaf of the partial config `patch` equals the value in `config` */
export function containsPatch(config, patch) {
  return Object.entries(patch).every(([key, value]) =>
    isPlainObject(value)
      ? isPlainObject(config?.[key]) && containsPatch(config[key], value)
      : JSON.stringify(config?.[key]) === JSON.stringify(value),
  );
}
