// The eval tabulator (scripts/eval-table.mjs) under Node: means, worst seed, the late-loss column
// and the verdict come from the files, per dataset, against issue 24's targets.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const script = new URL('../../scripts/eval-table.mjs', import.meta.url).pathname;

function run(dataset, seed, covered, total, highQuality, trace) {
  return {
    dataset,
    seed,
    iterations: 20000,
    jsd: 0.02,
    seconds: 400,
    modes: { covered, total, high_quality: highQuality },
    modes_over_time: trace.map(([iteration, c]) => ({ iteration, covered: c, high_quality: highQuality })),
  };
}

test('means, worst seed, fewest modes in the second half and the verdict, per dataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eval-table-'));
  const files = [
    [run('grid25', 2, 25, 25, 0.95, [[5000, 20], [15000, 23], [20000, 25]])],
    [run('grid25', 1, 25, 25, 0.96, [[15000, 25], [20000, 25]])],
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

  assert.equal(ring.meanModes, 7.5);
  assert.equal(ring.worst.seed, 2, 'fewer modes is worse than lower precision');
  assert.equal(ring.meetsTarget, false);

  const markdown = execFileSync('node', [script, dir], { encoding: 'utf8' });
  assert.match(markdown, /Mean 7\.50 modes, 98\.5 % high quality \(target ≥ 8 and ≥ 97\.0 %: not met\); worst seed 2/);
});
