// Bad usage of a nested command (`guard status`, `alert test`) exits 2 like any other: commander exits with 1 unless
// every command, nested ones included, is told to throw (run-cli.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

for (const args of [
  ['guard', 'status', '--no-such-flag'],
  ['guard', 'stop', '--no-such-flag'],
  ['alert', 'test', '--no-such-flag'],
]) {
  test(`oomsleuth ${args.join(' ')}: exit 2, the flag named`, async () => {
    const run = await runCli(args);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--no-such-flag/);
  });
}
