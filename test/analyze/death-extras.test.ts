// What analyze --html reads back for the pictures: the kernel's OOM report around a cited kill (with its task table,
// which the scan drops) and the memory samples the guard wrote for a death.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/analyze/analyze.js';
import { readDeathExtras } from '../../src/analyze/death-extras.js';
import type { Analysis } from '../../src/contract/analysis.js';
import { taskTableOf } from '../../src/pictures/task-table.js';
import { hostileIncident } from '../pictures/fixtures.js';

const example = fileURLToPath(new URL('../../examples/anqicms-vps', import.meta.url));

test('the example: the OOM kill gets its report from `invoked oom-killer` to the kill line, 12 tasks; the others none', async () => {
  const paths = [example];
  const analysis = await analyze({
    paths,
    app: null,
    zone: 'Asia/Shanghai',
    year: null,
    bootTimeMs: null,
    since: null,
    until: null,
  });
  const extras = await readDeathExtras(analysis, paths);
  assert.deepEqual(
    extras.map((e) => e.oomBlock?.length ?? 0),
    [0, 79, 0],
  );
  const block = extras[1]!.oomBlock!;
  assert.deepEqual(
    [block[0]!.source, block[0]!.line, block.at(-1)!.line],
    ['anqicms-vps/syslog.1', 779, 857],
  );
  assert.match(block[0]!.text, /invoked oom-killer/);
  const tasks = taskTableOf(block);
  assert.equal(tasks.length, 12);
  assert.deepEqual(tasks.at(-1), { pid: 18734, process: 'anqicms', rssKb: 885838 * 4, oomScoreAdj: 0 });
});

test("the guard's incidents file: a death's samples go to the incident of that pid dying then", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-extras-'));
  try {
    const file = path.join(dir, 'incidents.jsonl');
    const memory = [
      { at: '2024-07-23T10:03:30+08:00', rssKb: 3_000_000, hwmKb: 3_000_000, cgroupUsageKb: null },
      { at: '2024-07-23T10:03:40+08:00', rssKb: 3_500_000, hwmKb: 3_500_000, cgroupUsageKb: null },
    ];
    const lines = [
      JSON.stringify({ pid: 18734, diedAt: '2024-07-23T02:03:47Z', memory }),
      JSON.stringify({ pid: 99, diedAt: '2024-07-23T02:03:47Z', memory }),
      'not json',
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    const analysis: Analysis = {
      schema: 'oomsleuth.analysis/1',
      app: 'anqicms',
      generatedAt: '2024-07-24T00:00:00Z',
      sources: [
        {
          path: file,
          kind: 'guardian',
          format: 'guard-incidents',
          lines: 3,
          first: null,
          last: null,
          problems: [],
          notes: [],
        },
      ],
      incidents: [hostileIncident(), hostileIncident({ pid: 5, diedAt: '2024-07-23T12:00:00+08:00' })],
      otherOomKills: [],
    };
    const extras = await readDeathExtras(analysis, [file]);
    assert.deepEqual(extras[0]!.memory, memory);
    assert.equal(extras[1]!.memory, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
