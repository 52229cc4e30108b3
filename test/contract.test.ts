// The repo's copy of the contract's schema must be the team's (shared/contract/analysis.schema.json).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SCHEMA_PATH, SHARED_SCHEMA_PATH } from './helpers/schema.js';

test('contract/analysis.schema.json is the shared contract, unchanged', (t) => {
  if (!existsSync(SHARED_SCHEMA_PATH)) {
    const reason = 'no shared/ folder next to the project: cannot compare the schema copy with the original';
    if (process.env.CI === 'true') assert.fail(reason);
    console.log(`skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), readFileSync(SHARED_SCHEMA_PATH, 'utf8'));
});
