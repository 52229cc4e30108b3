// The repo's copy of the contract's schema must be the team's (shared/contract/analysis.schema.json).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SCHEMA_PATH, SHARED_SCHEMA_PATH } from './helpers/schema.js';
import { skipUnlessCi } from './helpers/skip.js';

test('contract/analysis.schema.json is the shared contract, unchanged', (t) => {
  if (!existsSync(SHARED_SCHEMA_PATH)) {
    skipUnlessCi(
      t,
      'no shared/ folder next to the project: cannot compare the schema copy with the original',
    );
    return;
  }
  assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), readFileSync(SHARED_SCHEMA_PATH, 'utf8'));
});
