import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIso, parseUserTime, wallToMs } from '../../src/clock/zone.js';

test('wall-clock fields are read in the given zone', () => {
  const ms = wallToMs(
    { year: 2024, month: 7, day: 23, hour: 10, minute: 4, second: 1, millis: 0 },
    'Asia/Shanghai',
  );
  assert.equal(ms, Date.parse('2024-07-23T02:04:01Z'));
});

test('an impossible date is null, not a guess', () => {
  assert.equal(
    wallToMs({ year: 2023, month: 2, day: 29, hour: 0, minute: 0, second: 0, millis: 0 }, 'UTC'),
    null,
  );
});

test('output times carry the zone offset, milliseconds only when present', () => {
  assert.equal(formatIso(Date.parse('2024-07-23T02:04:01Z'), 'Asia/Shanghai'), '2024-07-23T10:04:01+08:00');
  assert.equal(
    formatIso(Date.parse('2024-07-23T02:04:01.250Z'), 'Asia/Shanghai'),
    '2024-07-23T10:04:01.250+08:00',
  );
});

test('user times without an offset are read in the zone; with one, as given', () => {
  assert.equal(parseUserTime('2024-07-23T10:00:00', 'Asia/Shanghai'), Date.parse('2024-07-23T02:00:00Z'));
  assert.equal(parseUserTime('2024-07-23T10:00:00Z', 'Asia/Shanghai'), Date.parse('2024-07-23T10:00:00Z'));
  assert.equal(parseUserTime('yesterday', 'UTC'), null);
});
