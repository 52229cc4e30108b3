// The small parsers and formatters of the guard: sizes, durations, uptimes, local ISO times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIso, machineZone } from '../../src/clock/zone.js';
import { guardianStamp } from '../../src/guard/check-log.js';
import { localIso } from '../../src/guard/local-time.js';
import { parseDuration } from '../../src/guard/parse-duration.js';
import { parseSize } from '../../src/guard/parse-size.js';
import { formatSeconds, formatUptime } from '../../src/report/sizes.js';

const MIB = 1024 * 1024;

test('sizes: powers of 1024, as systemd and the cgroup files mean them', () => {
  const cases: [string, number | null][] = [
    ['512M', 512 * MIB],
    ['2G', 2 * 1024 * MIB],
    ['1.5G', 1.5 * 1024 * MIB],
    ['512MiB', 512 * MIB],
    ['512mb', 512 * MIB],
    ['64m', 64 * MIB],
    ['65536K', 64 * MIB],
    ['1T', 1024 * 1024 * MIB],
    ['4096', 4096],
    [' 2G ', 2 * 1024 * MIB],
    ['12Q', null],
    ['', null],
    ['M', null],
    ['-1G', null],
    ['1,5G', null],
    ['2 G', 2 * 1024 * MIB],
  ];
  for (const [text, bytes] of cases) assert.equal(parseSize(text), bytes, text);
});

test('durations: a number with a unit, or several', () => {
  const cases: [string, number | null][] = [
    ['200ms', 200],
    ['5s', 5000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['0s', 0],
    ['10', null],
    ['soon', null],
    ['5 s', null],
    ['', null],
    ['1m30', null],
    ['ms', null],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
});

test('uptimes: hundredths when short, h/m when long', () => {
  assert.equal(formatSeconds(0), '0s');
  assert.equal(formatSeconds(230), '0.23s');
  assert.equal(formatSeconds(500), '0.5s');
  assert.equal(formatSeconds(1000), '1s');
  assert.equal(formatSeconds(3400), '3.4s');
  assert.equal(formatSeconds(9999), '10s');
  assert.equal(formatSeconds(59_000), '59s');
  assert.equal(formatSeconds(90_000), '1m30s');
  assert.equal(formatUptime(510), '0.51s');
  assert.equal(formatUptime(11_520_000), '3h12m');
});

test('local ISO times read like clock/zone formatIso in the machine zone, without Intl', () => {
  const zone = machineZone();
  for (const ms of [0, 1_721_700_241_000, 1_721_700_241_123, 1_735_689_599_999, Date.now()]) {
    assert.equal(localIso(ms), formatIso(ms, zone), String(ms));
  }
});

test('the check.sh stamp is local time, whole seconds', () => {
  const ms = new Date(2024, 6, 23, 10, 4, 1, 900).getTime();
  assert.equal(guardianStamp(ms), '20240723 10:04:01');
});
