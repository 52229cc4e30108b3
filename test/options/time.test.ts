// Zones, times and years on the command line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instant, type UserTime, year, zone } from '../../src/options/time.js';

test('a zone: an IANA name, or a problem with examples', async () => {
  assert.deepEqual(await zone('Asia/Shanghai'), { ok: true, value: 'Asia/Shanghai' });
  assert.deepEqual(await zone('UTC'), { ok: true, value: 'UTC' });
  assert.deepEqual(await zone('Mars/Olympus'), {
    ok: false,
    problem: '"Mars/Olympus" is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC)',
  });
});

async function time(text: string): Promise<UserTime> {
  const parsed = await instant(text);
  assert.ok(parsed.ok, text);
  return parsed.value;
}

test('a time without an offset is read in the zone given later; one with an offset is absolute', async () => {
  const local = await time('2024-07-23T10:00:00');
  assert.equal(local.inZone('Asia/Shanghai'), Date.parse('2024-07-23T02:00:00Z'));
  assert.equal(local.inZone('UTC'), Date.parse('2024-07-23T10:00:00Z'));
  const absolute = await time('2024-07-23T10:00:00+08:00');
  assert.equal(absolute.inZone('Europe/Berlin'), Date.parse('2024-07-23T02:00:00Z'));
  assert.equal((await time('2024-07-23')).inZone('UTC'), Date.parse('2024-07-23T00:00:00Z'));
});

test('a wall time in a DST gap is a time in every zone (checked in UTC, read in the zone)', async () => {
  const gap = await time('2024-03-10T02:30:00');
  assert.equal(typeof gap.inZone('America/New_York'), 'number');
});

test('not a time: the text quoted, with examples', async () => {
  assert.deepEqual(await instant('yesterday'), {
    ok: false,
    problem: '"yesterday" is not an ISO 8601 time (e.g. 2024-07-23T10:00:00+08:00 or 2024-07-23)',
  });
});

test('a year: four digits between 1970 and 2100', async () => {
  assert.deepEqual(await year('2024'), { ok: true, value: 2024 });
  assert.deepEqual(await year('24'), { ok: false, problem: '"24" must be a four-digit year, e.g. 2024' });
  assert.deepEqual(await year('1900'), { ok: false, problem: '1900 must be between 1970 and 2100' });
});
