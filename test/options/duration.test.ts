// Durations: the text form (moved here with the parser from the guard) and the option parser's limits and messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duration, parseDuration } from '../../src/options/duration.js';

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

test('a duration option: milliseconds, or a problem that quotes the text and shows the fix', async () => {
  const parse = duration({ min: '1s' });
  assert.deepEqual(await parse('1m30s'), { ok: true, value: 90_000 });
  assert.deepEqual(await parse('5'), {
    ok: false,
    problem: '"5" is not a duration: use a number with a unit, e.g. 200ms, 5s, 1m, 1h',
  });
  assert.deepEqual(await parse('500ms'), { ok: false, problem: '500ms is too short: at least 1s' });
  assert.deepEqual(await duration()('0s'), { ok: true, value: 0 });
});

test('zeroTurnsOff: 0, bare or with a unit, is accepted below the minimum and said in the messages', async () => {
  const parse = duration({ min: '1s', zeroTurnsOff: true });
  assert.deepEqual(await parse('0'), { ok: true, value: 0 });
  assert.deepEqual(await parse('0s'), { ok: true, value: 0 });
  assert.deepEqual(await parse('500ms'), {
    ok: false,
    problem: '500ms is too short: at least 1s, or 0 to turn it off',
  });
  assert.deepEqual(await parse('never'), {
    ok: false,
    problem:
      '"never" is not a duration: use a number with a unit, e.g. 200ms, 5s, 1m, 1h, or 0 to turn it off',
  });
  assert.deepEqual(await duration({ min: '1s' })('0'), {
    ok: false,
    problem: '"0" is not a duration: use a number with a unit, e.g. 200ms, 5s, 1m, 1h',
  });
});

test('a minimum that is not a duration is a bug in the declaration', () => {
  assert.throws(() => duration({ min: '1 second' }), /not a duration/);
});
