// journalctl text modes: short, short-precise, short-iso, short-full, short-unix, short-monotonic, and separators.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  journalShort,
  journalShortFull,
  journalShortIso,
  journalShortMonotonic,
  journalShortPrecise,
  journalShortUnix,
} from '../../src/framing/journal-short.js';
import { syslogRfc3164 } from '../../src/framing/syslog-rfc3164.js';
import { frameLines, frameOne } from './frame-lines.js';

const BOOT_ID = '66165ab1531d44038417129576ef7791';

test('short: zero-padded day, no year', () => {
  const record = frameOne(
    journalShort,
    'Apr 05 08:24:14 kaspa-devnet kernel: Out of memory: Killed process 1 (x)',
  );
  assert.deepEqual(record.stamp, {
    kind: 'local',
    year: null,
    month: 4,
    day: 5,
    hour: 8,
    minute: 24,
    second: 14,
    millis: 0,
  });
  assert.equal(record.host, 'kaspa-devnet');
  assert.equal(record.ident, 'kernel');
});

test('short-precise: microseconds become fractional millis', () => {
  const record = frameOne(
    journalShortPrecise,
    'Nov 27 00:50:37.833178 vm kernel: Memory cgroup out of memory: x',
  );
  assert.ok(record.stamp.kind === 'local');
  assert.equal(record.stamp.millis, 833.178);
  assert.equal(record.stamp.second, 37);
});

test('sniffing: fraction → precise; zero-padded day or separator → journal; space-padded → 3164', () => {
  const precise = 'Nov 27 00:50:37.833178 vm kernel: x';
  assert.deepEqual(
    [journalShortPrecise.sniff(precise), journalShort.sniff(precise), syslogRfc3164.sniff(precise)],
    [true, false, false],
  );
  const zero = 'Apr 05 08:24:14 host kernel: x';
  assert.deepEqual(
    [journalShortPrecise.sniff(zero), journalShort.sniff(zero), syslogRfc3164.sniff(zero)],
    [false, true, false],
  );
  const space = 'Jul  3 10:04:01 web1 kernel: x';
  assert.deepEqual(
    [journalShortPrecise.sniff(space), journalShort.sniff(space), syslogRfc3164.sniff(space)],
    [false, false, true],
  );
  for (const separator of [
    `-- Boot ${BOOT_ID} --`,
    '-- Reboot --',
    '-- No entries --',
    '-- Logs begin at Thu 2019-05-02 10:00:00 UTC, end at Thu 2019-05-02 11:00:00 UTC. --',
    '-- Journal begins at Mon 2023-08-28 17:12:05 EDT, ends at Tue 2023-11-21 17:00:31 EST. --',
  ]) {
    assert.ok(journalShort.sniff(separator), separator);
    assert.ok(journalShortPrecise.sniff(separator), separator);
    assert.equal(syslogRfc3164.sniff(separator), false, separator);
  }
});

test('separators frame to null; -- Boot <id> -- sets the boot of the following entries, -- Reboot -- clears it', () => {
  const records = frameLines(journalShort, [
    '-- Journal begins at Mon 2023-08-28 17:12:05 EDT, ends at Tue 2023-11-21 17:00:31 EST. --',
    'Nov 27 00:50:37 vm kernel: before',
    `-- Boot ${BOOT_ID} --`,
    'Nov 27 00:50:38 vm kernel: after',
    '-- Reboot --',
    'Nov 27 00:50:39 vm kernel: unknown boot',
    '-- No entries --',
  ]);
  assert.equal(records[0], null);
  assert.equal(records[1]?.bootId, null);
  assert.equal(records[2], null);
  assert.equal(records[3]?.bootId, BOOT_ID);
  assert.equal(records[4], null);
  assert.equal(records[5]?.bootId, null);
  assert.equal(records[6], null);
});

test('3164 framer also skips journal separators (a journal-short file may be classified as 3164)', () => {
  assert.equal(frameLines(syslogRfc3164, ['-- Reboot --'])[0], null);
});

test('journalctl indents continuation lines of a multi-line message', () => {
  const [first, second] = frameLines(journalShort, [
    'Nov 27 00:50:37 vm anqicms[7056]: panic: boom',
    '                                   goroutine 1 [running]:',
  ]);
  assert.ok(first && second);
  assert.deepEqual(second.stamp, first.stamp);
  assert.equal(second.ident, 'anqicms');
  assert.equal(second.pid, 7056);
  assert.equal(second.message, 'goroutine 1 [running]:');
});

test('short-iso: offset without colon → instant', () => {
  const utc = frameOne(journalShortIso, '2026-11-27T00:50:42+0000 vm anqicms[7056]: hello');
  const shanghai = frameOne(journalShortIso, '2026-11-27T08:50:42+0800 vm anqicms[7056]: hello');
  assert.deepEqual(utc.stamp, { kind: 'instant', ms: Date.UTC(2026, 10, 27, 0, 50, 42) });
  assert.deepEqual(shanghai.stamp, utc.stamp);
  assert.equal(utc.ident, 'anqicms');
  assert.equal(utc.pid, 7056);
  assert.equal(utc.message, 'hello');
});

test('short-iso-precise: microseconds', () => {
  const record = frameOne(
    journalShortIso,
    '2026-11-27T00:50:37.833293+0000 vm systemd-journald[7001]: Journal started',
  );
  assert.deepEqual(record.stamp, { kind: 'instant', ms: Date.UTC(2026, 10, 27, 0, 50, 37) + 833.293 });
});

test('short-full: UTC/GMT/Z → instant; numeric offset → instant; other abbreviations → local with year', () => {
  const utc = frameOne(journalShortFull, 'Fri 2026-11-27 00:50:42 UTC vm anqicms[7056]: hello');
  assert.deepEqual(utc.stamp, { kind: 'instant', ms: Date.UTC(2026, 10, 27, 0, 50, 42) });
  assert.deepEqual(frameOne(journalShortFull, 'Fri 2026-11-27 00:50:42 GMT vm a[1]: x').stamp, utc.stamp);
  assert.deepEqual(frameOne(journalShortFull, 'Fri 2026-11-27 08:50:42 +08 vm a[1]: x').stamp, utc.stamp);
  const cst = frameOne(journalShortFull, 'Fri 2026-11-27 08:50:42 CST vm anqicms[7056]: hello');
  assert.deepEqual(cst.stamp, {
    kind: 'local',
    year: 2026,
    month: 11,
    day: 27,
    hour: 8,
    minute: 50,
    second: 42,
    millis: 0,
  });
  assert.equal(cst.message, 'hello');
});

test('short-unix: seconds since the epoch with microseconds', () => {
  const record = frameOne(journalShortUnix, '1795740642.354420 vm anqicms[7056]: hello');
  assert.deepEqual(record.stamp, { kind: 'instant', ms: 1795740642354.42 });
  assert.equal(record.host, 'vm');
  assert.equal(record.pid, 7056);
});

test('short-monotonic: monotonic stamp and monotonic seconds, host and tag', () => {
  const record = frameOne(journalShortMonotonic, '[  127.553604] vm kernel: Memory cgroup out of memory: x');
  assert.deepEqual(record.stamp, { kind: 'monotonic', seconds: 127.553604 });
  assert.equal(record.monotonic, 127.553604);
  assert.equal(record.host, 'vm');
  assert.equal(record.ident, 'kernel');
  assert.equal(record.message, 'Memory cgroup out of memory: x');
});
