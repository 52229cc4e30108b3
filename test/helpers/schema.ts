// The contract's JSON Schema, compiled once for tests. The repository carries it (contract/, described by
// docs/contract.md), so a clone without the team's shared/ folder runs every test; test/contract.test.ts keeps the
// copy equal to shared/'s where that folder exists.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const SCHEMA_PATH = new URL('../../contract/analysis.schema.json', import.meta.url);
export const SHARED_SCHEMA_PATH = new URL('../../../shared/contract/analysis.schema.json', import.meta.url);
/** oomsleuth's own member of an incident, which the team's schema allows but does not describe. */
export const DIAGNOSIS_SCHEMA_PATH = new URL('../../contract/diagnosis.schema.json', import.meta.url);

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
const validateDiagnosis = ajv.compile(JSON.parse(readFileSync(DIAGNOSIS_SCHEMA_PATH, 'utf8')));

/** Schema violations of an analysis document (its incidents' diagnoses included), as readable lines; empty when valid. */
export function schemaErrors(document: unknown): string[] {
  const errors = validate(document) ? [] : lines(validate.errors, '');
  const incidents = (document as { incidents?: unknown } | null)?.incidents;
  if (Array.isArray(incidents)) {
    incidents.forEach((incident, n) => {
      const diagnosis = (incident as { diagnosis?: unknown } | null)?.diagnosis;
      if (diagnosis !== undefined && !validateDiagnosis(diagnosis))
        errors.push(...lines(validateDiagnosis.errors, `/incidents/${n}/diagnosis`));
    });
  }
  return errors;
}

function lines(errors: typeof validate.errors, prefix: string): string[] {
  return (errors ?? []).map(
    (e) =>
      `${prefix}${e.instancePath}${prefix || e.instancePath ? '' : '$'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
