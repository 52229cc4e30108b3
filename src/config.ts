// Options validated once at the edge: every problem reported together, then frozen. Below this nothing re-checks.
import { z } from 'zod';
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

const analyzeFlags = z.object({
  paths: z.array(z.string().min(1, 'an empty path was given')),
  app: z.string().min(1, '--app needs a process name').optional(),
  tz: z
    .string()
    .refine(isValidZone, { message: 'is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC)' })
    .optional(),
  year: z
    .string()
    .regex(/^\d{4}$/, 'must be a four-digit year, e.g. 2024')
    .transform(Number)
    .refine((y) => y >= 1970 && y <= 2100, 'must be between 1970 and 2100')
    .optional(),
  json: z.boolean().optional(),
  failOn: z.enum(['oom', 'any-oom'], { message: "must be 'oom' or 'any-oom'" }).optional(),
});

/** Validates the analyze command's flags; throws one OOMS_E_USAGE listing every problem. */
export function loadAnalyzeConfig(paths: readonly string[], flags: Record<string, unknown>): AnalyzeConfig {
  const problems: string[] = [];
  const parsed = analyzeFlags.safeParse({ ...flags, paths: [...paths] });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${flagName(issue.path)} ${issue.message}`);
  }
  const data = parsed.success ? parsed.data : ({} as Partial<z.infer<typeof analyzeFlags>>);
  const zone = data.tz ?? machineZone();
  const time = (flag: string, value: string | undefined): number | null => {
    if (value === undefined) return null;
    const ms = parseUserTime(value, zone);
    if (ms === null)
      problems.push(
        `${flag} ${JSON.stringify(value)} is not an ISO 8601 time (e.g. 2024-07-23T10:00:00+08:00 or 2024-07-23)`,
      );
    return ms;
  };
  const text = (key: string): string | undefined =>
    typeof flags[key] === 'string' ? (flags[key] as string) : undefined;
  const bootTimeMs = time('--boot-time', text('bootTime'));
  const since = time('--since', text('since'));
  const until = time('--until', text('until'));
  if (since !== null && until !== null && since > until) problems.push('--since is after --until');
  if (problems.length > 0) {
    throw new OomsleuthError(
      'OOMS_E_USAGE',
      `invalid options:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return Object.freeze({
    paths: Object.freeze([...paths]),
    app: data.app ?? null,
    zone,
    year: data.year ?? null,
    bootTimeMs,
    since,
    until,
    json: data.json ?? false,
    failOn: data.failOn ?? null,
  });
}

function flagName(path: readonly PropertyKey[]): string {
  const key = String(path[0] ?? '');
  if (key === 'paths') return 'PATH';
  return `--${key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
}
