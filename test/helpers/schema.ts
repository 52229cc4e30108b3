// The contract's JSON Schema (shared/contract/analysis.schema.json), compiled once for tests.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const schemaPath = new URL('../../../shared/contract/analysis.schema.json', import.meta.url);
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

/** Schema violations of an analysis document, as readable lines; empty when valid. */
export function schemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '$'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
