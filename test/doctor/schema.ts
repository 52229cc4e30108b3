// contract/doctor.schema.json compiled once for doctor's tests.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(
  JSON.parse(readFileSync(new URL('../../contract/doctor.schema.json', import.meta.url), 'utf8')),
);

/** Schema violations of a doctor report, as readable lines; empty when valid. */
export function doctorSchemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '$'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
