// Times and zones on the command line: --tz, --since/--until/--boot-time, --year. clock/zone.ts (the one owner of
// zones and user times) is loaded only when such a flag is given: every command's declarations load at every start,
// and the guard never needs luxon nor ICU's zone data (together ~12 MiB of its resident memory for life).
import { invalid, type Parser, valid } from './option-spec.js';

/** An IANA time zone name. */
export const zone: Parser<string> = async (text) => {
  const { isValidZone } = await import('../clock/zone.js');
  if (isValidZone(text)) return valid(text);
  return invalid(`${JSON.stringify(text)} is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC)`);
};

/** A time as the user wrote it: absolute when it carries an offset, else wall-clock time that a zone completes. */
export interface UserTime {
  readonly text: string;
  /** Milliseconds since the epoch, the text read in `zone` (a zone already checked valid) when it has no offset. */
  inZone(zone: string): number;
}

/**
 * An ISO 8601 time. One without an offset is read in the command's zone, which is an option too (--tz): so the
 * parser checks the text, and the loader reads it in the zone once that is known.
 */
export const instant: Parser<UserTime> = async (text) => {
  const { parseUserTime } = await import('../clock/zone.js');
  // Whether the text is a time does not depend on the zone (a wall time in a DST gap is moved, not refused).
  if (parseUserTime(text, 'UTC') === null) {
    return invalid(
      `${JSON.stringify(text)} is not an ISO 8601 time (e.g. 2024-07-23T10:00:00+08:00 or 2024-07-23)`,
    );
  }
  return valid({
    text,
    inZone(zone: string): number {
      const ms = parseUserTime(text, zone);
      if (ms === null) throw new Error(`${JSON.stringify(text)} cannot be read in the zone ${zone}`);
      return ms;
    },
  });
};

const FIRST_YEAR = 1970;
const LAST_YEAR = 2100;

/** A year of four digits, so that `24` is not read as the year 24. */
export const year: Parser<number> = (text) => {
  if (!/^\d{4}$/.test(text)) return invalid(`${JSON.stringify(text)} must be a four-digit year, e.g. 2024`);
  const n = Number(text);
  if (n < FIRST_YEAR || n > LAST_YEAR)
    return invalid(`${text} must be between ${FIRST_YEAR} and ${LAST_YEAR}`);
  return valid(n);
};
