// journalctl -o json: one object per line, every value a string except the three exceptions systemd documents.

import type { RawLine } from '../sources/raw-line.js';
import type { Carrier, DroppedLines, Framer } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { buildRecord } from './line-framer.js';
import { glueSplitOomKill } from './oom-kill-glue.js';
import type { LogRecord } from './record.js';
import type { InstantStamp, StampAsFound } from './stamp.js';
import { NO_STAMP } from './stamp.js';
import { toPid } from './syslog-tail.js';

const MICROS = /^\d{1,20}$/;
const SMALL_INT = /^\d{1,10}$/;
// `-o json-seq` puts an RS (0x1E) in front of every object.
const RECORD_SEPARATOR = 0x1e;
const decoder = new TextDecoder('utf-8');

/**
 * A field as text: a string as is; `null` (over 4096 bytes without --all) as null; a repeated field (array of strings)
 * by its first value; a field with non-UTF-8 or control bytes (array of byte numbers) decoded, bad bytes as U+FFFD.
 */
export function journalFieldText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) return null;
  if (value.every(isByte)) return decodeBytes(value);
  // Only one level down: a repeated field's first value. Deeper nesting is not journal output.
  const first: unknown = value[0];
  if (typeof first === 'string') return first;
  if (Array.isArray(first) && first.length > 0 && first.every(isByte)) return decodeBytes(first);
  return null;
}

function decodeBytes(bytes: readonly unknown[]): string {
  return decoder.decode(Uint8Array.from(bytes as number[]));
}

function isByte(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255;
}

/** µs text → number; null when it is not digits. */
function micros(value: unknown): number | null {
  const text = journalFieldText(value);
  return text !== null && MICROS.test(text) ? Number(text) : null;
}

function realtimeStamp(value: unknown): InstantStamp | null {
  const us = micros(value);
  return us === null ? null : { kind: 'instant', ms: us / 1000 };
}

function parseObject(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Malformed JSON (a truncated last line, a copy-paste) is no entry: the framer counts it in dropped(), and analyze
    // reports the count as a problem of the source.
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Kernel records (`_TRANSPORT=kernel`): stamp = `__REALTIME_TIMESTAMP`, the time journald *received* the record, which is
 * late when journald read an old ring backlog (log-formats §3.6), and monotonic = `_SOURCE_MONOTONIC_TIMESTAMP`, when the
 * kernel logged it. Both are exposed and the clock stage decides. Other records: stamp = `_SOURCE_REALTIME_TIMESTAMP`
 * (when the sender logged) else `__REALTIME_TIMESTAMP`; monotonic = `__MONOTONIC_TIMESTAMP`, taken with the realtime
 * receive stamp, so stamp − monotonic gives the clock stage the boot time of `_BOOT_ID`.
 */
function frameJournalObject(entry: Record<string, unknown>): Omit<LogRecord, 'sourceId' | 'lineNo' | 'text'> {
  const isKernel = journalFieldText(entry._TRANSPORT) === 'kernel';
  const received = realtimeStamp(entry.__REALTIME_TIMESTAMP);
  const sent = isKernel ? null : realtimeStamp(entry._SOURCE_REALTIME_TIMESTAMP);
  const stamp: StampAsFound = sent ?? received ?? NO_STAMP;
  const sourceMonotonic = micros(entry._SOURCE_MONOTONIC_TIMESTAMP);
  const monotonicUs = isKernel ? sourceMonotonic : (sourceMonotonic ?? micros(entry.__MONOTONIC_TIMESTAMP));
  const priorityText = journalFieldText(entry.PRIORITY);
  const priority = priorityText !== null && SMALL_INT.test(priorityText) ? Number(priorityText) : null;
  const pidText = journalFieldText(entry._PID) ?? journalFieldText(entry.SYSLOG_PID);
  return {
    stamp,
    monotonic: monotonicUs === null ? null : monotonicUs / 1e6,
    bootId: journalFieldText(entry._BOOT_ID),
    host: journalFieldText(entry._HOSTNAME),
    ident: journalFieldText(entry.SYSLOG_IDENTIFIER) ?? journalFieldText(entry._COMM),
    pid: pidText !== null && SMALL_INT.test(pidText) ? toPid(pidText) : null,
    unit: journalFieldText(entry._SYSTEMD_UNIT),
    priority: priority !== null && priority <= 7 ? priority : null,
    seq: null,
    message: journalFieldText(entry.MESSAGE) ?? '',
  };
}

function createJournalJsonFramer(sourceId: number): Framer {
  let previousKernelMessage: string | null = null;
  let dropped: DroppedLines | null = null;
  return {
    frame(line: RawLine): LogRecord | null {
      let text = cleanLineText(line.text).trim();
      if (text.charCodeAt(0) === RECORD_SEPARATOR) text = text.slice(1);
      // Every line of `journalctl -o json` is one object: anything else is a damaged or foreign line, counted.
      const entry = text.charCodeAt(0) === 0x7b ? parseObject(text) : null;
      if (entry === null) {
        if (text !== '')
          dropped = { count: (dropped?.count ?? 0) + 1, firstLineNo: dropped?.firstLineNo ?? line.lineNo };
        return null;
      }
      const fields = frameJournalObject(entry);
      // Only kernel records are glued: other services' records may sit between the two halves in the journal.
      const message =
        fields.ident === 'kernel' ? glueSplitOomKill(previousKernelMessage, fields.message) : fields.message;
      if (fields.ident === 'kernel') previousKernelMessage = message;
      return buildRecord(sourceId, line, { ...fields, message });
    },
    dropped: () => dropped,
  };
}

/** A field only journal exports have, as `"KEY":` or `"KEY" :`. */
const JOURNAL_KEY = /"(?<key>__REALTIME_TIMESTAMP|__CURSOR|_BOOT_ID)"\s*:/;

export const journalJson: Carrier = {
  format: 'journal-json',
  kind: 'system',
  // No parse here: an object on one line with journald's own keys is enough, and long lines may be cut anyway.
  sniff(raw) {
    const text = cleanLineText(raw).trimStart();
    const start = text.charCodeAt(0) === RECORD_SEPARATOR ? 1 : 0;
    return (
      text.charCodeAt(start) === 0x7b &&
      // Older journalctl (and `jq .` pastes) print `"__CURSOR" : "…"`, with spaces around the colon.
      JOURNAL_KEY.test(text)
    );
  },
  createFramer: createJournalJsonFramer,
  samples: [
    '{"_RUNTIME_SCOPE":"system","_TRANSPORT":"kernel","SYSLOG_FACILITY":"0","__MONOTONIC_TIMESTAMP":"453116533","MESSAGE":"Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0","SYSLOG_IDENTIFIER":"kernel","__REALTIME_TIMESTAMP":"1795740637833178","PRIORITY":"3","_SOURCE_MONOTONIC_TIMESTAMP":"127553604","_HOSTNAME":"vm","_BOOT_ID":"66165ab1531d44038417129576ef7791","_MACHINE_ID":"…","__CURSOR":"s=…;i=1a9;b=66165ab1…;m=1b020275;t=6613772d3a7da;x=…"}',
    '{"__CURSOR":"s=…;i=1b0","__REALTIME_TIMESTAMP":"1795740642354420","__MONOTONIC_TIMESTAMP":"458637775","_BOOT_ID":"66165ab1531d44038417129576ef7791","_TRANSPORT":"stdout","PRIORITY":"6","SYSLOG_IDENTIFIER":"anqicms","_PID":"7056","_COMM":"anqicms","_SYSTEMD_UNIT":"anqicms.service","_HOSTNAME":"vm","MESSAGE":"2026/11/27 00:50:42 进程结束，开始重启"}',
    '{"__REALTIME_TIMESTAMP":"1795740642400001","__MONOTONIC_TIMESTAMP":"458683356","_BOOT_ID":"66165ab1531d44038417129576ef7791","_TRANSPORT":"journal","PRIORITY":"6","SYSLOG_IDENTIFIER":"systemd","_PID":"1","_HOSTNAME":"vm","_SOURCE_REALTIME_TIMESTAMP":"1795740642399870","MESSAGE":"anqicms.service: A process of this unit has been killed by the OOM killer."}',
    // journalctl -o json-pretty squeezed to a line, as pasted in rfjakob/earlyoom#218: spaces around the colons.
    '{ "__CURSOR" : "s=0d1e…;i=2f1", "__REALTIME_TIMESTAMP" : "1721700227412000", "__MONOTONIC_TIMESTAMP" : "283714997838", "_BOOT_ID" : "66165ab1531d44038417129576ef7791", "PRIORITY" : "4", "SYSLOG_IDENTIFIER" : "earlyoom", "_PID" : "812", "_HOSTNAME" : "VM-8-12-ubuntu", "MESSAGE" : "sending SIGTERM to process 18734 uid 0 \\"anqicms\\": badness 903, VmRSS 3812 MiB" }',
  ],
};
