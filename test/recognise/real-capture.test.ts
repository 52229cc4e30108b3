// A real kernel OOM kill captured on the team VM (test/fixtures/real-kernel): every record, and the units it states.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { LogRecord } from '../../src/framing/record.js';
import type { Event, MemcgUsage, OomConstraint, OomKilled, OomTask } from '../../src/recognise/event.js';
import { recognise } from '../../src/recognise/index.js';
import { sampleRecord } from '../../src/recognise/sample-record.js';

const DIR = new URL('../fixtures/real-kernel/memcg-v1-anqicms/', import.meta.url);
const capture = JSON.parse(
  readFileSync(new URL('../fixtures/real-kernel/memcg-v1-anqicms.capture.json', import.meta.url), 'utf8'),
);

function lines(name: string): string[] {
  return readFileSync(new URL(name, DIR), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

// The framers are not under test here: each prefix is taken off by hand, as the carrier would.
const DMESG_PREFIX = /^\[\s*(?<seconds>\d+\.\d+)\] /;
const GO_LOG_PREFIX = /^(?<stamp>\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d) /;
const CHECK_PREFIX = /^(?<stamp>\d{8} \d\d:\d\d:\d\d) /;
const LOCAL_STAMP = {
  kind: 'local',
  year: 2026,
  month: 11,
  day: 27,
  hour: 1,
  minute: 29,
  second: 45,
  millis: 0,
} as const;

function events(records: readonly LogRecord[], kind: 'kernel' | 'app' | 'guardian'): Event[] {
  return records.map((r) => recognise(r, kind)).filter((e): e is Event => e !== null);
}

describe('memcg v1 OOM kill of anqicms, kernel 6.18', () => {
  const kernelRecords = lines('dmesg.txt').map((text) =>
    sampleRecord(text.replace(DMESG_PREFIX, ''), { text, stamp: { kind: 'monotonic', seconds: 709.6 } }),
  );
  const found = events(kernelRecords, 'kernel');

  test('the report yields exactly its six facts, in order', () => {
    assert.deepEqual(
      found.map((e) => e.type),
      ['oom.invoked', 'memcg.usage', 'oom.task-header', 'oom.task', 'oom.constraint', 'oom.killed'],
    );
  });

  test('the kill line: sizes in kB, as printed', () => {
    const killed = found.find((e): e is OomKilled => e.type === 'oom.killed');
    assert.ok(killed);
    assert.equal(killed.record.message, capture.killedLine);
    assert.equal(killed.pid, capture.victim.pid);
    assert.equal(killed.process, capture.victim.comm);
    assert.equal(killed.anonRssKb, capture.victim.anonRssKb);
    assert.equal(killed.totalVmKb, capture.victim.totalVmKb);
    assert.equal(killed.fileRssKb, 37180);
    assert.equal(killed.scope, 'memcg');
  });

  test('the task row: rss in pages (4 KiB), not kB', () => {
    const row = found.find((e): e is OomTask => e.type === 'oom.task');
    assert.ok(row);
    assert.equal(row.pid, capture.victim.pid);
    assert.equal(row.rssPages, 27383);
    // rss = rss_anon + rss_file + rss_shmem pages; 27383 pages ≈ 107 MiB, the same order as anon+file kB above.
    assert.equal(row.rssPages * 4, 109532);
    assert.notEqual(row.rssPages, capture.victim.anonRssKb);
  });

  test('memcg usage and limit in kB', () => {
    const usage = found.find((e): e is MemcgUsage => e.type === 'memcg.usage');
    assert.ok(usage);
    assert.equal(usage.usageKb, 65432);
    assert.equal(usage.limitKb, capture.memcgLimitBytes / 1024);
  });

  test('the summary names the victim and its cgroup', () => {
    const summary = found.find((e): e is OomConstraint => e.type === 'oom.constraint');
    assert.ok(summary);
    assert.equal(summary.record.message, capture.summaryLine);
    assert.equal(summary.pid, capture.victim.pid);
    assert.equal(summary.scope, 'memcg');
    assert.equal(summary.taskMemcg, summary.oomMemcg);
    assert.match(summary.taskMemcg ?? '', /oomsleuth-e2e-8128-anqicms-mwyb0bem$/);
  });

  test('the same records via /dev/kmsg framing (body after the `;`) give the same facts', () => {
    const kmsg = lines('kmsg.txt').map((text) => sampleRecord(text.slice(text.indexOf(';') + 1), { text }));
    assert.deepEqual(
      events(kmsg, 'kernel').map((e) => e.type),
      found.map((e) => e.type),
    );
  });

  test('running.log: the exec-path marker opens the life, every other line is activity', () => {
    const appRecords = lines('running.log').map((text) =>
      sampleRecord(text.replace(GO_LOG_PREFIX, ''), { text, stamp: LOCAL_STAMP }),
    );
    const types = events(appRecords, 'app').map((e) =>
      e.type === 'app.start' ? `app.start:${e.marker}` : e.type,
    );
    assert.deepEqual(types, ['app.start:exec-path', ...Array(appRecords.length - 1).fill('app.line')]);
  });

  test('check.log: two heartbeats, 1 then 0', () => {
    const checks = events(
      lines('check.log').map((text) =>
        sampleRecord(text.replace(CHECK_PREFIX, ''), { text, stamp: LOCAL_STAMP }),
      ),
      'guardian',
    );
    assert.deepEqual(
      checks.map((e) => (e.type === 'guardian.check' ? `${e.name}=${e.value}` : e.type)),
      capture.checks.map((c: { count: number }) => `anqicms=${c.count}`),
    );
  });
});
