// Turning the digit groups a carrier captured into stamps, with the range checks every carrier needs.
import type { InstantStamp, LocalStamp } from './stamp.js';

/** Wall-clock fields as captured; `fraction` is the digits after the dot (or comma), if any. */
export interface WallFields {
  readonly year: number | null;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly fraction?: string | undefined;
}

/** The wall fields of a regex match with named groups year, month, day, hour, minute, second (and fraction). */
export function wallFieldsOf(groups: Readonly<Record<string, string | undefined>>): WallFields {
  return {
    year: Number(groups.year),
    month: Number(groups.month),
    day: Number(groups.day),
    hour: Number(groups.hour),
    minute: Number(groups.minute),
    second: Number(groups.second),
    fraction: groups.fraction,
  };
}

const OFFSET = /^(?<sign>[+-])(?<hours>\d{2})(?::?(?<minutes>\d{2}))?$/;

/** `553604` → 553.604 ms; digits beyond µs are kept as a fraction of a millisecond. */
export function fractionToMillis(fraction: string | undefined): number {
  if (fraction === undefined || fraction === '') return 0;
  return Number(fraction) / 10 ** (fraction.length - 3);
}

/** Field ranges a real clock can show (second 60 = leap second); a line failing them is not a stamped line. */
export function isValidWall(fields: WallFields): boolean {
  const { year, month, day, hour, minute, second } = fields;
  if (year !== null && (year < 1 || year > 9999)) return false;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60;
}

/** A zone-less stamp, or null when a field is out of range. */
export function toLocalStamp(fields: WallFields): LocalStamp | null {
  if (!isValidWall(fields)) return null;
  return {
    kind: 'local',
    year: fields.year,
    month: fields.month,
    day: fields.day,
    hour: fields.hour,
    minute: fields.minute,
    second: fields.second,
    millis: fractionToMillis(fields.fraction),
  };
}

/** `Z`, `+08:00`, `+0800`, `+08` → minutes east of UTC; null when it is none of these. */
export function offsetMinutes(offset: string): number | null {
  if (offset === 'Z' || offset === 'z') return 0;
  const groups = OFFSET.exec(offset)?.groups;
  if (groups === undefined) return null;
  const hours = Number(groups.hours);
  const minutes = Number(groups.minutes ?? '0');
  if (hours > 23 || minutes > 59) return null;
  return (groups.sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Wall fields with a year and a known offset → an instant; null when a field is out of range. */
export function toInstantStamp(
  fields: WallFields,
  minutesEast: number,
  computed = false,
): InstantStamp | null {
  if (fields.year === null || !isValidWall(fields)) return null;
  const utc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  // Date.UTC maps years 0–99 to 1900–1999; no log we read is that old, so refusing them is simpler than fixing them.
  if (fields.year < 100) return null;
  const ms = utc + fractionToMillis(fields.fraction) - minutesEast * 60_000;
  return computed ? { kind: 'instant', ms, computed: true } : { kind: 'instant', ms };
}
