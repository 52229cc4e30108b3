// Whole-folder end-to-end cases: each test/scenarios/<name>/ holds logs/ and expected.json (see its README).
// The built CLI runs on logs/; its JSON must satisfy the contract's schema and the expectation.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DIAGNOSIS_KINDS } from '../src/contract/analysis.js';
import { runCli } from './helpers/cli.js';
import { schemaErrors } from './helpers/schema.js';
import { subsetMismatches } from './helpers/subset.js';

const root = fileURLToPath(new URL('./scenarios/', import.meta.url));

interface SourceExpectation {
  path: string;
  problemsInclude?: string;
  /** A phrase one of the source's notes must hold (what was inferred or taken off), case-insensitive. */
  notesInclude?: string;
  [key: string]: unknown;
}

interface Scenario {
  description: string;
  why?: string;
  args?: string[];
  mtimes?: Record<string, string>;
  exitCode?: number;
  logsDir?: string;
  expect: { sources?: SourceExpectation[]; [key: string]: unknown };
}

const names = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

test('there are at least 25 scenarios', () => {
  assert.ok(names.length >= 25, `only ${names.length} scenarios`);
});

/** The diagnosis kinds a scenario's answer states (`incidents[].diagnosis.kind`). */
function diagnosisKinds(scenario: Scenario): string[] {
  const incidents = (scenario.expect.incidents ?? []) as { diagnosis?: { kind?: string } }[];
  return incidents.flatMap((i) => (i.diagnosis?.kind ? [i.diagnosis.kind] : []));
}

test('at least 8 scenarios decide a diagnosis kind from the evidence, every kind among them', () => {
  const stated = names.map((n) =>
    diagnosisKinds(JSON.parse(readFileSync(join(root, n, 'expected.json'), 'utf8')) as Scenario),
  );
  assert.ok(stated.filter((k) => k.length > 0).length >= 8, 'fewer than 8 scenarios state a diagnosis');
  const kinds = new Set(stated.flat());
  for (const kind of DIAGNOSIS_KINDS) assert.ok(kinds.has(kind), `no scenario decides ${kind}`);
});

const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const cases = [
  ...names.map((name) => ({
    title: `scenario ${name}`,
    file: join(root, name, 'expected.json'),
    logs: join(root, name),
  })),
  // The bundled example's verdicts sit next to its folder (so analysing the folder does not read them).
  ...readdirSync(examples)
    .filter((f) => f.endsWith('.expected.json'))
    .map((f) => ({
      title: `example ${f}`,
      file: join(examples, f),
      logs: join(examples, f.replace('.expected.json', '')),
    })),
];

for (const { title, file, logs: folder } of cases) {
  const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
  test(`${title}: ${scenario.description}`, async () => {
    const logs = file.startsWith(examples) ? folder : join(folder, scenario.logsDir ?? 'logs');
    for (const [file, iso] of Object.entries(scenario.mtimes ?? {})) {
      const at = new Date(iso);
      utimesSync(join(logs, file), at, at);
    }
    // Small inputs are read line by line unless told otherwise: prefilter them here, and compare below.
    const run = await runCli(['analyze', logs, '--json', ...(scenario.args ?? [])], {
      env: { OOMSLEUTH_PREFILTER: 'always' },
    });
    const why = scenario.why ? `\nwhy: ${scenario.why}` : '';
    assert.equal(run.code, scenario.exitCode ?? 0, `exit code; stderr:\n${run.stderr}${why}`);
    if (run.code === 2) return;
    const analysis = JSON.parse(run.stdout);
    assert.deepEqual(schemaErrors(analysis), [], 'output violates the contract schema');
    const { sources, ...rest } = scenario.expect;
    const mismatches = subsetMismatches(analysis, rest);
    // Every OOM death is diagnosed (the expected kind, where the answer states one, is checked with the rest).
    for (const [i, incident] of (analysis.incidents as { cause: string; diagnosis?: unknown }[]).entries()) {
      const oom = ['oom-killer', 'oom-daemon', 'runtime-oom'].includes(incident.cause);
      if (oom !== (incident.diagnosis !== undefined))
        mismatches.push(`incidents[${i}]: cause ${incident.cause} ${oom ? 'without' : 'with'} a diagnosis`);
    }
    for (const expected of sources ?? []) {
      const { path, problemsInclude, notesInclude, ...fields } = expected;
      const actual = (analysis.sources as { path: string; problems: string[]; notes: string[] }[]).find((s) =>
        s.path.endsWith(path),
      );
      if (!actual) {
        mismatches.push(
          `sources: no source ending in ${path} (have ${analysis.sources.map((s: { path: string }) => s.path).join(', ')})`,
        );
        continue;
      }
      mismatches.push(...subsetMismatches(actual, fields, `sources[${path}]`));
      if (
        problemsInclude &&
        !actual.problems.some((p) => p.toLowerCase().includes(problemsInclude.toLowerCase()))
      ) {
        mismatches.push(
          `sources[${path}].problems: none includes "${problemsInclude}": ${JSON.stringify(actual.problems)}`,
        );
      }
      if (notesInclude && !actual.notes.some((n) => n.toLowerCase().includes(notesInclude.toLowerCase()))) {
        mismatches.push(
          `sources[${path}].notes: none includes "${notesInclude}": ${JSON.stringify(actual.notes)}`,
        );
      }
    }
    assert.deepEqual(
      mismatches,
      [],
      `${scenario.description}${why}\nincidents: ${JSON.stringify(analysis.incidents.map(brief), null, 1)}`,
    );

    // The prefilter decodes only the lines that can matter: the answer must be the one a full read gives.
    const full = await runCli(['analyze', logs, '--json', ...(scenario.args ?? [])], {
      env: { OOMSLEUTH_PREFILTER: 'off' },
    });
    assert.equal(full.code, run.code);
    const { generatedAt: _prefiltered, ...prefiltered } = analysis;
    const { generatedAt: _full, ...everything } = JSON.parse(full.stdout);
    assert.deepEqual(prefiltered, everything, 'prefiltered and full reads differ');
  });
}

function brief(i: Record<string, unknown>): Record<string, unknown> {
  const { evidence, ...rest } = i;
  return {
    ...rest,
    evidence: (evidence as { source: string; line: number; says: string }[]).map(
      (e) => `${e.source}:${e.line} ${e.says}`,
    ),
  };
}
