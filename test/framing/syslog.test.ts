// RFC 3164, RFC 3339 (rsyslog high precision) and RFC 5424 syslog lines taken apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syslogRfc3164 } from '../../src/framing/syslog-rfc3164.js';
import { syslogRfc3339 } from '../../src/framing/syslog-rfc3339.js';
import { syslogRfc5424 } from '../../src/framing/syslog-rfc5424.js';
import { frameLines, frameOne } from './frame-lines.js';

test('3164: kernel line with a space-padded day, no year, no zone', () => {
  const record = frameOne(
    syslogRfc3164,
    'Jul  3 10:04:01 web1 kernel: Out of memory: Killed process 12345 (anqicms)',
  );
  assert.deepEqual(record.stamp, {
    kind: 'local',
    year: null,
    month: 7,
    day: 3,
    hour: 10,
    minute: 4,
    second: 1,
    millis: 0,
  });
  assert.equal(record.host, 'web1');
  assert.equal(record.ident, 'kernel');
  assert.equal(record.pid, null);
  assert.equal(record.monotonic, null);
  assert.equal(record.priority, null);
  assert.equal(record.message, 'Out of memory: Killed process 12345 (anqicms)');
});

test('3164: the kernel monotonic stamp after kernel: becomes monotonic and leaves the message', () => {
  const record = frameOne(
    syslogRfc3164,
    'Apr 11 09:32:21 anderson kernel: [10699.261480] [ pid ]   uid  tgid total_vm      rss nr_ptes',
  );
  assert.equal(record.monotonic, 10699.26148);
  assert.equal(record.message, '[ pid ]   uid  tgid total_vm      rss nr_ptes');
});

test('3164: a bracket after another tag is message text, not a stamp', () => {
  const record = frameOne(syslogRfc3164, 'Jul 23 10:04:01 web1 myapp[9]: [12.5] started');
  assert.equal(record.monotonic, null);
  assert.equal(record.message, '[12.5] started');
});

test('3164: tag forms systemd[1]:, systemd: (RHEL 7), earlyoom[812]:, CRON[4711]:', () => {
  const cases: [string, string, number | null, string][] = [
    [
      'Jul 23 10:04:02 web1 systemd[1]: anqicms.service: Main process exited',
      'systemd',
      1,
      'anqicms.service: Main process exited',
    ],
    [
      'Jun 19 22:42:14 rhel78 systemd: tidb-4000.service: main process exited, code=killed, status=9/KILL',
      'systemd',
      null,
      'tidb-4000.service: main process exited, code=killed, status=9/KILL',
    ],
    [
      'Jul 23 10:03:59 web1 earlyoom[812]: mem avail:  3987 of 15876 MiB (25.11%)',
      'earlyoom',
      812,
      'mem avail:  3987 of 15876 MiB (25.11%)',
    ],
    [
      'Jul 23 10:05:01 web1 CRON[4711]: (root) CMD (/www/wwwroot/anqicms/start.sh)',
      'CRON',
      4711,
      '(root) CMD (/www/wwwroot/anqicms/start.sh)',
    ],
  ];
  for (const [line, ident, pid, message] of cases) {
    const record = frameOne(syslogRfc3164, line);
    assert.equal(record.ident, ident, line);
    assert.equal(record.pid, pid, line);
    assert.equal(record.message, message, line);
  }
});

test('3164: optional leading <PRI> gives the severity', () => {
  const record = frameOne(syslogRfc3164, '<30>Jul 23 10:04:02 web1 systemd[1]: Started anqicms.service.');
  assert.equal(record.priority, 6);
  assert.equal(record.ident, 'systemd');
});

test('3164: lines without a tag keep the whole rest as message', () => {
  const record = frameOne(syslogRfc3164, 'Jul 23 10:20:01 web1 -- MARK --');
  assert.equal(record.host, 'web1');
  assert.equal(record.ident, null);
  assert.equal(record.message, '-- MARK --');
  const url = frameOne(syslogRfc3164, 'Jul 23 10:20:01 web1 http://example.com/ down');
  assert.equal(url.ident, null);
  assert.equal(url.message, 'http://example.com/ down');
});

test('3164: rsyslog #012 escapes stay in the message', () => {
  const record = frameOne(
    syslogRfc3164,
    'Jul 23 10:04:01 web1 anqicms[2249]: panic: boom#012#012goroutine 1 [running]:',
  );
  assert.equal(record.message, 'panic: boom#012#012goroutine 1 [running]:');
});

test('3164: CRLF remnants and NUL runs are ignored; text keeps the physical line', () => {
  const line = '\u0000\u0000\u0000Jul 23 10:04:01 web1 kernel: Out of memory: Killed process 1 (x)\r';
  const record = frameOne(syslogRfc3164, line);
  assert.equal(record.message, 'Out of memory: Killed process 1 (x)');
  assert.equal(record.text, line);
});

test('3164: invalid month or time is no stamp; the line stands alone unstamped', () => {
  const record = frameOne(syslogRfc3164, 'Foo 23 10:04:01 web1 kernel: hello');
  assert.equal(record.stamp.kind, 'none');
  assert.equal(record.message, 'Foo 23 10:04:01 web1 kernel: hello');
  assert.equal(frameOne(syslogRfc3164, 'Jul 23 25:04:01 web1 kernel: x').stamp.kind, 'none');
});

test('3164: an indented line continues the previous record', () => {
  const [first, second] = frameLines(syslogRfc3164, [
    'Jul 23 10:04:01 web1 kernel: [  12.5] first',
    '    continued here',
  ]);
  assert.ok(first && second);
  assert.deepEqual(second.stamp, first.stamp);
  assert.equal(second.monotonic, 12.5);
  assert.equal(second.ident, 'kernel');
  assert.equal(second.host, 'web1');
  assert.equal(second.message, 'continued here');
});

test('3164: sniff rejects a zero-padded day and fractional seconds (journalctl)', () => {
  assert.equal(syslogRfc3164.sniff('Apr 05 08:24:14 host kernel: x'), false);
  assert.equal(syslogRfc3164.sniff('Nov 27 00:50:37.833178 vm kernel: x'), false);
  assert.equal(syslogRfc3164.sniff('Jul  3 10:04:01 web1 kernel: x'), true);
  assert.equal(syslogRfc3164.sniff('Jul 23 10:04:01 web1 kernel: x'), true);
});

test('3339: instant with offset, microseconds, optional [mono] after kernel:', () => {
  const record = frameOne(
    syslogRfc3339,
    '2024-07-23T10:04:01.553604+08:00 web1 kernel: [12345.678901] Out of memory: Killed process 12345 (anqicms)',
  );
  assert.equal(record.stamp.kind, 'instant');
  assert.ok(record.stamp.kind === 'instant');
  assert.equal(record.stamp.ms, Date.UTC(2024, 6, 23, 2, 4, 1) + 553.604);
  assert.equal(record.stamp.computed, undefined);
  assert.equal(record.monotonic, 12345.678901);
  assert.equal(record.host, 'web1');
  assert.equal(record.ident, 'kernel');
  assert.equal(record.message, 'Out of memory: Killed process 12345 (anqicms)');
});

test('3339: Z offset and no fraction', () => {
  const record = frameOne(syslogRfc3339, '2024-07-23T02:04:01Z web1 systemd[1]: Started x.');
  assert.deepEqual(record.stamp, { kind: 'instant', ms: Date.UTC(2024, 6, 23, 2, 4, 1) });
  assert.equal(record.pid, 1);
});

test('3339: sniff leaves colon-less offsets to journal-short-iso and commas to dmesg-iso', () => {
  assert.equal(syslogRfc3339.sniff('2026-11-27T00:50:42+0000 vm anqicms[7056]: x'), false);
  assert.equal(syslogRfc3339.sniff('2026-11-27T00:45:11,550964+00:00 anqicms invoked oom-killer: x'), false);
});

test('5424: PRI % 8, nil fields, kernel body', () => {
  const record = frameOne(
    syslogRfc5424,
    '<3>1 2024-07-23T10:04:01.553604+08:00 web1 kernel - - - Out of memory: Killed process 12345 (anqicms)',
  );
  assert.equal(record.priority, 3);
  assert.equal(record.host, 'web1');
  assert.equal(record.ident, 'kernel');
  assert.equal(record.pid, null);
  assert.ok(record.stamp.kind === 'instant');
  assert.equal(record.stamp.ms, Date.UTC(2024, 6, 23, 2, 4, 1) + 553.604);
  assert.equal(record.message, 'Out of memory: Killed process 12345 (anqicms)');
});

test('5424: structured data with escaped quotes and brackets is skipped, procid becomes pid', () => {
  const record = frameOne(
    syslogRfc5424,
    '<30>1 2024-07-23T10:04:02Z web1 systemd 1 ID47 [meta sequenceId="7" x="a \\"b\\" \\]"][origin ip="10.0.0.1"] anqicms.service: Main process exited',
  );
  assert.equal(record.priority, 6);
  assert.equal(record.ident, 'systemd');
  assert.equal(record.pid, 1);
  assert.equal(record.message, 'anqicms.service: Main process exited');
});

test('5424: nil timestamp, non-numeric procid, BOM before the message, no message', () => {
  const record = frameOne(syslogRfc5424, '<11>1 - - earlyoom worker-1 - - \ufeffkill failed');
  assert.equal(record.stamp.kind, 'none');
  assert.equal(record.host, null);
  assert.equal(record.pid, null);
  assert.equal(record.message, 'kill failed');
  assert.equal(frameOne(syslogRfc5424, '<13>1 2024-07-23T10:04:02Z h app - - -').message, '');
});
