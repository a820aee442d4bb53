// Unit tests of the stabilizer chips' state under Node (no browser): a chip whose trick the config
// uses at another strength than the chip's own (a preset's packing 8, R1 γ = 0.1) shows on, with
// the value, and a click switches it off rather than to the chip's strength.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chipState, togglePatch } from '../../web/controls/chips.js';

const packing = { id: 'packing', on: { stabilizers: { packing: 4 } }, off: { stabilizers: { packing: 1 } } };
const ttur = {
  id: 'ttur',
  on: { optimizer_d: { lr: 4e-4 }, optimizer_g: { lr: 1e-4 } },
  off: { optimizer_d: { lr: 1e-3 }, optimizer_g: { lr: 5e-4 } },
};
const config = (stabilizers, lrs = [1e-3, 5e-4]) => ({
  stabilizers: { packing: 1, ...stabilizers },
  optimizer_d: { lr: lrs[0] },
  optimizer_g: { lr: lrs[1] },
});

test("a one-field chip is on at its own value, on with the value at another, off at its off value", () => {
  assert.deepEqual(chipState(config({ packing: 4 }), packing), { on: true });
  assert.deepEqual(chipState(config({ packing: 8 }), packing), { on: true, value: 8 });
  assert.deepEqual(chipState(config({}), packing), { on: false });
  assert.deepEqual(chipState({}, packing), { on: false }, 'a config without the field');
});

test('a click on a chip that is on at another value switches the trick off', () => {
  assert.deepEqual(togglePatch(config({ packing: 8 }), packing), packing.off);
  assert.deepEqual(togglePatch(config({ packing: 4 }), packing), packing.off);
  assert.deepEqual(togglePatch(config({}), packing), packing.on);
});

test('a chip of several fields is on only at its own values', () => {
  assert.deepEqual(chipState(config({}, [4e-4, 1e-4]), ttur), { on: true });
  assert.deepEqual(chipState(config({}, [2e-3, 1e-4]), ttur), { on: false });
  assert.deepEqual(togglePatch(config({}, [2e-3, 1e-4]), ttur), ttur.on);
});

test('a value measured in another unit shows it, and the chip switches back to its own units', () => {
  const r1 = {
    id: 'gradient_penalty',
    on: { stabilizers: { gradient_penalty: 1, gradient_penalty_units: 'absolute' } },
    off: { stabilizers: { gradient_penalty: 0, gradient_penalty_units: 'absolute' } },
    value_units: { 'stabilizers.gradient_penalty_units': { data_variance: '·σ²' } },
  };
  const r1Config = (gamma, units) => ({ stabilizers: { gradient_penalty: gamma, gradient_penalty_units: units } });
  assert.deepEqual(chipState(r1Config(1, 'absolute'), r1), { on: true });
  assert.deepEqual(chipState(r1Config(0.1, 'absolute'), r1), { on: true, value: 0.1 });
  assert.deepEqual(chipState(r1Config(1, 'data_variance'), r1), { on: true, value: 1, unit: '·σ²' });
  assert.deepEqual(chipState(r1Config(0, 'data_variance'), r1), { on: false });
  assert.deepEqual(togglePatch(r1Config(1, 'data_variance'), r1), r1.off);
});
