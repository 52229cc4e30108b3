// AnQiCMS guardian log (check.log): `20240723 10:04:01 anqicms PID check: 1` from cron, plus our supervisor's lines.
import type { Carrier } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { createLineFramer, type PrefixParser } from './line-framer.js';
import { toLocalStamp, wallFieldsOf } from './stamp-parts.js';

// `date +'%Y%m%d %H:%M:%S'` (local time of cron, no zone); the value after `check: ` may be empty.
const GUARDIAN_STAMP =
  /^(?<year>\d{4})(?<month>\d{2})(?<day>\d{2}) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?: (?<message>.*))?$/s;
// What the old and new start.sh/stop.sh print without a stamp when their stdout lands in the file (log-formats §6.1).
const GUARDIAN_UNTIMED =
  /^(?:PID \S+ check: \d*\s*$|\S+ NOT running$|\S+ is (?:not running|already running|running|stop)\b|\S+ (?:started|stopped)\.$|kill -9 \d+|pkill -9 |kill: usage: kill )|: -eq: unary operator expected$/;

/** The date-time prefix as a LocalStamp (with its year) and the rest as the message; null when the line has none. */
const parseGuardianLine: PrefixParser = (text) => {
  const first = text.charCodeAt(0);
  if (first < 0x30 || first > 0x39 || text.charCodeAt(8) !== 0x20) return null;
  const groups = GUARDIAN_STAMP.exec(text)?.groups;
  if (groups === undefined) return null;
  const stamp = toLocalStamp(wallFieldsOf(groups));
  return stamp === null ? null : { stamp, message: groups.message ?? '' };
};

export const checkSh: Carrier = {
  format: 'check-sh',
  kind: 'guardian',
  sniff(raw) {
    const text = cleanLineText(raw);
    const stamped = parseGuardianLine(text);
    if (stamped !== null && stamped !== 'not-an-entry') return stamped.message.length > 0;
    return GUARDIAN_UNTIMED.test(text);
  },
  createFramer(sourceId) {
    // Untimed lines (`anqicms NOT running`, `kill -9 1234`, shell errors) stay whole and unstamped: no continuation.
    return createLineFramer({
      sourceId,
      parse: parseGuardianLine,
      continuation: false,
      unparsedIdent: null,
      glueOomKill: false,
    });
  },
  samples: [
    '20240723 10:04:01 anqicms PID check: 1',
    '20240723 10:05:01 anqicms PID check: 0',
    '20261127 00:52:51 anqicms PID check: ',
    '20240723 10:06:01 anqicms PID check: 1234512346',
    '20240723 10:04:01 goblog PID check: 3',
    '20240723 10:04:01 anqicms died: signal SIGKILL after 3h12m — kernel OOM killer (Killed process 12345)',
    '20240723 10:04:03 anqicms restarted: pid 12401',
    'anqicms NOT running',
    'anqicms is not running. Starting it...',
    'PID anqicms check: 1',
    'kill -9 1234',
    'anqicms is stop',
    './stop.sh: line 9: [: -eq: unary operator expected',
  ],
};
