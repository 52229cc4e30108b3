// Free text, non-empty text and one of a few words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anyText, nonEmpty, oneOf } from '../../src/options/text.js';

test('nonEmpty refuses an empty or blank value and says what it needs', async () => {
  const fileName = nonEmpty('a file name');
  assert.deepEqual(await fileName('check.log'), { ok: true, value: 'check.log' });
  assert.deepEqual(await fileName(''), { ok: false, problem: 'needs a file name' });
  assert.deepEqual(await fileName('  '), { ok: false, problem: 'needs a file name' });
  assert.deepEqual(await anyText(''), { ok: true, value: '' });
});

test('oneOf: the word, or the list; two words read as "a or b"; --help gets the list', async () => {
  const failOn = oneOf(['oom', 'any-oom']);
  assert.deepEqual(await failOn('oom'), { ok: true, value: 'oom' });
  assert.deepEqual(await failOn('all'), { ok: false, problem: '"all" must be oom or any-oom' });
  assert.deepEqual(failOn.choices, ['oom', 'any-oom']);
  const format = oneOf(['generic', 'slack', 'wecom']);
  assert.deepEqual(await format('teams'), {
    ok: false,
    problem: '"teams" must be one of generic, slack, wecom',
  });
});
