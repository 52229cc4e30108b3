// The small formatters of the guard: uptimes, local ISO times, the check.sh stamp.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIso, machineZone } from '../../src/clock/zone.js';
import { guardianStamp } from '../../src/guard/check-log.js';
import { localIso } from '../../src/guard/local-time.js';
import { formatSeconds, formatUptime } from '../../src/report/sizes.js';

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
