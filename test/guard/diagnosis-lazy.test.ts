// The resident guard does not carry the diagnosis: it is loaded by a dynamic import at an OOM death only.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const guardDir = fileURLToPath(new URL('../../src/guard/', import.meta.url));

test('no file of src/guard imports the diagnosis statically; the supervisor imports it at the death', () => {
  const files = readdirSync(guardDir).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(guardDir, file), 'utf8');
    assert.doesNotMatch(text, /from '\.\.\/diagnose\//, `${file} imports src/diagnose statically`);
    assert.doesNotMatch(
      text,
      /from '\.\.\/report\/diagnosis-words/,
      `${file} imports the diagnosis words statically`,
    );
  }
  const supervisor = readFileSync(join(guardDir, 'supervisor.ts'), 'utf8');
  assert.match(supervisor, /import\('\.\.\/diagnose\/from-guard\.js'\)/);
});
