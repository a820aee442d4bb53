// The eval tabulator (scripts/eval-table.mjs) under Node: means, worst seed, the late-loss column,
// the trace summary and the verdict come from the files, per dataset, against issue 24's targets.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const script = new URL('../../scripts/eval-table.mjs', import.meta.url).pathname;

function run(dataset, seed, covered, total, highQuality, trace, between = 0.01) {
  return {
    dataset,
    seed,
    iterations: 20000,
    jsd: 0.02,
    seconds: 400,
    modes: { covered, total, high_quality: highQuality },
    modes_over_time: trace.map(([iteration, c, hq = highQuality]) => ({ iteration, covered: c, high_quality: hq })),
    mode_spread: { between },
  };
}

test('means, worst seed, fewest modes in the second half and the verdict, per dataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eval-table-'));
  const files = [
    [run('grid25', 2, 25, 25, 0.95, [[5000, 20, 0.2], [10000, 25, 0.9], [15000, 23, 0.6], [20000, 25, 0.95]], 0.03)],
    [run('grid25', 1, 25, 25, 0.96, [[5000, 25, 0.5], [10000, 25, 0.8], [15000, 25], [20000, 25]])],
    [run('ring8', 1, 8, 8, 0.98, [[20000, 8]]), run('ring8', 2, 7, 8, 0.99, [[20000, 7]])],
  ];
  files.forEach((runs, i) => writeFileSync(join(dir, `${i}.json`), JSON.stringify({ runs })));
  const [grid, ring] = JSON.parse(execFileSync('node', [script, dir, '--json'], { encoding: 'utf8' }));

  assert.equal(grid.dataset, 'grid25');
  assert.deepEqual(grid.rows.map((r) => r.seed), [1, 2]);
  assert.equal(grid.meanModes, 25);
  assert.ok(Math.abs(grid.meanHighQuality - 0.955) < 1e-12);
  assert.equal(grid.worst.seed, 2);
  assert.equal(grid.rows[1].lateMinModes, 23, 'the dip at 15,000 counts, the one at 5,000 does not');
  assert.equal(grid.meetsTarget, true);
  // The traces: when each run holds every mode for good, how sharp it was halfway, how far its
  // precision fell below its best, and the mass left between modes.
  assert.deepEqual(grid.rows.map((r) => r.holdsAllFrom), [5000, 20000], 'a dip restarts the count');
  assert.deepEqual(grid.traces.holdsAllFrom, { min: 5000, median: 12500, max: 20000 });
  assert.equal(grid.traces.loseModesLate, 1);
  const halfway = grid.traces.halfwayHighQuality;
  assert.deepEqual([halfway.min, halfway.max], [0.8, 0.9]);
  assert.ok(Math.abs(halfway.median - 0.85) < 1e-12);
  assert.ok(Math.abs(grid.rows[1].highQualityFall - 0.3) < 1e-12, 'from 0.9 down to 0.6');
  assert.deepEqual(grid.traces.between, { min: 0.01, median: 0.02, max: 0.03 });

  assert.equal(ring.meanModes, 7.5);
  assert.equal(ring.worst.seed, 2, 'fewer modes is worse than lower precision');
  assert.equal(ring.meetsTarget, false);
  assert.equal(ring.traces.neverHoldAll, 1, 'seed 2 ends with 7 of 8');

  const markdown = execFileSync('node', [script, dir], { encoding: 'utf8' });
  assert.match(markdown, /Mean 7\.50 modes, 98\.5 % high quality \(target ≥ 8 and ≥ 97\.0 %: not met\); worst seed 2/);
  assert.match(markdown, /Traces: every mode held from iteration 12,500 \(median; 5,000–20,000\); 1 of 2 seeds losing a mode in the second half;/);
  assert.match(markdown, /\| 2 \| 25 \/ 25 \| 95\.0 % \| 0\.020 \| 23 \| 20,000 \| 400 \|/);
});
