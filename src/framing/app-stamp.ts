// The stamps applications put at the start of their own log lines. Go's `log` package is the reference app's; Java
// services (logback, log4j, Spring Boot, Jetty, Tomcat), nginx's error log and Go's logrus write others. A line with
// one of them gets its time; without one it inherits the previous line's (see correlate/placed.ts).
import { monthFromName } from './month-names.js';
import type { StampAsFound } from './stamp.js';
import { offsetMinutes, toInstantStamp, toLocalStamp, type WallFields, wallFieldsOf } from './stamp-parts.js';

export interface AppStamp {
  readonly stamp: StampAsFound;
  /** The line after the stamp (and the separator that follows it). */
  readonly message: string;
}

interface StampForm {
  /** Which writer prints it, for the docs and the tests. */
  readonly name: string;
  /** A cheap test on the first characters before the regex runs. */
  readonly looksLike: (text: string) => boolean;
  /** Named groups: year, month (digits) or monthName, day, hour, minute, second, fraction?, offset?, message?. */
  readonly pattern: RegExp;
}

const isDigit = (text: string, at: number): boolean => {
  const c = text.charCodeAt(at);
  return c >= 0x30 && c <= 0x39;
};

const FRACTION = String.raw`(?:[.,](?<fraction>\d{1,9}))?`;
const TIME = String.raw`(?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})${FRACTION}`;
const OFFSET = String.raw`(?<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?`;

const FORMS: readonly StampForm[] = [
  {
    // Go's log package with its default flags (+ Lmicroseconds), and nginx's error log: `2006/01/02 15:04:05 `.
    name: 'go-log',
    looksLike: (t) => isDigit(t, 0) && t.charCodeAt(4) === 0x2f,
    pattern: new RegExp(
      String.raw`^(?<year>\d{4})\/(?<month>\d{2})\/(?<day>\d{2}) ${TIME}(?: (?<message>.*))?$`,
      's',
    ),
  },
  {
    // The same behind a bracketed prefix: Go's `log.New(w, "[app] ", log.LstdFlags)`, gin's request log
    // `[GIN] 2024/07/23 - 10:04:01 | 200 |  1.2ms | …`.
    name: 'go-log-prefixed',
    looksLike: (t) => t.charCodeAt(0) === 0x5b && !isDigit(t, 1),
    pattern: new RegExp(
      String.raw`^\[[^\]\s]{1,32}\] (?<year>\d{4})\/(?<month>\d{2})\/(?<day>\d{2}) (?:- )?${TIME}(?: \|)?(?: (?<message>.*))?$`,
      's',
    ),
  },
  {
    // ISO 8601 with a space or a T: logback/log4j `%d` (`2024-03-05 13:02:11,123`), Spring Boot 2 (`.123`) and 3
    // (`2024-03-05T13:02:11.123+08:00`), zap (`+0800`), Python logging. Jetty 9's StdErrLog puts a colon after it:
    // `2017-08-06 17:53:51.133:INFO:oejs.Server:main: jetty-9.4.6`.
    name: 'iso',
    looksLike: (t) => isDigit(t, 0) && t.charCodeAt(4) === 0x2d && t.charCodeAt(7) === 0x2d,
    pattern: new RegExp(
      String.raw`^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})[Tt ]${TIME}${OFFSET}(?:[ :](?<message>.*))?$`,
      's',
    ),
  },
  {
    // The same in brackets: log4j `[%d]` (Kafka, ZooKeeper), Elasticsearch `[2024-03-05T13:02:11,123][INFO ]…`.
    name: 'bracketed-iso',
    looksLike: (t) => t.charCodeAt(0) === 0x5b && isDigit(t, 1) && t.charCodeAt(5) === 0x2d,
    pattern: new RegExp(
      String.raw`^\[(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})[Tt ]${TIME}${OFFSET}\] ?(?<message>.*)$`,
      's',
    ),
  },
  {
    // Tomcat's catalina.out (JULI OneLineFormatter): `05-Mar-2024 13:02:11.123 INFO [main] …`.
    name: 'tomcat',
    looksLike: (t) => isDigit(t, 0) && t.charCodeAt(2) === 0x2d && t.charCodeAt(6) === 0x2d,
    pattern: new RegExp(
      String.raw`^(?<day>\d{2})-(?<monthName>[A-Za-z]{3})-(?<year>\d{4}) ${TIME}(?: (?<message>.*))?$`,
      's',
    ),
  },
  {
    // log4j's `%d{DATE}`: `28 Nov 2016 04:00:18,223 [main] INFO …`.
    name: 'log4j-date',
    looksLike: (t) => isDigit(t, 0) && t.charCodeAt(2) === 0x20 && t.charCodeAt(6) === 0x20,
    pattern: new RegExp(
      String.raw`^(?<day>\d{2}) (?<monthName>[A-Za-z]{3}) (?<year>\d{4}) ${TIME}(?: (?<message>.*))?$`,
      's',
    ),
  },
  {
    // Go's logrus text formatter: `time="2024-03-05T13:02:11+08:00" level=info msg="…"`.
    name: 'logrus',
    looksLike: (t) => t.startsWith('time="'),
    pattern: new RegExp(
      String.raw`^time="(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})[Tt ]${TIME}${OFFSET}" (?<message>.*)$`,
      's',
    ),
  },
];

/** The stamp an application put at the start of `text`, and the rest of the line; null when it has none we know. */
export function parseAppStamp(text: string): AppStamp | null {
  for (const form of FORMS) {
    if (!form.looksLike(text)) continue;
    const groups = form.pattern.exec(text)?.groups;
    if (groups === undefined) continue;
    const stamp = stampOf(groups);
    if (stamp !== null) return { stamp, message: groups.message ?? '' };
  }
  return null;
}

/** The names of the stamp forms, in the order they are tried (for docs and tests). */
export const APP_STAMP_FORMS: readonly string[] = FORMS.map((form) => form.name);

function stampOf(groups: Readonly<Record<string, string | undefined>>): StampAsFound | null {
  const month = groups.monthName === undefined ? Number(groups.month) : monthFromName(groups.monthName);
  if (month === null) return null;
  const fields: WallFields = { ...wallFieldsOf(groups), month };
  if (groups.offset === undefined) return toLocalStamp(fields);
  const minutesEast = offsetMinutes(groups.offset);
  return minutesEast === null ? null : toInstantStamp(fields, minutesEast);
}
