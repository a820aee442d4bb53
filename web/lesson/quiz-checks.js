// The quiz's "check it by training" experiments: each sets up the playground through its public
// API (loadPreset, setConfig, step, stats, metrics), trains, and returns what it measured in
// words and whether the measurement agrees with the answer the question states. No training
// maths here: every number comes from the engine.

/**
 * @typedef {{text: string, agrees: boolean}} Measured
 * @typedef {(pg: any) => Promise<Measured>} Check
 */

const LOG_2 = Math.log(2);
const LOG_4 = Math.log(4);

/** Loads `preset` (with `patch` on top, if any) and trains `steps` iterations. */
async function trained(pg, preset, steps, patch = null) {
  const loaded = await pg.loadPreset(preset);
  if (loaded && loaded.ok === false) throw new Error(`the preset ${preset} did not load`);
  if (patch) {
    const outcome = await pg.setConfig(patch);
    if (!outcome.ok) throw new Error(outcome.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
  return pg.step(steps);
}

const sci = (v) => (Number.isFinite(v) ? v.toExponential(1) : String(v));

/** @type {Record<string, Check>} */
export const CHECKS = {
  // The saturating loss against a winning D: almost no gradient reaches G.
  'saturating-vanishes': async (pg) => {
    const stats = await trained(pg, 'vanishing_gradient', 60);
    return { text: `‖∂L_G/∂θ_G‖ = ${sci(stats.gradNorm)} after 60 iterations with the saturating loss`, agrees: stats.gradNorm < 1e-3 };
  },
  // The same D with the non-saturating loss: a usable gradient.
  'non-saturating-flows': async (pg) => {
    const stats = await trained(pg, 'vanishing_gradient', 60, { objective: { kind: 'non_saturating' } });
    return { text: `‖∂L_G/∂θ_G‖ = ${sci(stats.gradNorm)} after 60 iterations with −log D(G(z))`, agrees: stats.gradNorm > 1e-2 };
  },
  // JSD on the grid is at most log 2, whatever G does.
  'jsd-bounded': async (pg) => {
    await trained(pg, 'vanishing_gradient', 20);
    const { jsd } = pg.metrics;
    return { text: `JSD = ${jsd.toFixed(3)} with G far from the data (log 2 = ${LOG_2.toFixed(3)})`, agrees: jsd <= LOG_2 + 1e-9 };
  },
  // C(G) = 2·JSD − log 4 ≥ −log 4.
  'value-at-least-minus-log4': async (pg) => {
    await trained(pg, 'gan_2014', 300);
    const { valueAtOptimum } = pg.metrics;
    return { text: `2·JSD − log 4 = ${valueAtOptimum.toFixed(3)} after 300 iterations (−log 4 = ${(-LOG_4).toFixed(3)})`, agrees: valueAtOptimum >= -LOG_4 - 1e-9 };
  },
  // G outpacing D on the ring: modes are dropped.
  'fast-g-collapses': async (pg) => {
    await trained(pg, 'mode_collapse', 1000);
    const m = pg.metrics;
    return { text: `${m.modesCovered} of ${m.modesTotal} modes covered after 1,000 iterations with lr(G) = 20·lr(D)`, agrees: m.modesCovered < m.modesTotal };
  },
  // A WGAN critic's score is not a probability: no D* to compare with.
  'critic-no-probability': async (pg) => {
    await trained(pg, 'wgan_gp_2017', 10);
    const gap = pg.metrics.dStarGap;
    return { text: gap == null ? 'the playground reports no |D* − D| for the critic: its score is unbounded' : `|D* − D| = ${gap.toFixed(3)}`, agrees: gap == null };
  },
};
