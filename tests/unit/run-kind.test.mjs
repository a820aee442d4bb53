// Which wasm class a config needs, and what a dataset change from the form loads instead
// (web/run/run-kind.js, web/digits/digit-mode.js). Plain node: no browser needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runKind } from '../../web/run/run-kind.js';
import { datasetSwitch } from '../../web/digits/digit-mode.js';

const config = (dataset, source = null) => ({ data: { dataset, points: [], std: 0.05 }, cycle: { source } });
const rust = { defaults: config('ring8'), presets: [{ id: 'dcgan_mnist', title: 'DCGAN' }, { id: 'cyclegan_mnist', title: 'CycleGAN: thin digits → thick digits' }] };

test('runKind routes every kind of run to its class', () => {
  assert.equal(runKind(config('ring8')), '2d');
  assert.equal(runKind(config('ring8', 'two_moons')), 'cycle');
  assert.equal(runKind(config('mnist')), 'digits');
  assert.equal(runKind(config('mnist_thick', 'mnist')), 'digit-cycle');
  assert.equal(runKind(config('mnist', 'mnist_thick')), 'digit-cycle');
});

test('datasetSwitch loads the preset a digit choice needs, and the defaults for 2-D data', () => {
  const toTranslator = datasetSwitch(config('ring8'), config('mnist_thick'), rust);
  assert.equal(toTranslator.preset, 'cyclegan_mnist');
  assert.match(toTranslator.message, /Translating digits needs the translator networks/);
  assert.equal(datasetSwitch(config('ring8'), config('ring8', 'mnist'), rust).preset, 'cyclegan_mnist');
  assert.equal(datasetSwitch(config('ring8'), config('mnist'), rust).preset, 'dcgan_mnist');
  assert.equal(datasetSwitch(config('mnist'), config('mnist_thick'), rust).preset, 'cyclegan_mnist');
  // The translator with its source switched off is a digit GAN: its preset.
  assert.equal(datasetSwitch(config('mnist_thick', 'mnist'), config('mnist_thick'), rust).preset, 'dcgan_mnist');
  const back = datasetSwitch(config('mnist_thick', 'mnist'), config('spiral', 'mnist'), rust);
  assert.equal(back.config.data.dataset, 'spiral');
  // Changes within one kind apply as they are (Rust names what is wrong).
  assert.equal(datasetSwitch(config('mnist_thick', 'mnist'), config('mnist', 'mnist'), rust), null);
  assert.equal(datasetSwitch(config('ring8'), config('spiral'), rust), null);
});
