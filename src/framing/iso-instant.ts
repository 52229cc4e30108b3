// RFC 3339 / ISO 8601 stamps with an offset: rsyslog high precision, RFC 5424, journalctl short-iso, dmesg --time-format iso.
import type { InstantStamp } from './stamp.js';
import { offsetMinutes, toInstantStamp, wallFieldsOf } from './stamp-parts.js';

const ISO_INSTANT =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})[Tt](?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:(?<separator>[.,])(?<fraction>\d{1,9}))?(?<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)$/;

export interface IsoInstant {
  readonly stamp: InstantStamp;
  /** `.` (RFC 3339), `,` (dmesg iso) or null when there is no fraction. */
  readonly separator: '.' | ',' | null;
  /** `+08:00` or `Z` (RFC 3339) as opposed to `+0800` (journalctl 252 short-iso). */
  readonly offsetHasColon: boolean;
  readonly offsetIsZulu: boolean;
}

/** Parse one whitespace-free token such as `2024-07-23T10:04:01.553604+08:00`; null when it is not one. */
export function parseIsoInstant(token: string, computed = false): IsoInstant | null {
  // Cheap guard: the date's dashes sit at fixed places.
  if (token.length < 20 || token.charCodeAt(4) !== 0x2d || token.charCodeAt(7) !== 0x2d) return null;
  const groups = ISO_INSTANT.exec(token)?.groups;
  if (groups === undefined) return null;
  const offset = groups.offset ?? '';
  const minutesEast = offsetMinutes(offset);
  if (minutesEast === null) return null;
  const stamp = toInstantStamp(wallFieldsOf(groups), minutesEast, computed);
  if (stamp === null) return null;
  const separator = groups.separator === '.' || groups.separator === ',' ? groups.separator : null;
  const offsetIsZulu = offset === 'Z' || offset === 'z';
  return { stamp, separator, offsetHasColon: offset.includes(':'), offsetIsZulu };
}

/** Split `token rest` at the first space; the rest is '' when there is none. */
export function splitFirstToken(text: string): { token: string; rest: string } {
  const space = text.indexOf(' ');
  if (space < 0) return { token: text, rest: '' };
  return { token: text.slice(0, space), rest: text.slice(space + 1) };
}
