// Tabulates `minimax eval` outputs of 2-D runs (one JSON file per run, or files with several
// runs): per dataset, one row per seed, then the mean, the worst seed and how many seeds meet the
// per-run target, as Markdown. The numbers come only from the files; nothing is recomputed.
//   node scripts/eval-table.mjs docs/evals/grid_recipe_2019-candidate-seeds41-70/
//   node scripts/eval-table.mjs FILE... [--json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Issue 24's targets, per dataset: every mode, and the share of samples within 3 std of a mode.
const TARGETS = { ring8: { modes: 8, highQuality: 0.97 }, grid25: { modes: 24.8, highQuality: 0.94 } };

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const files = args
  .filter((a) => a !== '--json')
  .flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.json')).map((f) => join(p, f)) : [p]));
if (files.length === 0) {
  console.error('usage: node scripts/eval-table.mjs DIR|FILE... [--json]');
  process.exit(2);
}

function holdsAllFrom(trace, total) {
  let from = null;
  for (const m of trace) {
    if (m.covered < total) from = null;
    else from ??= m.iteration;
  }
  return from;
}

function fallFromPeak(values) {
  if (!values.length) return null;
  let peak = -Infinity;
  let fall = 0;
  for (const v of values) {
    peak = Math.max(peak, v);
    fall = Math.max(fall, peak - v);
  }
  return fall;
}

const byDataset = new Map();
for (const file of files) {
  for (const run of JSON.parse(readFileSync(file, 'utf8')).runs ?? []) {
    if (!run.modes) continue; // image runs have no mode counts
    const trace = run.modes_over_time ?? [];
    const late = trace.filter((m) => m.iteration > run.iterations / 2);
    const row = {
      seed: run.seed,
      modes: run.modes.covered,
      total: run.modes.total,
      highQuality: run.modes.high_quality,
      jsd: run.jsd,
      // The fewest modes in the second half: a run that loses modes late shows it here.
      lateMinModes: late.length ? Math.min(...late.map((m) => m.covered)) : null,
      // The iteration from which every later count has every mode (null: the run never holds them).
      holdsAllFrom: holdsAllFrom(trace, run.modes.total),
      // How sharp the run was halfway: a slow sharpener shows a low share here.
      halfwayHighQuality: trace.filter((m) => m.iteration <= run.iterations / 2).at(-1)?.high_quality ?? null,
      // The largest fall of the high-quality share below its best so far: sharp, then blurred.
      highQualityFall: fallFromPeak(trace.map((m) => m.high_quality)),
      // The share of samples between modes at the end (the ring's bridges).
      between: run.mode_spread?.between ?? null,
      seconds: run.seconds,
    };
    if (!byDataset.has(run.dataset)) byDataset.set(run.dataset, []);
    byDataset.get(run.dataset).push(row);
  }
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null;
};
const range = (xs) => (xs.length ? { min: Math.min(...xs), median: median(xs), max: Math.max(...xs) } : null);
const known = (xs) => xs.filter((x) => x !== null);
const summary = [...byDataset].sort().map(([dataset, rows]) => {
  rows.sort((a, b) => a.seed - b.seed);
  const target = TARGETS[dataset];
  const worst = rows.reduce((w, r) => (r.modes < w.modes || (r.modes === w.modes && r.highQuality < w.highQuality) ? r : w));
  return {
    dataset,
    seeds: rows.length,
    meanModes: mean(rows.map((r) => r.modes)),
    meanHighQuality: mean(rows.map((r) => r.highQuality)),
    worst,
    target: target ?? null,
    meetsTarget: target ? mean(rows.map((r) => r.modes)) >= target.modes && mean(rows.map((r) => r.highQuality)) >= target.highQuality : null,
    // How the runs got there, from the traces (runs without one count in none of these).
    traces: {
      holdsAllFrom: range(known(rows.map((r) => r.holdsAllFrom))),
      neverHoldAll: rows.filter((r) => r.holdsAllFrom === null && r.lateMinModes !== null).length,
      loseModesLate: rows.filter((r) => r.lateMinModes !== null && r.lateMinModes < r.total).length,
      halfwayHighQuality: range(known(rows.map((r) => r.halfwayHighQuality))),
      highQualityFall: range(known(rows.map((r) => r.highQualityFall))),
      between: range(known(rows.map((r) => r.between))),
    },
    rows,
  };
});

if (asJson) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  const points = (x) => `${(100 * x).toFixed(1)} points`;
  for (const s of summary) {
    console.log(`### ${s.dataset}: ${s.seeds} seeds\n`);
    console.log('| seed | modes | high quality | JSD | fewest modes, second half | every mode from | seconds |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of s.rows) {
      const from = r.holdsAllFrom === null ? '–' : r.holdsAllFrom.toLocaleString('en');
      console.log(`| ${r.seed} | ${r.modes} / ${r.total} | ${pct(r.highQuality)} | ${r.jsd.toFixed(3)} | ${r.lateMinModes ?? '–'} | ${from} | ${Math.round(r.seconds)} |`);
    }
    const verdict = s.target ? ` (target ≥ ${s.target.modes} and ≥ ${pct(s.target.highQuality)}: ${s.meetsTarget ? 'met' : 'not met'})` : '';
    console.log(`\nMean ${s.meanModes.toFixed(2)} modes, ${pct(s.meanHighQuality)} high quality${verdict}; worst seed ${s.worst.seed}: ${s.worst.modes} modes, ${pct(s.worst.highQuality)}.\n`);
    const t = s.traces;
    const parts = [];
    if (t.holdsAllFrom) parts.push(`every mode held from iteration ${t.holdsAllFrom.median.toLocaleString('en')} (median; ${t.holdsAllFrom.min.toLocaleString('en')}–${t.holdsAllFrom.max.toLocaleString('en')})`);
    if (t.neverHoldAll) parts.push(`${t.neverHoldAll} seed${t.neverHoldAll === 1 ? '' : 's'} never holding every mode`);
    if (t.holdsAllFrom || t.neverHoldAll) parts.push(`${t.loseModesLate} of ${s.seeds} seeds losing a mode in the second half`);
    if (t.halfwayHighQuality) parts.push(`high quality halfway ${pct(t.halfwayHighQuality.median)} (median; lowest ${pct(t.halfwayHighQuality.min)})`);
    if (t.highQualityFall) parts.push(`high quality falling at most ${points(t.highQualityFall.max)} below its best so far (median ${points(t.highQualityFall.median)})`);
    if (t.between) parts.push(`samples between modes at the end ${pct(t.between.median)} (median; most ${pct(t.between.max)})`);
    if (parts.length) console.log(`Traces: ${parts.join('; ')}.\n`);
  }
}
