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

// ---- issue 9, class 7: boot time from a rotated syslog's `[mono]` lines and from audit records -------------------

test('a dmesg capture takes the boot time of a rotated syslog that holds some of its kernel lines (no OOM line in both)', async () => {
  const ufw = (id: number) =>
    `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:2b:fe:ee:0b:cb:66:71:08:00 SRC=45.148.10.192 DST=10.0.8.12 LEN=40 TOS=0x00 PREC=0x00 TTL=243 ID=${id} PROTO=TCP SPT=23884 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0`;
  const dir = folder(
    {
      // Yesterday's syslog, rotated: boot = 2024-07-22T10:00:00Z − 1000 s.
      'syslog.1': `Jul 22 10:00:00 web1 kernel: [ 1000.000412] ${ufw(1)}\nJul 22 10:10:00 web1 kernel: [ 1600.000871] ${ufw(2)}\n`,
      // Today's capture: the same two lines, then the kill, seen nowhere else.
      'dmesg.txt': `[ 1000.000412] ${ufw(1)}\n[ 1600.000871] ${ufw(2)}\n[87387.553604] ${kill(4242)}\n`,
    },
    { 'syslog.1': '2024-07-22T10:10:00Z' },
  );
  const a = await analyze({ ...base, paths: [dir] });
  const dmesg = a.sources.find((s) => s.path.endsWith('dmesg.txt'))!;
  assert.match(
    dmesg.notes.join(' '),
    /boot time .* learned from .*syslog\.1: 2 kernel line\(s\) of this boot are in both files/,
  );
  assert.deepEqual(dmesg.problems, []);
  // Boot: the syslog stamps are cut to the second, so each line bounds it at wall + 1 s − monotonic: 09:43:20.999129
  // on the 22nd; + 87387.553604 s.
  assert.equal(a.incidents[0]?.diedAt, '2024-07-23T09:59:48.553Z');
  assert.deepEqual(a.incidents[0]?.missing, []);
});

test('lines of another boot with the same text do not lend their boot time', async () => {
  const dir = folder(
    {
      'syslog.1': 'Jul 22 10:00:00 web1 kernel: [ 1000.000412] eth0: link up\n',
      // Same text, another stamp: not the same line.
      'dmesg.txt': `[ 1000.000413] eth0: link up\n[87387.553604] ${kill(4242)}\n`,
    },
    { 'syslog.1': '2024-07-22T10:10:00Z' },
  );
  const a = await analyze({ ...base, paths: [dir] });
  assert.equal(a.incidents[0]?.diedAt, null);
  assert.match(a.sources.find((s) => s.path.endsWith('dmesg.txt'))!.problems.join(' '), /--boot-time/);
});

test("a dmesg capture learns its boot time from the kernel's audit records, the latest ones, and says so", async () => {
  const dir = folder({
    'dmesg.txt': [
      // Before the clock was set: no wall-clock time at all.
      '[    0.163842] audit: type=2000 audit(0.120:1): state=initialized audit_enabled=0 res=1',
      // At boot the RTC ran an hour fast; NTP fixed it later: the latest records are right.
      '[    9.512301] audit: type=1400 audit(1721732409.508:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="/usr/bin/man" pid=573 comm="apparmor_parser"',
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `[${(5000 + i * 60).toFixed(6).padStart(12)}] audit: type=1400 audit(${1721733800 + i * 60}.${String(480 + i).padStart(3, '0')}:${10 + i}): apparmor="DENIED" operation="open" class="file" profile="snap.lxd.daemon" name="/proc/1/mountinfo" pid=${2000 + i} comm="lxd" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`,
      ),
      `[ 9827.553604] ${kill(4242)}`,
    ].join('\n'),
  });
  const a = await analyze({ ...base, paths: [dir] });
  const dmesg = a.sources[0]!;
  assert.deepEqual(dmesg.problems, []);
  assert.match(
    dmesg.notes.join(' '),
    /boot time 2024-07-23T10:00:00\.499Z learned from the kernel's audit records/,
  );
  // Boot 10:00:00.499 (the largest audit − monotonic among the latest records, not the fast clock at boot) + 9827.553604 s.
  assert.equal(a.incidents[0]?.diedAt, '2024-07-23T12:43:48.053Z');
});
