// The committed WebAssembly module must be the one its .wat source compiles to (fastify's integrity habit).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderLineScanModule } from '../../scripts/build-wasm.js';

test('src/sources/prefilter/line-scan-wasm.ts is up to date with line-scan.wat (else: npm run build:wasm)', async () => {
  const committed = readFileSync(
    new URL('../../src/sources/prefilter/line-scan-wasm.ts', import.meta.url),
    'utf8',
  );
  assert.equal(committed, await renderLineScanModule());
});
