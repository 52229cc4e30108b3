// The repo's copy of the contract's schema must be the team's (shared/contract/analysis.schema.json) where the team's
// folder sits next to the repository. A clone has none: there the repository's own contract (docs/contract.md and
// contract/) stands alone, and test/docs/contract.test.ts checks it against the code.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SCHEMA_PATH, SHARED_SCHEMA_PATH } from './helpers/schema.js';

test('contract/analysis.schema.json is the shared contract, unchanged', (t) => {
  if (!existsSync(SHARED_SCHEMA_PATH)) {
    // Not a failure in CI either: CI runs on a clone, which by design carries the contract itself.
    const reason =
      'no shared/ folder next to the repository (a clone): no team copy to compare the schema with';
    console.log(`skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), readFileSync(SHARED_SCHEMA_PATH, 'utf8'));
});
