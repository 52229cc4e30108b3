// log-formats §3: the same kernel body reaches us through every carrier; each must hand it over unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Carrier } from '../../src/framing/carrier.js';
import { carrierByFormat, detectCarrier } from '../../src/framing/detect.js';
import { frameOne, OOM_BODY } from './frame-lines.js';

const B = OOM_BODY;

/** [format, line, expected monotonic] — the §3 examples with the full 6.18 body. */
const CASES: readonly [string, string, number | null][] = [
  ['syslog-rfc3164', `Jul 23 10:04:01 web1 kernel: ${B}`, null],
  ['syslog-rfc3164', `Jul  3 10:04:01 web1 kernel: [12345.678901] ${B}`, 12345.678901],
  ['syslog-rfc3339', `2024-07-23T10:04:01.553604+08:00 web1 kernel: ${B}`, null],
  ['syslog-rfc3339', `2024-07-23T10:04:01.553604+08:00 web1 kernel: [12345.678901] ${B}`, 12345.678901],
  ['syslog-rfc5424', `<3>1 2024-07-23T10:04:01.553604+08:00 web1 kernel - - - ${B}`, null],
  ['dmesg', `[  127.553604] ${B}`, 127.553604],
  ['dmesg-raw', `<3>[  127.553604] ${B}`, 127.553604],
  ['dmesg-decoded', `kern  :err   : [  127.553604] ${B}`, 127.553604],
  ['dmesg-ctime', `[Fri Nov 27 00:45:11 2026] ${B}`, null],
  ['dmesg-iso', `2026-11-27T00:45:11,550964+00:00 ${B}`, null],
  ['kmsg', `3,424,127553604,-;${B}`, 127.553604],
  ['journal-short', `Nov 27 00:50:37 vm kernel: ${B}`, null],
  ['journal-short-precise', `Nov 27 00:50:37.833178 vm kernel: ${B}`, null],
  ['journal-short-iso', `2026-11-27T00:50:37+0000 vm kernel: ${B}`, null],
  ['journal-short-iso', `2026-11-27T00:50:37.833293+0000 vm kernel: ${B}`, null],
  ['journal-short-full', `Fri 2026-11-27 00:50:37 UTC vm kernel: ${B}`, null],
  ['journal-short-monotonic', `[  127.553604] vm kernel: ${B}`, 127.553604],
  ['journal-short-unix', `1795740637.833178 vm kernel: ${B}`, null],
  [
    'journal-json',
    JSON.stringify({
      _TRANSPORT: 'kernel',
      SYSLOG_IDENTIFIER: 'kernel',
      MESSAGE: B,
      __REALTIME_TIMESTAMP: '1795740637833178',
      _SOURCE_MONOTONIC_TIMESTAMP: '127553604',
      PRIORITY: '3',
      _BOOT_ID: '66165ab1531d44038417129576ef7791',
    }),
    127.553604,
  ],
];

function carrier(format: string): Carrier {
  const found = carrierByFormat(format);
  assert.ok(found, `no carrier ${format}`);
  return found;
}

for (const [format, line, monotonic] of CASES) {
  test(`${format}: ${line.slice(0, 48)}… → the same body, ident kernel`, () => {
    const record = frameOne(carrier(format), line);
    assert.equal(record.message, B);
    assert.equal(record.ident, 'kernel');
    assert.equal(record.monotonic, monotonic);
    assert.notEqual(record.stamp.kind, 'none');
  });
}

test('each §3 line on its own is detected as its carrier (3164-vs-journal ties aside)', () => {
  for (const [format, line] of CASES) {
    // `Nov 27 …` fits RFC 3164 and journal short alike; a lone line cannot tell them apart.
    const expected = format === 'journal-short' ? 'syslog-rfc3164' : format;
    assert.equal(detectCarrier([line], 'input')?.format, expected, line);
  }
});
