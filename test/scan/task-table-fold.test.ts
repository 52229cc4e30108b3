// The scan folds an OOM report's task table into one summary: rows summed by name, the biggest kept, the header's
// line cited; and keeps the app's work lines of each life, the last ones only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { carrierByFormat } from '../../src/framing/carrier-list.js';
import type { OomTaskSummary } from '../../src/recognise/event.js';
import { newScannedSource } from '../../src/scan/observation.js';
import { createSourceScanner } from '../../src/scan/scan-source.js';

function scan(kind: 'kernel' | 'app', format: string, lines: string[]) {
  const source = newScannedSource({
    id: 0,
    path: 'x',
    displayPath: 'x',
    kind,
    format,
    mtimeMs: null,
    live: false,
  });
  const scanner = createSourceScanner(source, carrierByFormat(format)!);
  scanner.push(lines.map((text, i) => ({ sourceId: 0, lineNo: i + 1, byteOffset: 0, text })));
  scanner.end();
  return source;
}

const REPORT = [
  '[  127.550964] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
  '[  127.553519] Tasks state (memory values in pages):',
  '[  127.553520] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
  '[  127.553521] [    812]    33   812   512345   100000  3469312        0             0 php-fpm: pool www',
  '[  127.553522] [    813]    33   813   512345   150000  3469312        0             0 php-fpm: pool www',
  '[  127.553523] [    901]   113   901   459112   104384  1212416        0             0 mysqld',
  '[  127.553525] [   2249]     0  2249   246246    24534   585728        0             0 anqicms',
  '[  127.553530] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=anqicms,pid=2249,uid=0',
  '[  127.553604] Out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
];

test('a task table becomes one summary before the line that ends it, rows of one name summed', () => {
  const source = scan('kernel', 'dmesg', REPORT);
  const types = source.observations.map((o) => o.event.type);
  assert.deepEqual(types, ['oom.invoked', 'oom.task-summary', 'oom.constraint', 'oom.killed']);
  const summary = source.observations[1]!.event as OomTaskSummary;
  assert.equal(summary.record.lineNo, 3, 'cites the header');
  assert.equal(summary.tasks, 4);
  assert.equal(summary.totalRssPages, 100000 + 150000 + 104384 + 24534);
  assert.deepEqual(
    summary.top.map((t) => [t.process, t.rssPages, t.pid]),
    [
      ['php-fpm: pool www', 250000, 813],
      ['mysqld', 104384, 901],
      ['anqicms', 24534, 2249],
    ],
  );
});

test('a table cut off at the end of the file is still summed', () => {
  const source = scan('kernel', 'dmesg', REPORT.slice(0, 6));
  assert.equal(source.observations.at(-1)?.event.type, 'oom.task-summary');
});

test("the app's work lines are kept per life, and only its last 200", () => {
  const lines = [
    '2024/07/23 09:00:00 /www/wwwroot/anqicms/',
    ...Array.from(
      { length: 250 },
      (_, i) => `2024/07/23 09:${String(10 + Math.floor(i / 10)).padStart(2, '0')}:00 采集中: 第 ${i} 页`,
    ),
    '2024/07/23 10:04:01 /www/wwwroot/anqicms/',
    '2024/07/23 10:05:00 导入进度: 1/2',
  ];
  const source = scan('app', 'app-log', lines);
  assert.equal(source.workMarks.filter((m) => m.work === 'collect').length, 200);
  assert.equal(source.workMarks[0]!.lineNo, 52, 'the oldest 50 dropped');
  assert.deepEqual(
    source.workMarks.slice(-1).map((m) => [m.work, m.lineNo]),
    [['import', 253]],
  );
});
