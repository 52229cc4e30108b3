// The error registry and docs/errors.md list the same codes (fastify's habit): neither can drift alone.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ERROR_CODES } from '../src/errors.js';

const docsUrl = new URL('../docs/errors.md', import.meta.url);
const CODE = /OOMS_E_[A-Z0-9_]*[A-Z0-9]/g;
const HEADING = /^## (?<code>OOMS_E_[A-Z0-9_]+)\s*$/gm;
const TOC_ROW = /^\| \[`(?<code>OOMS_E_[A-Z0-9_]+)`\]\(#(?<anchor>[a-z0-9_]+)\) \|/gm;

const registered = Object.keys(ERROR_CODES).sort();

test('every code in ERROR_CODES has a section in docs/errors.md', async () => {
  const docs = await readFile(docsUrl, 'utf8');
  const headings = [...docs.matchAll(HEADING)].map((m) => m.groups?.code as string);
  assert.deepEqual([...headings].sort(), registered);
  assert.equal(new Set(headings).size, headings.length, 'a code has two sections');
});

test('every code in ERROR_CODES is in the table of docs/errors.md, linked to its section', async () => {
  const docs = await readFile(docsUrl, 'utf8');
  const rows = [...docs.matchAll(TOC_ROW)].map((m) => m.groups as { code: string; anchor: string });
  assert.deepEqual(rows.map((row) => row.code).sort(), registered);
  for (const row of rows) assert.equal(row.anchor, row.code.toLowerCase(), `anchor of ${row.code}`);
});

test('docs/errors.md mentions no code that the registry does not have', async () => {
  const docs = await readFile(docsUrl, 'utf8');
  const mentioned = new Set(docs.match(CODE) ?? []);
  for (const code of mentioned)
    assert.ok(code in ERROR_CODES, `${code} is documented but not in ERROR_CODES`);
});

test('every registered code is named OOMS_E_<AREA>_<PROBLEM> and described', () => {
  for (const [code, description] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^OOMS_E_[A-Z]+(?:_[A-Z0-9]+)*$/);
    assert.ok(description.length > 10, `${code} has a description`);
  }
});
