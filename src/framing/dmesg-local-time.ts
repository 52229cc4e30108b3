// The bracketed local times `dmesg -T` and `dmesg -e` print, in whatever order and words the locale gives them.
// util-linux formats them with strftime through its translations (2.38.1, glibc 2.36, as printed here):
//   -T  C `[Wed Dec  2 02:08:01 2026]`  ru `[Ср дек  2 02:08:01 2026]`  zh/ja `[三 12月  2 02:08:01 2026]`
//       de `[Mi,  2. Dez 2026, 02:08:01]`  fr `[mer.  2 déc. 02:08:01 2026]`  cs `[St  2. pro 2026 02:08:01]`
//   -e  C `[Dec 2 02:08]` `[Dec15 02:08]`  zh `[12月 2 02:08]`  de `[ 2. Dez 02:08]`  fr `[ 2déc. 02:08]`

import { monthFromName } from './month-names.js';

/** Calendar date and clock time, no year (dmesg -e) or with one (dmesg -T); month null when its word is unknown. */
export interface BracketTime {
  readonly year: number | null;
  readonly month: number | null;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const TIME_WITH_SECONDS = /^(?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2}),?$/;
const YEAR = /^(?<year>\d{4}),?$/;
const DAY = /^(?<day>\d{1,2})\.?$/;
const NUMBERED_MONTH = /^\d{1,2}[月월]$/;
// dmesg -e glues the month to the day (`%b%e`: `Dec15`, `12月 2`) or the day to the month (`%e%b`: ` 2déc.`).
const MONTH_THEN_DAY = /^(?<month>\p{L}{2,6}\.?|\d{1,2}[月월]) ?(?<day>\d{1,2})$/u;
const DAY_THEN_MONTH = /^(?<day>\d{1,2})\.? ?(?<month>\p{L}{2,6}\.?)$/u;
const MINUTE_TIME = /^(?<date>.{3,16}) (?<hour>\d{2}):(?<minute>\d{2})$/su;

/**
 * dmesg -T's inside of the brackets: a weekday first, then day, month, year and time in the locale's order. Null when
 * it lacks a time with seconds, a year or a day; a month word we do not know gives month null (the line is still -T).
 */
export function parseCtimeInside(inside: string): BracketTime | null {
  const words = inside.trim().split(/ +/);
  // The weekday always comes first, and may look like a month in another language (fr `mar.` is Tuesday).
  if (words.length < 5 || words.length > 6) return null;
  let time: RegExpExecArray['groups'] | undefined;
  let year: number | null = null;
  let day: number | null = null;
  let monthWord: string | null = null;
  for (const word of words.slice(1)) {
    const clock = TIME_WITH_SECONDS.exec(word)?.groups;
    if (clock !== undefined && time === undefined) {
      time = clock;
      continue;
    }
    const yearDigits = YEAR.exec(word)?.groups?.year;
    if (yearDigits !== undefined && year === null) {
      year = Number(yearDigits);
      continue;
    }
    const dayDigits = NUMBERED_MONTH.test(word) ? undefined : DAY.exec(word)?.groups?.day;
    if (dayDigits !== undefined && day === null) {
      day = Number(dayDigits);
      continue;
    }
    if (monthWord !== null) return null;
    monthWord = word.endsWith(',') ? word.slice(0, -1) : word;
  }
  if (time === undefined || year === null || day === null || monthWord === null) return null;
  return {
    year,
    month: monthFromName(monthWord),
    day,
    hour: Number(time.hour),
    minute: Number(time.minute),
    second: Number(time.second),
  };
}

/** dmesg -e's minute line inside the brackets (`Dec15 02:08`, ` 2. Dez 02:08`); null when it is not one. */
export function parseReltimeMinute(inside: string): BracketTime | null {
  const groups = MINUTE_TIME.exec(inside.trim())?.groups;
  if (groups === undefined) return null;
  const date = (groups.date ?? '').trim();
  const parts = MONTH_THEN_DAY.exec(date)?.groups ?? DAY_THEN_MONTH.exec(date)?.groups;
  if (parts === undefined) return null;
  const month = monthFromName(parts.month ?? '');
  if (month === null) return null;
  return {
    year: null,
    month,
    day: Number(parts.day),
    hour: Number(groups.hour),
    minute: Number(groups.minute),
    second: 0,
  };
}
