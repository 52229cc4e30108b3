// analyze's options at the edge: times completed by --tz, cross-field checks with the flag checks, a frozen result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAnalyzeConfig } from '../../src/analyze/analyze-config.js';
import { OomsleuthError } from '../../src/errors.js';

test('--since, --until and --boot-time without an offset are read in --tz; the result is frozen', async () => {
  const config = await loadAnalyzeConfig(['logs'], {
    tz: 'Asia/Shanghai',
    since: '2024-07-23T10:00:00',
    until: '2024-07-24',
    bootTime: '2024-07-01T00:00:00Z',
    year: '2024',
    failOn: 'any-oom',
  });
  assert.equal(config.zone, 'Asia/Shanghai');
  assert.equal(config.since, Date.parse('2024-07-23T02:00:00Z'));
  assert.equal(config.until, Date.parse('2024-07-23T16:00:00Z'));
  assert.equal(config.bootTimeMs, Date.parse('2024-07-01T00:00:00Z'));
  assert.equal(config.year, 2024);
  assert.equal(config.failOn, 'any-oom');
  assert.equal(config.json, false);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.paths));
});

test('flag problems and cross-field problems come in one error', async () => {
  const error = await loadAnalyzeConfig([''], {
    since: '2024-07-24',
    until: '2024-07-23',
    failOn: 'always',
  }).catch((e: unknown) => e);
  assert.ok(error instanceof OomsleuthError);
  assert.equal(error.code, 'OOMS_E_USAGE');
  assert.deepEqual(error.message.split('\n'), [
    'analyze cannot start:',
    '  - --fail-on "always" must be oom or any-oom [OOMS_E_USAGE]',
    '  - PATH an empty path was given [OOMS_E_USAGE]',
    '  - --since 2024-07-24 is after --until 2024-07-23 [OOMS_E_USAGE]',
  ]);
});
