// oomsleuth guard's incidents.jsonl as analyze reads it: told by its content, stamped by each death's diedAt, and a
// line cut short (the guard killed mid-write) skipped with a problem while every whole line is read.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectCarrier } from '../../src/framing/detect.js';
import { guardIncidents } from '../../src/framing/guard-incidents.js';
import { analyze } from '../../src/index.js';
import { frameLines } from './frame-lines.js';

const LINE = (pid: number, diedAt: string, cause = 'crash') =>
  `{"process":"anqicms","pid":${pid},"diedAt":"${diedAt}","diedWithin":null,"restartedAt":null,"cause":"${cause}","confidence":"confirmed","oom":null,"missing":[],"evidence":[],"exit":{"code":2,"signal":null},"memory":[],"uptimeMs":510,"memoryLimitKb":null,"command":["./anqicms"]}`;

test('each line is stamped with its diedAt, to the millisecond and with its offset', () => {
  const [record] = frameLines(guardIncidents, [LINE(16994, '2026-11-27T10:00:00.512+08:00')]);
  assert.deepEqual(record?.stamp, { kind: 'instant', ms: Date.parse('2026-11-27T10:00:00.512+08:00') });
  assert.equal(record?.message, LINE(16994, '2026-11-27T10:00:00.512+08:00'));
});

test('the file is told by its content, whatever its name; journal JSON and check.log are not it', () => {
  assert.equal(
    detectCarrier([LINE(1, '2026-11-27T10:00:00+08:00')], 'deaths.txt')?.format,
    'guard-incidents',
  );
  assert.equal(
    detectCarrier(['20240723 10:04:01 anqicms PID check: 1'], 'incidents.jsonl')?.format,
    'check-sh',
  );
  assert.equal(
    detectCarrier(
      [
        '{"__REALTIME_TIMESTAMP":"1795740637833178","_BOOT_ID":"66165ab1","MESSAGE":"x","SYSLOG_IDENTIFIER":"kernel"}',
      ],
      'incidents.jsonl',
    )?.format,
    'journal-json',
  );
});

test('a line cut short is counted as damaged and the next whole line is still read', () => {
  const framer = guardIncidents.createFramer(3);
  const cut = LINE(1, '2026-11-27T10:00:00+08:00').slice(0, 90);
  assert.equal(framer.frame({ sourceId: 3, lineNo: 1, text: cut }), null);
  assert.notEqual(framer.frame({ sourceId: 3, lineNo: 2, text: LINE(2, '2026-11-27T10:05:00+08:00') }), null);
  assert.deepEqual(framer.dropped?.(), { count: 1, firstLineNo: 1 });
});

test('analyze reads the whole lines of a damaged incidents.jsonl and says what was skipped and why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomsleuth-incidents-'));
  writeFileSync(
    join(dir, 'incidents.jsonl'),
    `${LINE(16994, '2026-11-27T10:00:00.512+08:00')}\n${LINE(17001, '2026-11-27T10:07:00+08:00').slice(0, 120)}\n`,
  );
  const a = await analyze({
    paths: [dir],
    app: null,
    zone: 'Asia/Shanghai',
    year: null,
    bootTimeMs: null,
    since: null,
    until: null,
  });
  assert.deepEqual(
    a.incidents.map((i) => [i.pid, i.cause, i.confidence]),
    [[16994, 'crash', 'confirmed']],
  );
  const problems = a.sources[0]!.problems.join(' ');
  assert.match(problems, /1 line is not a guard-incidents entry \(line 2\)/);
  assert.match(problems, /the guard was stopped mid-write/);
});
