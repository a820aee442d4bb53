// Which kind of run a config describes, so the page builds the wasm class that trains it and
// shows that kind's panels: a 2-D GAN from noise ('2d', Playground), a CycleGAN translation
// between two 2-D datasets ('cycle', CyclePlayground: cycle.source is set), the digit GAN
// ('digits', DigitPlayground) or a CycleGAN between digit domains ('digit-cycle',
// DigitCyclePlayground). Routing only: Rust validates the config itself.
import { isDigitConfig } from '../digits/digit-mode.js';

/** @returns {boolean} whether `config` is a CycleGAN translation run (cycle.source set) */
export function isCycleConfig(config) {
  return config?.cycle?.source != null;
}

/** @returns {'2d'|'cycle'|'digits'|'digit-cycle'} */
export function runKind(config) {
  if (isDigitConfig(config)) return isCycleConfig(config) ? 'digit-cycle' : 'digits';
  return isCycleConfig(config) ? 'cycle' : '2d';
}

/**
 * A complete config (a preset's, the one the attributes describe) as a change over any current
 * run: it states that cycle.source is off where it leaves it out (the serialised defaults omit
 * it), so a CycleGAN run's source does not survive the merge into the next run.
 * @param {object} config
 * @returns {object}
 */
export function asWholeConfig(config) {
  return config?.cycle?.source == null ? { ...config, cycle: { ...config?.cycle, source: null } } : config;
}
