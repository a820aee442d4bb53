// Unit tests of web/run/config-paths.js under Node (no browser): merging a stranger's config never
// writes through `__proto__` (issue 20: `<gan-playground config='{"__proto__": …}'>` polluted
// the host page's Object.prototype).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CONFIG_CHARS, MAX_NESTING, lengthProblem, mergeInto, nestingProblem, setPath } from '../../web/run/config-paths.js';

test('mergeInto keeps __proto__, constructor and prototype keys as own fields', () => {
  const target = { train: { batch_size: 64 } };
  const patch = JSON.parse('{"__proto__": {"polluted": 1}, "train": {"__proto__": {"x": 2}}, "constructor": {"prototype": {"y": 3}}}');
  mergeInto(target, patch);
  assert.equal(({}).polluted, undefined, 'Object.prototype untouched');
  assert.equal(({}).x, undefined);
  assert.equal(({}).y, undefined);
  assert.equal(Object.getPrototypeOf(target), Object.prototype);
  // The keys survive as data, so Rust's validation names them ("unknown field `__proto__`").
  const json = JSON.parse(JSON.stringify(target));
  assert.deepEqual(Object.keys(json).sort(), ['__proto__', 'constructor', 'train']);
  assert.equal(json.train.batch_size, 64);
  assert.deepEqual(Object.keys(json.train).sort(), ['__proto__', 'batch_size']);
});

test('mergeInto merges objects key by key and replaces the rest', () => {
  const target = { a: { b: 1, c: 2 }, d: [1] };
  mergeInto(target, { a: { c: 3 }, d: [2, 3] });
  assert.deepEqual(target, { a: { b: 1, c: 3 }, d: [2, 3] });
});

test('setPath never walks into a prototype', () => {
  const obj = {};
  setPath(obj, '__proto__.polluted', 1);
  assert.equal(({}).polluted, undefined);
  assert.equal(JSON.parse(JSON.stringify(obj)).__proto__.polluted, 1);
  setPath(obj, 'optimizer_d.lr', 0.1);
  assert.equal(obj.optimizer_d.lr, 0.1);
});

test('nestingProblem names an input nested deeper than MAX_NESTING, without recursion', () => {
  let deep = 1;
  for (let i = 0; i < 100_000; i++) deep = { a: deep };
  assert.match(nestingProblem(deep), /nested more than 32 levels deep/);
  let array = [1];
  for (let i = 0; i < 40; i++) array = [array];
  assert.match(nestingProblem(array), /more than 32/);
  let ok = 1;
  for (let i = 0; i < MAX_NESTING; i++) ok = { a: ok };
  assert.equal(nestingProblem(ok), null, 'exactly MAX_NESTING levels is fine');
  assert.equal(nestingProblem({ data: { points: [[0, 1], [2, 3]] }, train: { batch_size: 64 } }), null);
  assert.equal(nestingProblem('text'), null);
});

test('lengthProblem names text longer than MAX_CONFIG_CHARS, with both numbers', () => {
  assert.equal(lengthProblem('x'.repeat(MAX_CONFIG_CHARS)), null);
  assert.equal(lengthProblem('x'.repeat(MAX_CONFIG_CHARS + 1)), 'it is 1,000,001 characters long, over the limit of 1,000,000');
});
