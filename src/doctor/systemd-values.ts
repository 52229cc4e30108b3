// The value syntaxes of systemd's config files that doctor reads: INI sections with `Key=value`, where a later file
// (a drop-in) overrides an earlier one; time spans (`1month 2d`, systemd.time(7)). Sizes (`500M`, base 1024) are
// read by options/size.ts, as systemd means them.

/** `Key=value` lines of one `[Section]` of an INI text; the last assignment wins; comments (# ;) are skipped. */
export function iniSection(text: string, section: string): Map<string, string> {
  const values = new Map<string, string>();
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(?<name>[^\]]+)\]$/.exec(line);
    if (header?.groups) {
      current = header.groups.name!;
      continue;
    }
    if (current !== section) continue;
    const pair = /^(?<key>[A-Za-z0-9_]+)\s*=\s*(?<value>.*)$/.exec(line);
    if (pair?.groups) values.set(pair.groups.key!, pair.groups.value!.trim());
  }
  return values;
}

const SPAN_PART = /(?<number>\d+(?:\.\d+)?)\s*(?<unit>[a-zµ]*)/gi;
const SPAN_SECONDS: Record<string, number> = {
  us: 1e-6,
  usec: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  msec: 1e-3,
  '': 1,
  s: 1,
  sec: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
  d: 86_400,
  day: 86_400,
  days: 86_400,
  w: 604_800,
  week: 604_800,
  weeks: 604_800,
  M: 2_629_800,
  month: 2_629_800,
  months: 2_629_800,
  y: 31_557_600,
  year: 31_557_600,
  years: 31_557_600,
};

/** `1month 2d` → seconds (a bare number is seconds, as journald reads MaxRetentionSec); null when it is not a span. */
export function parseTimeSpan(text: string): number | null {
  const value = text.trim();
  if (value === '' || !/^[\d\s.a-zµ]+$/i.test(value)) return null;
  let seconds = 0;
  let matched = '';
  for (const part of value.matchAll(SPAN_PART)) {
    const unit = part.groups!.unit!;
    // `M` is month, `m` minute: the only case-sensitive pair.
    const factor = SPAN_SECONDS[unit] ?? SPAN_SECONDS[unit.toLowerCase()];
    if (factor === undefined) return null;
    seconds += Number(part.groups!.number) * factor;
    matched += part[0];
  }
  return matched.replace(/\s/g, '') === value.replace(/\s/g, '') ? seconds : null;
}

/** `86400` s → `1 day`, `2592000` → `30 days`, `7200` → `2 hours`. */
export function describeSeconds(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds >= 86_400) return plural(Math.round((seconds / 86_400) * 10) / 10, 'day');
  if (seconds >= 3600) return plural(Math.round(seconds / 360) / 10, 'hour');
  return plural(Math.round(seconds), 'second');
}
