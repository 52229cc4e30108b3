// Validation at the edge: every problem together, defaults applied, the result frozen; and every command's own
// declarations hold (their defaults parse, nothing given means no problem).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANALYZE_OPTIONS } from '../../src/analyze/analyze-options.js';
import { OomsleuthError } from '../../src/errors.js';
import { GUARD_OPTIONS } from '../../src/guard/guard-options.js';
import { duration } from '../../src/options/duration.js';
import { flag, invalid, option, repeatable } from '../../src/options/option-spec.js';
import { Problems } from '../../src/options/problems.js';
import { size } from '../../src/options/size.js';
import { anyText, nonEmpty, oneOf } from '../../src/options/text.js';
import { zone } from '../../src/options/time.js';
import { freezeConfig, validateOptions } from '../../src/options/validate.js';
import { INCIDENTS_OPTIONS } from '../../src/watch/incidents-options.js';
import { WATCH_OPTIONS } from '../../src/watch/watch-options.js';

const SPECS = {
  name: option('--name <name>', 'a name', nonEmpty('a name')),
  interval: option('--interval <duration>', 'period', duration({ min: '1s' }), { default: '1m' }),
  limit: option('--limit <size>', 'memory limit', size({ min: '4M' })),
  mode: option('--mode <mode>', 'mode', oneOf(['fast', 'slow']), { default: 'fast' }),
  tz: option('--tz <zone>', 'zone', zone),
  tag: repeatable('--tag <tag>', 'tags', nonEmpty('a tag')),
  token: repeatable('--token <token>', 'tokens', nonEmpty('a token'), { secret: true }),
  json: flag('--json', 'JSON'),
} as const;

function thrown(problems: Problems): OomsleuthError {
  try {
    problems.throwIfAny();
  } catch (error) {
    assert.ok(error instanceof OomsleuthError);
    return error;
  }
  assert.fail('nothing thrown');
}

test('nothing given: the declared defaults, parsed; no value for options without one; no problem', async () => {
  const problems = new Problems('demo');
  const { values, given, invalid } = await validateOptions(SPECS, {}, problems);
  assert.equal(problems.isEmpty, true);
  assert.deepEqual(values, {
    name: undefined,
    interval: 60_000,
    limit: undefined,
    mode: 'fast',
    tz: undefined,
    tag: [],
    token: [],
    json: false,
  });
  assert.equal(given.size, 0);
  assert.equal(invalid.size, 0);
});

test('values given are parsed and typed', async () => {
  const problems = new Problems('demo');
  const { values, given } = await validateOptions(
    SPECS,
    { name: 'web', interval: '5s', limit: '1G', mode: 'slow', tz: 'UTC', tag: ['a', 'b'], json: true },
    problems,
  );
  assert.equal(problems.isEmpty, true);
  assert.deepEqual(values, {
    name: 'web',
    interval: 5000,
    limit: 1024 ** 3,
    mode: 'slow',
    tz: 'UTC',
    tag: ['a', 'b'],
    token: [],
    json: true,
  });
  assert.deepEqual(Object.fromEntries(given), {
    name: 1,
    interval: 1,
    limit: 1,
    mode: 1,
    tz: 1,
    tag: 2,
    json: 1,
  });
});

test('every problem is reported, together, in declaration order, each named by its flag', async () => {
  const problems = new Problems('demo');
  const { values, invalid } = await validateOptions(
    SPECS,
    {
      name: ' ',
      interval: '500ms',
      limit: '12Q',
      mode: 'medium',
      tz: 'Mars/Olympus',
      tag: ['ok', ''],
      token: ['good', '', 'fine'],
    },
    problems,
  );
  const error = thrown(problems);
  assert.equal(error.code, 'OOMS_E_USAGE');
  assert.deepEqual(error.message.split('\n'), [
    'demo cannot start:',
    '  - --name needs a name [OOMS_E_USAGE]',
    '  - --interval 500ms is too short: at least 1s [OOMS_E_USAGE]',
    '  - --limit "12Q" is not a size: e.g. 512M, 2G, 1.5G [OOMS_E_USAGE]',
    '  - --mode "medium" must be fast or slow [OOMS_E_USAGE]',
    '  - --tz "Mars/Olympus" is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC) [OOMS_E_USAGE]',
    '  - --tag needs a tag [OOMS_E_USAGE]',
    // A secret value is named by its position, never repeated.
    '  - --token #2 needs a token [OOMS_E_USAGE]',
  ]);
  assert.deepEqual([...invalid].sort(), ['interval', 'limit', 'mode', 'name', 'tag', 'token', 'tz']);
  // An invalid value leaves the default (or nothing), so cross-field checks after it see a well-typed value.
  assert.equal(values.interval, 60_000);
  assert.equal(values.mode, 'fast');
  assert.equal(values.limit, undefined);
  assert.deepEqual(values.tag, ['ok']);
});

test('a key that is not declared, or a value of the wrong kind, is a bug in the caller: it throws', async () => {
  await assert.rejects(
    validateOptions(SPECS, { nmae: 'web' }, new Problems('demo')),
    /"nmae" is not declared/,
  );
  await assert.rejects(validateOptions(SPECS, { json: 'yes' }, new Problems('demo')), /--json was handed/);
  await assert.rejects(validateOptions(SPECS, { tag: 'a' }, new Problems('demo')), /--tag was handed/);
  await assert.rejects(
    validateOptions(SPECS, { interval: 5 }, new Problems('demo')),
    /--interval was handed/,
  );
});

test('a declared default that does not parse is a bug in the declaration: it throws', async () => {
  const broken = { every: option('--every <d>', 'period', duration(), { default: 'often' }) };
  await assert.rejects(validateOptions(broken, {}, new Problems('demo')), /default of --every is invalid/);
  const refuses = { word: option('--word <w>', 'a word', () => invalid('never'), { default: 'x' }) };
  await assert.rejects(
    validateOptions(refuses, {}, new Problems('demo')),
    /default of --word is invalid: never/,
  );
});

test('freezeConfig freezes the config and the plain objects and arrays in it, not other objects', () => {
  const url = new URL('https://example.com/');
  const config = freezeConfig({ paths: ['a'], nested: { list: [{ x: 1 }] }, url });
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.paths));
  assert.ok(Object.isFrozen(config.nested.list[0]));
  assert.equal(Object.isFrozen(url), false);
  assert.throws(() => {
    (config.paths as string[]).push('b');
  }, TypeError);
});

test("every command's declarations: with nothing given, no problem and every default parses", async () => {
  for (const [command, specs] of Object.entries({
    analyze: ANALYZE_OPTIONS,
    guard: GUARD_OPTIONS,
    watch: WATCH_OPTIONS,
    incidents: INCIDENTS_OPTIONS,
  })) {
    const problems = new Problems(command);
    await validateOptions(specs, {}, problems);
    assert.equal(problems.isEmpty, true, command);
  }
  const { values } = await validateOptions(WATCH_OPTIONS, {}, new Problems('watch'));
  assert.deepEqual(
    [values.alertOn, values.settle, values.alertRetryMax, values.crashLoopWindow],
    ['app', 90_000, 300_000, 300_000],
  );
});

test('anyText keeps an empty value (an empty --webhook-secret is "none for this webhook")', async () => {
  const specs = { secret: repeatable('--secret <s>', 'secret', anyText, { secret: true }) };
  const { values } = await validateOptions(specs, { secret: ['', 'k'] }, new Problems('demo'));
  assert.deepEqual(values.secret, ['', 'k']);
});
