// Times and zones on the command line: --tz, --since/--until/--boot-time, --year. clock/zone.ts (the one owner of
// zones and user times) is loaded only when such a flag is given: every command's declarations load at every start,
// and the guard never needs luxon nor ICU's zone data (together ~12 MiB of its resident memory for life).
import { invalid, type Parsed, type Parser, valid } from './option-spec.js';

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

/** Units of a systemd time span (systemd.time(7)), in milliseconds; `M` is a month, `m` a minute. */
const SPAN_UNITS: Readonly<Record<string, number>> = (() => {
  const units: Record<string, number> = {};
  const add = (ms: number, ...names: string[]) => {
    for (const name of names) units[name] = ms;
  };
  add(0.001, 'usec', 'us', 'µs', 'μs');
  add(1, 'msec', 'ms');
  add(1000, 'seconds', 'second', 'sec', 's');
  add(60_000, 'minutes', 'minute', 'min', 'm');
  add(3_600_000, 'hours', 'hour', 'hr', 'h');
  add(86_400_000, 'days', 'day', 'd');
  add(7 * 86_400_000, 'weeks', 'week', 'w');
  add(30.44 * 86_400_000, 'months', 'month', 'M');
  add(365.25 * 86_400_000, 'years', 'year', 'y');
  return units;
})();
const SPAN_PART = /\s*(?<number>\d+(?:\.\d+)?)\s*(?<unit>[a-zA-Zµμ]+)/y;
/** `-1h`, `+30min`, `2 days ago`, `5min left`: a span from now, as journalctl --since reads it. */
const RELATIVE = /^(?:(?<sign>[+-])\s*(?<signed>.+)|(?<suffixed>.+?)\s+(?<suffix>ago|left))$/;
const WORDS: Readonly<Record<string, number>> = { today: 0, yesterday: -1, tomorrow: 1 };
const DATE_SPACE_TIME = /^(?<date>\d{4}-\d{2}-\d{2}) (?<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const TIME_OF_DAY = /^(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?$/;
const EPOCH = /^@(?<seconds>\d+(?:\.\d+)?)$/;

/** Milliseconds of a systemd time span (`1h 30min`, `2days`, `90s`); null when the text is not one. */
export function parseTimeSpan(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  SPAN_PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let match = SPAN_PART.exec(trimmed); match !== null; match = SPAN_PART.exec(trimmed)) {
    const unit = SPAN_UNITS[match.groups?.unit ?? ''];
    if (unit === undefined) return null;
    total += Number(match.groups?.number) * unit;
    end = SPAN_PART.lastIndex;
  }
  return end === trimmed.length ? total : null;
}

/**
 * A time as `journalctl --since` takes it (systemd.time(7)): ISO 8601 (`2024-07-23T10:00:00+08:00`, `2024-07-23`), a
 * date and time with a space (`2024-07-23 10:00`), a time today (`10:00`), `now`, `today`, `yesterday`, `tomorrow`,
 * a span from now (`-1h`, `+30min`, `2 days ago`, `5min left`) or `@` seconds since the epoch. Wall times are read
 * in the command's zone (--tz); "now" is when the command started.
 */
export function when(nowMs: () => number = Date.now): Parser<UserTime> {
  return async (text) => {
    const { parseUserTime, startOfDayMs, timeOfDayMs } = await import('../clock/zone.js');
    const trimmed = text.trim();
    const now = nowMs();
    const absolute = (ms: number): Parsed<UserTime> => valid({ text, inZone: () => ms });
    const inZone = (read: (zone: string) => number | null): Parsed<UserTime> =>
      valid({
        text,
        inZone(zone: string): number {
          const ms = read(zone);
          if (ms === null) throw new Error(`${JSON.stringify(text)} cannot be read in the zone ${zone}`);
          return ms;
        },
      });

    if (trimmed === 'now') return absolute(now);
    const days = WORDS[trimmed];
    if (days !== undefined) return inZone((zone) => startOfDayMs(now, zone, days));
    const epoch = EPOCH.exec(trimmed)?.groups?.seconds;
    if (epoch !== undefined) return absolute(Number(epoch) * 1000);
    const relative = RELATIVE.exec(trimmed)?.groups;
    if (relative !== undefined) {
      const span = parseTimeSpan(relative.signed ?? relative.suffixed ?? '');
      if (span !== null) {
        const later = relative.sign === '+' || relative.suffix === 'left';
        return absolute(later ? now + span : now - span);
      }
    }
    const clock = TIME_OF_DAY.exec(trimmed)?.groups;
    if (clock !== undefined) {
      const [hour, minute, second] = [clock.hour, clock.minute, clock.second ?? '0'].map(Number) as [
        number,
        number,
        number,
      ];
      if (hour < 24 && minute < 60 && second < 60) {
        return inZone((zone) => timeOfDayMs(now, zone, hour, minute, second));
      }
    }
    const spaced = DATE_SPACE_TIME.exec(trimmed)?.groups;
    const iso = spaced !== undefined ? `${spaced.date}T${spaced.time}` : trimmed;
    if (parseUserTime(iso, 'UTC') !== null) return inZone((zone) => parseUserTime(iso, zone));
    return invalid(
      `${JSON.stringify(text)} is not a time: use ISO 8601 (2024-07-23T10:00:00+08:00, 2024-07-23 10:00), a time today (10:00), now, today, yesterday, or a span from now (-1h, -30min, "2 days ago")`,
    );
  };
}

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
