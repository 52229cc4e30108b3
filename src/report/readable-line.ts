// A cited log line as a person reads it. Most carriers' lines are read as they are; two are records a person does not
// read: a `journalctl -o json` entry (one JSON object of thirty fields) and a /dev/kmsg record (`prio,seq,usec,flag;`
// before the text). The evidence's `text` (report/incident.ts) and the alerts' deciding line (alert/alert-text.ts)
// both show them the way the tools that print them for people do; `source:line` still points at the record itself.
import { journalFieldText } from '../framing/journal-json.js';
import { unescapeKmsgText } from '../framing/kmsg.js';

/** Formats an instant (ms since the epoch) as ISO 8601 with an offset, in the report's zone. */
export type ReadableTime = (ms: number) => string;

const KMSG_RECORD = /^(?<prio>\d{1,4}),\d{1,20},(?<usec>\d{1,20}),[^;]{0,16};(?<text>.*)$/s;
const MICROS = /^\d{1,20}$/;
const SMALL_INT = /^\d{1,10}$/;
/** Journal entries of PID 1 are about many units: its own unit, init.scope, says nothing. */
const UNINFORMATIVE_UNITS = new Set(['init.scope']);

/**
 * The line as a person reads it: a journal JSON entry as `journalctl -o with-unit` prints it (ISO time in the report's
 * zone when `time` is given, host, unit or identifier, [pid], MESSAGE); a /dev/kmsg record as `dmesg` prints it
 * (`[seconds] text`); any other line as it is. Never throws: what does not parse is shown as it was written.
 */
export function readableLine(text: string, time?: ReadableTime): string {
  const line = text.trim();
  const start = line.charCodeAt(0) === 0x1e ? 1 : 0; // `-o json-seq` puts an RS before each object
  if (line.charCodeAt(start) === 0x7b && line.includes('"MESSAGE"')) {
    return readableJournalEntry(line.slice(start), time) ?? line;
  }
  const kmsg = KMSG_RECORD.exec(line)?.groups;
  if (kmsg !== undefined) {
    const seconds = (Number(kmsg.usec) / 1e6).toFixed(6);
    return `[${seconds.padStart(12)}] ${unescapeKmsgText(kmsg.text ?? '')}`;
  }
  return line;
}

function readableJournalEntry(json: string, time: ReadableTime | undefined): string | null {
  let entry: unknown;
  try {
    entry = JSON.parse(json);
  } catch {
    // A record cut at the line-length cap, or not JSON after all: shown as written.
    return null;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const field = (name: string): string | null => journalFieldText((entry as Record<string, unknown>)[name]);
  const message = field('MESSAGE');
  if (message === null) return null;
  const parts: string[] = [];
  // What journalctl shows: when the sender logged it, else when the journal received it.
  const us = [field('_SOURCE_REALTIME_TIMESTAMP'), field('__REALTIME_TIMESTAMP')].find(
    (value) => value !== null && MICROS.test(value),
  );
  if (time !== undefined && us !== undefined) parts.push(time(Number(us) / 1000));
  const host = field('_HOSTNAME');
  if (host !== null) parts.push(host);
  const kernel = field('_TRANSPORT') === 'kernel';
  const unit = field('_SYSTEMD_UNIT');
  const who = kernel
    ? 'kernel'
    : unit !== null && !UNINFORMATIVE_UNITS.has(unit)
      ? unit
      : (field('SYSLOG_IDENTIFIER') ?? field('_COMM') ?? 'unknown');
  const pid = kernel ? null : (field('_PID') ?? field('SYSLOG_PID'));
  parts.push(`${who}${pid !== null && SMALL_INT.test(pid) ? `[${pid}]` : ''}:`);
  // A multi-line MESSAGE (a stack trace logged as one entry) stays one line of evidence.
  parts.push(message.replace(/\s*\n\s*/g, ' '));
  return parts.join(' ');
}
