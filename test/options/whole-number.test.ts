// Counts: digits only, in range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wholeNumber } from '../../src/options/whole-number.js';

test('a whole number in range, or why not', async () => {
  const restarts = wholeNumber({ min: 0, max: 999 });
  assert.deepEqual(await restarts('5'), { ok: true, value: 5 });
  assert.deepEqual(await restarts('0'), { ok: true, value: 0 });
  assert.deepEqual(await restarts('-1'), { ok: false, problem: '"-1" must be a whole number ≥ 0' });
  assert.deepEqual(await restarts('1.5'), { ok: false, problem: '"1.5" must be a whole number ≥ 0' });
  assert.deepEqual(await restarts('1000'), { ok: false, problem: '1000 is too large: at most 999' });
  assert.deepEqual(await wholeNumber({ min: 1, max: 9 })('0'), {
    ok: false,
    problem: '0 is too small: at least 1',
  });
});
