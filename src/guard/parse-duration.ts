// Durations on the command line: `200ms`, `5s`, `1.5s`, `1m`, `2h`, `1d`, and combinations such as `1m30s`.

const PART = /(?<number>\d+(?:\.\d+)?)(?<unit>ms|s|m|h|d)/gy;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration like `5s` or `1m30s`; null when the text is not one (a bare number has no unit). */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let match = PART.exec(trimmed); match !== null; match = PART.exec(trimmed)) {
    const { number = '', unit = '' } = match.groups ?? {};
    total += Number(number) * (UNIT_MS[unit] ?? Number.NaN);
    end = PART.lastIndex;
  }
  if (end !== trimmed.length || !Number.isFinite(total)) return null;
  return Math.round(total);
}
