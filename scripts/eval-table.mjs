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

const byDataset = new Map();
for (const file of files) {
  for (const run of JSON.parse(readFileSync(file, 'utf8')).runs ?? []) {
    if (!run.modes) continue; // image runs have no mode counts
    const late = (run.modes_over_time ?? []).filter((m) => m.iteration > run.iterations / 2);
    const row = {
      seed: run.seed,
      modes: run.modes.covered,
      total: run.modes.total,
      highQuality: run.modes.high_quality,
      jsd: run.jsd,
      // The fewest modes in the second half: a run that loses modes late shows it here.
      lateMinModes: late.length ? Math.min(...late.map((m) => m.covered)) : null,
      seconds: run.seconds,
    };
    if (!byDataset.has(run.dataset)) byDataset.set(run.dataset, []);
    byDataset.get(run.dataset).push(row);
  }
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
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
    rows,
  };
});

if (asJson) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  for (const s of summary) {
    console.log(`### ${s.dataset}: ${s.seeds} seeds\n`);
    console.log('| seed | modes | high quality | JSD | fewest modes, second half | seconds |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of s.rows) {
      console.log(`| ${r.seed} | ${r.modes} / ${r.total} | ${pct(r.highQuality)} | ${r.jsd.toFixed(3)} | ${r.lateMinModes ?? '–'} | ${Math.round(r.seconds)} |`);
    }
    const verdict = s.target ? ` (target ≥ ${s.target.modes} and ≥ ${pct(s.target.highQuality)}: ${s.meetsTarget ? 'met' : 'not met'})` : '';
    console.log(`\nMean ${s.meanModes.toFixed(2)} modes, ${pct(s.meanHighQuality)} high quality${verdict}; worst seed ${s.worst.seed}: ${s.worst.modes} modes, ${pct(s.worst.highQuality)}.\n`);
  }
}
