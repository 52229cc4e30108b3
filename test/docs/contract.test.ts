// docs/contract.md is the public contract as the repository carries it. It, the JSON Schema beside it and the code
// must name the same causes, confidences, `missing` words, schema id and analyze flags: none can drift alone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ANALYZE_OPTIONS } from '../../src/analyze/analyze-options.js';
import { ANALYSIS_SCHEMA } from '../../src/contract/analysis.js';
import { LANGUAGES } from '../../src/report/language.js';
import { WORDS } from '../../src/report/words.js';
import { SCHEMA_PATH } from '../helpers/schema.js';

const contract = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8');
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as {
  $defs: { incident: { properties: Record<string, { enum?: string[]; items?: { enum: string[] } }> } };
  properties: { schema: { const: string } };
};
const incident = schema.$defs.incident.properties;

/** The text of the section whose heading starts with `## N.`. */
function section(n: number): string {
  const start = contract.indexOf(`\n## ${n}.`);
  assert.ok(start >= 0, `docs/contract.md has no section ${n}`);
  const end = contract.indexOf('\n## ', start + 1);
  return contract.slice(start, end === -1 ? undefined : end);
}

const sorted = (values: Iterable<string>) => [...values].sort();

test('the causes: the table of section 2, the schema and the words of the report', () => {
  const rows = [...section(2).matchAll(/^\| `(?<cause>[a-z-]+)` \|/gm)].map((m) => m.groups!.cause!);
  assert.deepEqual(sorted(rows), sorted(incident.cause!.enum!));
  for (const language of LANGUAGES)
    assert.deepEqual(sorted(Object.keys(WORDS[language].cause)), sorted(rows));
});

test('the confidences and the `missing` words: section 2, the schema and the code', () => {
  for (const confidence of incident.confidence!.enum!) {
    assert.match(section(2), new RegExp(`\`${confidence}\``), `confidence ${confidence}`);
  }
  const missingLine = /\*\*`missing`\*\* uses these words:(?<words>[^\n]*(?:\n[^\n-][^\n]*)*)/.exec(
    section(2),
  );
  const words = [...(missingLine?.groups?.words ?? '').matchAll(/`(?<word>[a-z-]+)`/g)].map(
    (m) => m.groups!.word!,
  );
  assert.deepEqual(sorted(words), sorted(incident.missing!.items!.enum));
  for (const language of LANGUAGES)
    assert.deepEqual(sorted(Object.keys(WORDS[language].missing)), sorted(words));
});

test('the schema id of section 4 is the one the code writes', () => {
  assert.match(section(4), new RegExp(`schema: "${ANALYSIS_SCHEMA}"`));
  assert.equal(schema.properties.schema.const, ANALYSIS_SCHEMA);
});

test('every analyze flag is in section 3, and section 3 names no flag analyze does not have', () => {
  const declared = Object.values(ANALYZE_OPTIONS).map((spec) => spec.name);
  const named = new Set([...section(3).matchAll(/`(?<flag>--[a-z][a-z-]*)/g)].map((m) => m.groups!.flag!));
  assert.deepEqual(sorted(named), sorted(declared));
});
