// Options validated once at the edge: every problem reported together, then frozen. Below this nothing re-checks.
// Checked by hand rather than with a schema library: analyze has a handful of flags, and loading zod costs
// ~100 ms of startup on a machine that may have just run out of memory (see docs/ARCHITECTURE.md).
import { isValidZone, machineZone, parseUserTime } from './clock/zone.js';
import { OomsleuthError } from './errors.js';

export interface AnalyzeConfig {
  readonly paths: readonly string[];
  readonly app: string | null;
  readonly zone: string;
  readonly year: number | null;
  readonly bootTimeMs: number | null;
  readonly since: number | null;
  readonly until: number | null;
  readonly json: boolean;
  readonly failOn: 'oom' | 'any-oom' | null;
}

const FAIL_ON = ['oom', 'any-oom'] as const;

/** Validates the analyze command's flags; throws one OOMS_E_USAGE listing every problem. */
export function loadAnalyzeConfig(paths: readonly string[], flags: Record<string, unknown>): AnalyzeConfig {
  const problems: string[] = [];
  const text = (key: string): string | undefined =>
    typeof flags[key] === 'string' ? (flags[key] as string) : undefined;

  if (paths.some((p) => p === '')) problems.push('PATH an empty path was given');
  const app = text('app');
  if (app !== undefined && app.trim() === '') problems.push('--app needs a process name');

  const tz = text('tz');
  if (tz !== undefined && !isValidZone(tz)) {
    problems.push(
      `--tz ${JSON.stringify(tz)} is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC)`,
    );
  }
  const zone = tz !== undefined && isValidZone(tz) ? tz : machineZone();

  const yearText = text('year');
  let year: number | null = null;
  if (yearText !== undefined) {
    if (!/^\d{4}$/.test(yearText))
      problems.push(`--year ${JSON.stringify(yearText)} must be a four-digit year, e.g. 2024`);
    else if (Number(yearText) < 1970 || Number(yearText) > 2100)
      problems.push('--year must be between 1970 and 2100');
    else year = Number(yearText);
  }

  const time = (flag: string, value: string | undefined): number | null => {
    if (value === undefined) return null;
    const ms = parseUserTime(value, zone);
    if (ms === null) {
      problems.push(
        `${flag} ${JSON.stringify(value)} is not an ISO 8601 time (e.g. 2024-07-23T10:00:00+08:00 or 2024-07-23)`,
      );
    }
    return ms;
  };
  const bootTimeMs = time('--boot-time', text('bootTime'));
  const since = time('--since', text('since'));
  const until = time('--until', text('until'));
  if (since !== null && until !== null && since > until) problems.push('--since is after --until');

  const failOn = text('failOn');
  if (failOn !== undefined && !(FAIL_ON as readonly string[]).includes(failOn)) {
    problems.push(`--fail-on must be 'oom' or 'any-oom'`);
  }

  if (problems.length > 0) {
    throw new OomsleuthError(
      'OOMS_E_USAGE',
      `invalid options:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return Object.freeze({
    paths: Object.freeze([...paths]),
    app: app ?? null,
    zone,
    year,
    bootTimeMs,
    since,
    until,
    json: flags.json === true,
    failOn: (failOn as AnalyzeConfig['failOn'] | undefined) ?? null,
  });
}
