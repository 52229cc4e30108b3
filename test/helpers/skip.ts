// A test that needs something this machine may lack: skipped with the reason printed locally, failed in CI
// (CI=true), where the machine is known to have it — so CI never passes on a test it did not run.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

export function skipUnlessCi(t: TestContext, reason: string): void {
  if (process.env.CI === 'true') assert.fail(`CI=true, so this is a failure: ${reason}`);
  console.log(`skipped: ${reason}`);
  t.skip(reason);
}
