// The contract's JSON Schema, compiled once for tests. The repository carries it (contract/, described by
// docs/contract.md), so a clone without the team's shared/ folder runs every test; test/contract.test.ts keeps the
// copy equal to shared/'s where that folder exists.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const SCHEMA_PATH = new URL('../../contract/analysis.schema.json', import.meta.url);
export const SHARED_SCHEMA_PATH = new URL('../../../shared/contract/analysis.schema.json', import.meta.url);

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));

/** Schema violations of an analysis document, as readable lines; empty when valid. */
export function schemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '$'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
