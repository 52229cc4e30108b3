// Year inference, rollover and boot-time learning, through the library's analyze() on small temp folders.
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../src/index.js';

function folder(files: Record<string, string>, mtimes: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'oomsleuth-clock-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  for (const [name, iso] of Object.entries(mtimes)) utimesSync(join(dir, name), new Date(iso), new Date(iso));
  return dir;
}

const base = { app: null, zone: 'UTC', year: null, bootTimeMs: null, since: null, until: null } as const;
const kill = (pid: number, name = 'anqicms') =>
  `Out of memory: Killed process ${pid} (${name}) total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:8kB oom_score_adj:0`;

test('a yearless syslog takes its year from the file modification time', async () => {
  const dir = folder(
    { syslog: `Jul 23 10:03:47 web1 kernel: ${kill(1)}\n` },
    { syslog: '2023-08-01T00:00:00Z' },
  );
  const a = await analyze({ ...base, paths: [dir] });
  assert.equal(a.incidents[0]?.diedAt, '2023-07-23T10:03:47Z');
  assert.match(a.sources[0]!.notes.join(' '), /year 2023 inferred from the file's modification time/);
});

test('a last line later in the year than the mtime belongs to the year before', async () => {
  const dir = folder(
    { syslog: `Dec 30 10:00:00 web1 kernel: ${kill(1)}\n` },
    { syslog: '2024-01-02T00:00:00Z' },
  );
  const a = await analyze({ ...base, paths: [dir] });
  assert.equal(a.incidents[0]?.diedAt, '2023-12-30T10:00:00Z');
});

test('Dec→Jan inside one file advances the year', async () => {
  const dir = folder(
    { syslog: `Dec 31 23:59:00 web1 kernel: ${kill(1)}\nJan  1 00:01:00 web1 kernel: ${kill(2)}\n` },
    { syslog: '2025-01-01T01:00:00Z' },
  );
  const a = await analyze({ ...base, paths: [dir] });
  assert.deepEqual(
    a.incidents.map((i) => i.diedAt),
    ['2024-12-31T23:59:00Z', '2025-01-01T00:01:00Z'],
  );
});

test('other sources with full dates beat the file time (a copied folder)', async () => {
  const dir = folder(
    {
      'check.log':
        '20220723 10:03:01 anqicms PID check: 1\n20220723 10:04:01 anqicms PID check: 0\n20220723 10:05:01 anqicms PID check: 1\n',
      syslog: `Jul 23 10:03:47 web1 kernel: ${kill(4242)}\n`,
    },
    { syslog: '2026-11-27T00:00:00Z', 'check.log': '2026-11-27T00:00:00Z' },
  );
  const a = await analyze({ ...base, paths: [dir] });
  assert.equal(a.incidents.length, 1);
  assert.equal(a.incidents[0]?.diedAt, '2022-07-23T10:03:47Z');
  assert.equal(a.incidents[0]?.cause, 'oom-killer');
  const syslog = a.sources.find((s) => s.path.endsWith('syslog'))!;
  assert.match(syslog.notes.join(' '), /year 2022 inferred from .*check\.log/);
});

test("the other sources' year never dates a file's lines after the file was last written", async () => {
  // check.log is of July 2024; a syslog last written in October 2023 fits 2024 better (70 days from the July
  // lines, against 294), but in 2024 its October kill would lie after the file's own modification time.
  const dir = folder(
    {
      'check.log':
        '20240723 10:03:01 anqicms PID check: 1\n20240723 10:04:01 anqicms PID check: 0\n20240723 10:05:01 anqicms PID check: 1\n',
      'syslog.1': `Oct  2 03:17:22 web1 kernel: ${kill(901, 'mysqld')}\n`,
    },
    { 'syslog.1': '2023-10-03T01:12:40Z', 'check.log': '2024-07-23T10:05:01Z' },
  );
  const a = await analyze({ ...base, paths: [dir], nowMs: Date.parse('2024-08-01T00:00:00Z') });
  assert.deepEqual(
    a.otherOomKills.map((k) => k.at),
    ['2023-10-02T03:17:22Z'],
  );
  const syslog = a.sources.find((s) => s.path.endsWith('syslog.1'))!;
  assert.match(
    syslog.notes.join(' '),
    /year 2023 inferred from the file's modification time \(2024, the other sources' year, would date its lines after the file was last written\)/,
  );
});

test('a file modified "in the future" (a clock ahead) is dated no later than now', async () => {
  const dir = folder(
    { syslog: `Dec 30 10:00:00 web1 kernel: ${kill(1)}\n` },
    { syslog: '2025-01-05T00:00:00Z' },
  );
  const a = await analyze({ ...base, paths: [dir], nowMs: Date.parse('2024-07-23T12:00:00Z') });
  assert.equal(a.incidents[0]?.diedAt, '2023-12-30T10:00:00Z');
});

test('--year wins over everything', async () => {
  const dir = folder(
    { syslog: `Jul 23 10:03:47 web1 kernel: ${kill(1)}\n` },
    { syslog: '2023-08-01T00:00:00Z' },
  );
  const a = await analyze({ ...base, year: 2019, paths: [dir] });
  assert.equal(a.incidents[0]?.diedAt, '2019-07-23T10:03:47Z');
});

test('dmesg stamps are placed with the boot time learned from the same line in syslog', async () => {
  const line = kill(777);
  const dir = folder(
    {
      'dmesg.txt': `[  100.000000] some driver line\n[  127.553604] ${line}\n`,
      syslog: `Jul 23 10:03:47 web1 kernel: ${line}\n`,
    },
    { syslog: '2024-07-24T00:00:00Z' },
  );
  const a = await analyze({ ...base, paths: [dir] });
  assert.equal(a.incidents.length, 1, 'the same kill in two carriers is one incident');
  const dmesg = a.sources.find((s) => s.path.endsWith('dmesg.txt'))!;
  assert.match(dmesg.notes.join(' '), /boot time .* learned from the same kernel line in .*syslog/);
  assert.equal(dmesg.first, '2024-07-23T10:03:19.446Z');
});

test('syslog kernel lines with a monotonic stamp teach the boot time of their boot', async () => {
  const dir = folder(
    {
      syslog: `Jul 23 10:00:00 web1 kernel: [  100.000000] eth0: link up\nJul 23 10:03:47 web1 kernel: [  327.000000] ${kill(5)}\n`,
    },
    { syslog: '2024-07-24T00:00:00Z' },
  );
  const a = await analyze({ ...base, paths: [dir] });
  // Boot = 10:00:00 − 100 s; the kill at boot + 327 s.
  assert.equal(a.incidents[0]?.diedAt, '2024-07-23T10:03:47Z');
});

test('a dmesg capture with no way to learn the boot time says to pass --boot-time, and diedAt is null', async () => {
  const dir = folder({ 'dmesg.txt': `[  127.553604] ${kill(9)}\n` });
  const a = await analyze({ ...base, paths: [dir] });
  assert.equal(a.incidents[0]?.diedAt, null);
  assert.deepEqual(a.incidents[0]?.missing, ['boot-time']);
  assert.match(a.sources[0]!.problems.join(' '), /--boot-time/);
});
