// analyze's options (declared in src/analyze/analyze-options.ts), validated once at the edge: every problem reported
// together, then frozen. Below this nothing re-checks. No schema library: loading zod costs ~100 ms of startup on a
// machine that may have just run out of memory (see docs/ARCHITECTURE.md).

import { machineZone } from '../clock/zone.js';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { chooseLanguages, type Language } from '../report/language.js';
import { ANALYZE_OPTIONS } from './analyze-options.js';

export interface AnalyzeConfig {
  readonly paths: readonly string[];
  readonly app: string | null;
  readonly zone: string;
  readonly year: number | null;
  readonly bootTimeMs: number | null;
  readonly since: number | null;
  readonly until: number | null;
  /** Read this machine's own sources as well as `paths` (always when `paths` is empty). */
  readonly machine: boolean;
  readonly json: boolean;
  /** Where to write the HTML report, besides the terminal or JSON output; null: none. */
  readonly html: string | null;
  readonly failOn: 'oom' | 'any-oom' | null;
  /** The terminal report's language: --lang, else the locale's. */
  readonly language: Language;
  /** The language of the `says` in --json: --lang, else English. */
  readonly jsonLanguage: Language;
}

/** Validates the analyze command's arguments and flags; throws one OOMS_E_USAGE listing every problem. */
export async function loadAnalyzeConfig(
  paths: readonly string[],
  flags: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<AnalyzeConfig> {
  const problems = new Problems('analyze');
  const { values } = await validateOptions(ANALYZE_OPTIONS, flags, problems);
  if (paths.some((p) => p === '')) problems.usage('PATH an empty path was given');

  // Times without an offset are read in --tz, so they are completed only now that it is known.
  const zone = values.tz ?? machineZone();
  const since = values.since?.inZone(zone) ?? null;
  const until = values.until?.inZone(zone) ?? null;
  if (since !== null && until !== null && since > until) {
    problems.usage(`--since ${values.since?.text} is after --until ${values.until?.text}`);
  }
  problems.throwIfAny();
  return freezeConfig({
    paths: [...paths],
    app: values.app ?? null,
    zone,
    year: values.year ?? null,
    bootTimeMs: values.bootTime?.inZone(zone) ?? null,
    since,
    until,
    machine: values.machine || paths.length === 0,
    json: values.json,
    html: values.html ?? null,
    failOn: values.failOn ?? null,
    ...chooseLanguages(values.lang, env),
  });
}
