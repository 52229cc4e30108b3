// The crash-loop policy: at once after a stable life, growing delays while the child keeps dying young, a cap, a
// reset, and --max-restarts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, DEFAULT_BACKOFF } from '../../src/guard/backoff.js';

const policy = { ...DEFAULT_BACKOFF, stableAfterMs: 60_000 };

test('a death after a stable life restarts at once, every time', () => {
  const backoff = new Backoff(policy);
  for (let i = 0; i < 5; i++)
    assert.deepEqual(backoff.afterDeath(3_600_000), { restart: true, delayMs: 0, shortLivesInARow: 0 });
});

test('short lives in a row: 0, 1 s, 2 s, 4 s … capped at 60 s', () => {
  const backoff = new Backoff(policy);
  const delays = Array.from({ length: 10 }, () => {
    const decision = backoff.afterDeath(50);
    assert.equal(decision.restart, true);
    return decision.restart ? decision.delayMs : -1;
  });
  assert.deepEqual(delays, [0, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
});

test('a stable life resets the count', () => {
  const backoff = new Backoff(policy);
  backoff.afterDeath(10);
  backoff.afterDeath(10);
  assert.deepEqual(backoff.afterDeath(10), { restart: true, delayMs: 2000, shortLivesInARow: 3 });
  assert.deepEqual(backoff.afterDeath(60_000), { restart: true, delayMs: 0, shortLivesInARow: 0 });
  assert.deepEqual(backoff.afterDeath(10), { restart: true, delayMs: 0, shortLivesInARow: 1 });
});

test('--max-restarts N: N restarts in a row of short lives, then no more', () => {
  const backoff = new Backoff({ ...policy, maxRestarts: 3 });
  assert.equal(backoff.afterDeath(10).restart, true);
  assert.equal(backoff.afterDeath(10).restart, true);
  assert.equal(backoff.afterDeath(10).restart, true);
  assert.deepEqual(backoff.afterDeath(10), { restart: false, shortLivesInARow: 4 });
});

test('--max-restarts 0 gives up at the first short life but still restarts after stable ones', () => {
  const backoff = new Backoff({ ...policy, maxRestarts: 0 });
  assert.equal(backoff.afterDeath(120_000).restart, true);
  assert.equal(backoff.afterDeath(10).restart, false);
});
