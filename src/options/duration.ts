// Durations on the command line: `200ms`, `5s`, `1.5s`, `1m`, `2h`, `1d`, and combinations such as `1m30s`.
import { invalid, type Parser, valid } from './option-spec.js';

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

/**
 * A duration option, in milliseconds, of at least `min` (written as a duration, `1s`). With `zeroTurnsOff`, 0 (bare
 * or with a unit) is accepted too: the option's way of saying "never".
 */
export function duration(
  limits: { readonly min?: string; readonly zeroTurnsOff?: boolean } = {},
): Parser<number> {
  const minMs = limits.min === undefined ? 0 : parseDuration(limits.min);
  if (minMs === null) throw new Error(`duration minimum ${limits.min} is not a duration`);
  const orZero = limits.zeroTurnsOff === true ? ', or 0 to turn it off' : '';
  return (text) => {
    const ms = orZero !== '' && text.trim() === '0' ? 0 : parseDuration(text);
    if (ms === null) {
      return invalid(
        `${JSON.stringify(text)} is not a duration: use a number with a unit, e.g. 200ms, 5s, 1m, 1h${orZero}`,
      );
    }
    if (ms < minMs && !(ms === 0 && orZero !== ''))
      return invalid(`${text} is too short: at least ${limits.min}${orZero}`);
    return valid(ms);
  };
}
