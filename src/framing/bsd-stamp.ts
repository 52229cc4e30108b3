// The `Jul 23 10:04:01` stamp of RFC 3164 syslog and journalctl short/short-precise (English month, no year, no zone).

import { monthFromEnglishName } from './month-names.js';
import type { LocalStamp } from './stamp.js';
import { toLocalStamp } from './stamp-parts.js';

const BSD_STAMP =
  /^(?:<(?<pri>\d{1,3})>)?(?<month>[A-Za-z]{3}) (?<day>[ 0-3]?\d) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))? (?<rest>.*)$/s;

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
  // Cheap guard: a letter or `<` first, and the shortest stamp is 15 characters plus a space.
  if (text.length < 16) return null;
  const first = text.charCodeAt(0);
  if (first !== 0x3c && !((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return null;
  const groups = BSD_STAMP.exec(text)?.groups;
  if (groups === undefined) return null;
  const month = monthFromEnglishName(groups.month ?? '');
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
