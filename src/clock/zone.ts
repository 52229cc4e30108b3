// Wall-clock fields in an IANA zone ↔ instants. The only place that turns zoneless times into instants.
import { DateTime, IANAZone } from 'luxon';

/** The machine's IANA zone (what `--tz` defaults to). */
export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
}

/** Milliseconds since the epoch of wall-clock fields read in `zone`; null when the fields are not a real date. */
export function wallToMs(fields: WallFields, zone: string): number | null {
  const whole = Math.floor(fields.millis);
  const dt = DateTime.fromObject(
    {
      year: fields.year,
      month: fields.month,
      day: fields.day,
      hour: fields.hour,
      minute: fields.minute,
      second: fields.second,
      millisecond: whole,
    },
    { zone },
  );
  return dt.isValid ? dt.toMillis() + (fields.millis - whole) : null;
}

/** ISO 8601 with the zone's offset, e.g. `2024-07-23T10:03:47+08:00` (milliseconds only when not whole seconds). */
export function formatIso(ms: number, zone: string): string {
  const dt = DateTime.fromMillis(Math.round(ms), { zone });
  const withMs = Math.round(ms) % 1000 !== 0;
  return dt.toISO({ suppressMilliseconds: !withMs, includeOffset: true }) ?? new Date(ms).toISOString();
}

/** Year, month and day of an instant in a zone (for year inference from file mtimes). */
export function wallOf(ms: number, zone: string): { year: number; month: number; day: number } {
  const dt = DateTime.fromMillis(ms, { zone });
  return { year: dt.year, month: dt.month, day: dt.day };
}

/** Parse a user-given ISO time (`--since`, `--boot-time`); a time without offset is read in `zone`. */
export function parseUserTime(text: string, zone: string): number | null {
  const dt = DateTime.fromISO(text.trim(), { zone, setZone: false });
  return dt.isValid ? dt.toMillis() : null;
}

/** Midnight in `zone` of the day `days` after the one holding `ms` (negative: before): journalctl's today/yesterday. */
export function startOfDayMs(ms: number, zone: string, days = 0): number {
  return DateTime.fromMillis(ms, { zone }).startOf('day').plus({ days }).toMillis();
}

/** The wall-clock time `hour:minute:second` in `zone` on the day holding `ms` (a time today, for `--since 10:00`). */
export function timeOfDayMs(ms: number, zone: string, hour: number, minute: number, second: number): number {
  return DateTime.fromMillis(ms, { zone }).set({ hour, minute, second, millisecond: 0 }).toMillis();
}
