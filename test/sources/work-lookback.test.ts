// The app's work lines (采集, 导入 …) are no needles: only those within WORK_LOOKBACK_LINES before a candidate (a start)
// or the file's end are decoded — also when that reach crosses a region boundary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TASK_TABLE_BLOCK } from '../../src/recognise/needles.js';
import { SelectingSplitter, WORK_LOOKBACK_LINES } from '../../src/sources/prefilter/selecting-splitter.js';
import type { RawLine } from '../../src/sources/raw-line.js';

const START = 'Iris Version: 12.2.11';

function keptLines(lines: string[], regionBytes: number): Set<number> {
  const splitter = new SelectingSplitter({
    sourceId: 0,
    maxLineBytes: 1000,
    regionBytes,
    selection: { needles: ['Iris Version'], context: 'app', work: ['采集'] },
  });
  const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const out: RawLine[] = [];
  for (let at = 0; at < bytes.length; at += 3000) out.push(...splitter.push(bytes.subarray(at, at + 3000)));
  out.push(...splitter.end());
  return new Set(out.map((l) => l.lineNo));
}

/** Line numbers (1-based) of the work lines in `lines`. */
const workAt = (lines: string[]) => lines.flatMap((l, i) => (l.includes('采集') ? [i + 1] : []));

function appLog(): string[] {
  const lines: string[] = [START];
  for (let i = 0; i < 3000; i++)
    lines.push(i % 3 === 0 ? `2024/07/23 09:00:00 采集中: 第 ${i} 页` : `2024/07/23 09:00:00 请求 ${i}`);
  lines.push(START); // line 3002: a restart after a death
  for (let i = 0; i < 1000; i++)
    lines.push(i % 5 === 0 ? `2024/07/23 11:00:00 采集中: 第 ${i} 页` : `2024/07/23 11:00:00 请求 ${i}`);
  return lines;
}

for (const regionBytes of [1 << 20, 8 * 1024]) {
  test(`work lines are decoded only just before a start or the end (regions of ${regionBytes} bytes)`, () => {
    const lines = appLog();
    const kept = keptLines(lines, regionBytes);
    const work = workAt(lines);
    const restart = 3002;
    const last = lines.length;
    const far: number[] = [];
    for (const n of work) {
      const near =
        (n < restart && n >= restart - WORK_LOOKBACK_LINES) ||
        (n > restart && n >= last + 1 - WORK_LOOKBACK_LINES);
      if (near) assert.ok(kept.has(n), `work line ${n}, just before a start or the end, not kept`);
      // The file's first 200 lines and each region's first line are kept for reasons of their own.
      else if (n > 200 && kept.has(n)) far.push(n);
    }
    const regions = Math.ceil(Buffer.byteLength(lines.join('\n')) / regionBytes);
    assert.ok(
      far.length <= regions,
      `${far.length} work lines far from any start kept: ${far.slice(0, 10).join(' ')}`,
    );
  });
}

test("a task table is read whole after its header, across regions, up to the report's next record", () => {
  const head = Array.from({ length: 300 }, (_, i) => `Jul 23 10:00:00 web1 CRON[${i}]: (root) CMD (true)`);
  const rows = Array.from(
    { length: 500 },
    (_, i) =>
      `Jul 23 10:03:47 web1 kernel: [${String(1000 + i).padStart(7)}] ${String(i % 20000).padStart(5)}  ${1000 + i}    12605      640          0             0 task${i}`,
  );
  const lines = [
    ...head,
    'Jul 23 10:03:47 web1 kernel: [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
    ...rows,
    'Jul 23 10:03:47 web1 kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=task1,pid=1001,uid=0',
    ...head.map((l) => l.replace('10:00', '10:05')),
  ];
  const splitter = new SelectingSplitter({
    sourceId: 0,
    maxLineBytes: 1000,
    regionBytes: 8 * 1024,
    selection: {
      needles: [TASK_TABLE_BLOCK.after, 'oom-kill:'],
      context: 'system',
      follow: TASK_TABLE_BLOCK,
    },
  });
  const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const out: RawLine[] = [];
  for (let at = 0; at < bytes.length; at += 3000) out.push(...splitter.push(bytes.subarray(at, at + 3000)));
  out.push(...splitter.end());
  const kept = new Set(out.map((l) => l.lineNo));
  for (let n = 302; n <= 801; n++) assert.ok(kept.has(n), `task row at line ${n} not kept`);
  const after = [...kept].filter((n) => n > 802 && n < 802 + 290);
  assert.ok(after.length <= 12, `${after.length} lines after the table kept`);
});
