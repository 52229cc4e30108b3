// The `Jul 23 10:04:01` stamp of RFC 3164 syslog and journalctl short/short-precise (no year, no zone). rsyslog always
// prints English month names; journalctl prints them in its user's locale (`ноя 05`, `avril 16`, `5月 29`, ` 5月 29`).

import { MONTH_TOKEN, monthFromName } from './month-names.js';
import type { LocalStamp } from './stamp.js';
import { toLocalStamp } from './stamp-parts.js';

const BSD_STAMP = new RegExp(
  String.raw`^(?:<(?<pri>\d{1,3})>)?(?<month>${MONTH_TOKEN}) (?<day>[ 0-3]?\d) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))? (?<rest>.*)$`,
  'su',
);

/** How the day was padded: syslog writes `Jul  3` (space), journalctl `Apr 05` (zero); days 10–31 tell nothing. */
export type DayPadding = 'space' | 'zero' | 'unknown';

export interface BsdStampedLine {
  readonly stamp: LocalStamp;
  /** Severity from a leading `<PRI>` (PRI % 8), else null. */
  readonly priority: number | null;
  readonly dayPadding: DayPadding;
  /** True when the seconds carry a fraction (journalctl short-precise). */
  readonly precise: boolean;
  /** Everything after the stamp: `host tag: message`. */
  readonly rest: string;
}

/** Parse the stamp at the start of `text`; null when the line does not start with one. */
export function parseBsdStampedLine(text: string): BsdStampedLine | null {
  // Cheap guard: the shortest stamp is 15 characters plus a space, and the time's colons sit 3 and 6 characters
  // after the first one, which comes within 18 characters of the start (`<191>févr. 05 10:00:01`).
  if (text.length < 16) return null;
  const colon = text.indexOf(':');
  if (colon < 6 || colon > 18 || text.charCodeAt(colon + 3) !== 0x3a) return null;
  const groups = BSD_STAMP.exec(text)?.groups;
  if (groups === undefined) return null;
  const month = monthFromName(groups.month ?? '');
  if (month === null) return null;
  const dayText = groups.day ?? '';
  const stamp = toLocalStamp({
    year: null,
    month,
    day: Number(dayText.trim()),
    hour: Number(groups.hour),
    minute: Number(groups.minute),
    second: Number(groups.second),
    fraction: groups.fraction,
  });
  if (stamp === null) return null;
  const pri = groups.pri === undefined ? null : Number(groups.pri);
  return {
    stamp,
    priority: pri !== null && pri <= 191 ? pri % 8 : null,
    dayPadding: dayPaddingOf(dayText),
    precise: groups.fraction !== undefined,
    rest: groups.rest ?? '',
  };
}

function dayPaddingOf(day: string): DayPadding {
  if (day.length < 2 || day.startsWith(' ')) return 'space';
  return day.startsWith('0') ? 'zero' : 'unknown';
}
