// `oomsleuth guard --incidents FILE`: one JSON object per line and per death (docs/guard.md). The record is stamped
// with the object's `diedAt` (ISO 8601 with an offset, to the millisecond) and its text is the whole object, which the
// guard.incident recogniser reads.
import type { RawLine } from '../sources/raw-line.js';
import type { Carrier, DroppedLines, Framer } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { parseIsoInstant } from './iso-instant.js';
import { buildRecord } from './line-framer.js';
import type { LogRecord } from './record.js';
import { NO_STAMP } from './stamp.js';

/** The keys every line the guard writes has (src/guard/incident.ts). */
const GUARD_KEYS = ['"process":', '"cause":', '"confidence":', '"diedAt":'] as const;

function isObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const DIED_AT = /"diedAt":"(?<at>[^"]{20,40})"/;

function createGuardIncidentsFramer(sourceId: number): Framer {
  let dropped: DroppedLines | null = null;
  return {
    frame(line: RawLine): LogRecord | null {
      const text = cleanLineText(line.text).trim();
      if (text === '') return null;
      // A line cut short (the guard killed mid-write, a disk that filled up) is no record: counted, and analyze says so.
      if (text.charCodeAt(0) !== 0x7b || !isObject(text)) {
        dropped = { count: (dropped?.count ?? 0) + 1, firstLineNo: dropped?.firstLineNo ?? line.lineNo };
        return null;
      }
      const at = DIED_AT.exec(text)?.groups?.at;
      const stamp = (at === undefined ? null : parseIsoInstant(at)?.stamp) ?? NO_STAMP;
      return buildRecord(sourceId, line, { stamp, ident: 'oomsleuth', message: text });
    },
    dropped: () => dropped,
  };
}

export const guardIncidents: Carrier = {
  format: 'guard-incidents',
  kind: 'guardian',
  sniff(raw) {
    const text = cleanLineText(raw).trimStart();
    return text.charCodeAt(0) === 0x7b && GUARD_KEYS.every((key) => text.includes(key));
  },
  createFramer: createGuardIncidentsFramer,
  damagedLineFix:
    'the guard was stopped mid-write or the disk filled up; every whole line was read, and check.log has the same deaths',
  samples: [
    '{"process":"anqicms","pid":4242,"diedAt":"2024-07-23T10:41:05.312+08:00","diedWithin":null,"restartedAt":"2024-07-23T10:41:05.339+08:00","cause":"oom-killer","confidence":"confirmed","oom":{"scope":"memcg","cgroup":"/system.slice/oomsleuth-guard-2950-anqicms-lyx07qd","invokedBy":"anqicms","totalVmKb":1392120,"anonRssKb":1046020,"fileRssKb":1264,"shmemRssKb":0,"oomScoreAdj":0},"missing":[],"evidence":[],"exit":{"code":null,"signal":"SIGKILL"},"memory":[],"uptimeMs":7385012,"memoryLimitKb":1048576,"command":["/www/wwwroot/a.example.com/anqicms"]}',
    '{"process":"anqicms","pid":16994,"diedAt":"2026-11-27T10:00:00.512+08:00","diedWithin":null,"restartedAt":null,"cause":"crash","confidence":"confirmed","oom":null,"missing":[],"evidence":[],"exit":{"code":2,"signal":null},"memory":[],"uptimeMs":510,"memoryLimitKb":null,"command":["./anqicms"]}',
  ],
};
