// Wraps a bare message in a LogRecord, for sample lines and tests: no stamp, no carrier fields.

import type { LogRecord } from '../framing/record.js';
import { NO_STAMP } from '../framing/stamp.js';

/** A record whose message (and text) is `line`; `fields` overrides any carrier field (ident, stamp…). */
export function sampleRecord(line: string, fields: Partial<LogRecord> = {}): LogRecord {
  return {
    sourceId: 0,
    lineNo: 1,
    text: line,
    stamp: NO_STAMP,
    monotonic: null,
    bootId: null,
    host: null,
    ident: null,
    pid: null,
    unit: null,
    priority: null,
    seq: null,
    message: line,
    ...fields,
  };
}
