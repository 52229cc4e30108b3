// Declarations: what the builders record from the flag text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duration } from '../../src/options/duration.js';
import { flag, option, repeatable } from '../../src/options/option-spec.js';
import { anyText } from '../../src/options/text.js';

test('each declaration knows its long flag, by which every problem with it is named', () => {
  const interval = option('--check-interval <duration>', 'heartbeat period', duration(), { default: '1m' });
  assert.equal(interval.name, '--check-interval');
  assert.equal(interval.kind, 'value');
  assert.equal(interval.default, '1m');
  assert.equal(flag('-j, --json', 'JSON').name, '--json');
  const secret = repeatable('--webhook-secret <secret>', 'signing secret', anyText, { secret: true });
  assert.equal(secret.kind, 'list');
  assert.equal(secret.secret, true);
  assert.equal(repeatable('--tag <tag>', 'a tag', anyText).secret, false);
  assert.ok(Object.isFrozen(interval));
});

test('a flag without a long name cannot be declared (problems could not name it)', () => {
  assert.throws(() => flag('-j', 'JSON'), /no long flag/);
});
