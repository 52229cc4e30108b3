// Zones, times and years on the command line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instant, parseTimeSpan, type UserTime, when, year, zone } from '../../src/options/time.js';

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

// "Now" for the relative times below: 2024-07-23 10:30:00 in Shanghai.
const NOW = Date.parse('2024-07-23T02:30:00Z');
const relative = when(() => NOW);

async function at(text: string, zoneName = 'Asia/Shanghai'): Promise<string> {
  const parsed = await relative(text);
  assert.ok(parsed.ok, `${text}: ${parsed.ok ? '' : parsed.problem}`);
  return new Date(parsed.value.inZone(zoneName)).toISOString();
}

test('--since/--until take what journalctl takes: now, today, yesterday, tomorrow, a time today', async () => {
  assert.equal(await at('now'), '2024-07-23T02:30:00.000Z');
  assert.equal(await at('today'), '2024-07-22T16:00:00.000Z', 'midnight in the zone');
  assert.equal(await at('yesterday'), '2024-07-21T16:00:00.000Z');
  assert.equal(await at('tomorrow'), '2024-07-23T16:00:00.000Z');
  assert.equal(await at('today', 'UTC'), '2024-07-23T00:00:00.000Z');
  assert.equal(await at('09:15'), '2024-07-23T01:15:00.000Z');
  assert.equal(await at('23:59:30', 'UTC'), '2024-07-23T23:59:30.000Z');
});

test('a span from now: -1h, +30min, "2 days ago", "5min left", several units', async () => {
  assert.equal(await at('-1h'), '2024-07-23T01:30:00.000Z');
  assert.equal(await at('-30min'), '2024-07-23T02:00:00.000Z');
  assert.equal(await at('+30min'), '2024-07-23T03:00:00.000Z');
  assert.equal(await at('2 days ago'), '2024-07-21T02:30:00.000Z');
  assert.equal(await at('1h 30min ago'), '2024-07-23T01:00:00.000Z');
  assert.equal(await at('5min left'), '2024-07-23T02:35:00.000Z');
  assert.equal(await at('-1w'), '2024-07-16T02:30:00.000Z');
  assert.equal(parseTimeSpan('1M'), 30.44 * 86_400_000, 'M is a month, m a minute');
  assert.equal(parseTimeSpan('1m'), 60_000);
  assert.equal(parseTimeSpan('55s500ms'), 55_500);
  assert.equal(parseTimeSpan('3 fortnights'), null);
});

test('absolute forms: ISO 8601, a date and time with a space, a date, @epoch', async () => {
  assert.equal(await at('2024-07-23 10:00'), '2024-07-23T02:00:00.000Z');
  assert.equal(await at('2024-07-23 10:00:05'), '2024-07-23T02:00:05.000Z');
  assert.equal(await at('2024-07-23T10:00:00+08:00', 'UTC'), '2024-07-23T02:00:00.000Z');
  assert.equal(await at('2024-07-23'), '2024-07-22T16:00:00.000Z');
  assert.equal(await at('@1721700227'), '2024-07-23T02:03:47.000Z');
});

test('not a time: said with every form it could be', async () => {
  for (const text of ['yesterday-ish', '-1 fortnight', '25:00', 'soon', '']) {
    const parsed = await relative(text);
    assert.ok(!parsed.ok, text);
    assert.match(
      parsed.problem,
      /is not a time: use ISO 8601 .* now, today, yesterday, or a span from now \(-1h/,
    );
  }
});
