// One error for every problem: usage first, each with its code; one problem keeps its own code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OomsleuthError } from '../../src/errors.js';
import { Problems } from '../../src/options/problems.js';

function thrown(problems: Problems): OomsleuthError {
  try {
    problems.throwIfAny();
  } catch (error) {
    assert.ok(error instanceof OomsleuthError);
    return error;
  }
  assert.fail('nothing thrown');
}

test('no problem: nothing thrown', () => {
  const problems = new Problems('analyze');
  assert.equal(problems.isEmpty, true);
  problems.throwIfAny();
});

test('one problem: on one line, named by the command, with its own code', () => {
  const problems = new Problems('guard');
  problems.add('OOMS_E_GUARD_CWD_MISSING', 'working directory /x does not exist');
  const error = thrown(problems);
  assert.equal(error.code, 'OOMS_E_GUARD_CWD_MISSING');
  assert.equal(error.message, 'guard: working directory /x does not exist [OOMS_E_GUARD_CWD_MISSING]');
});

test('several: every one listed, usage first (fixed on the command line), the error coded as the first', () => {
  const problems = new Problems('guard');
  problems.add('OOMS_E_GUARD_LOG_UNWRITABLE', '--check-log /ro/check.log: directory /ro is not writable');
  problems.usage('--check-interval 500ms is too short: at least 1s');
  problems.usage('--once and --daemon do not go together');
  const error = thrown(problems);
  assert.equal(error.code, 'OOMS_E_USAGE');
  assert.deepEqual(error.message.split('\n'), [
    'guard cannot start:',
    '  - --check-interval 500ms is too short: at least 1s [OOMS_E_USAGE]',
    '  - --once and --daemon do not go together [OOMS_E_USAGE]',
    '  - --check-log /ro/check.log: directory /ro is not writable [OOMS_E_GUARD_LOG_UNWRITABLE]',
  ]);
});
