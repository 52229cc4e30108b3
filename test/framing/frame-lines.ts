// Test helper: run lines through one fresh framer of a carrier, as the sources would hand them over.
import type { Carrier } from '../../src/framing/carrier.js';
import type { LogRecord } from '../../src/framing/record.js';

export const SOURCE_ID = 7;

/** Frame `lines` in order with one framer; index i holds the result for line i (line number i + 1). */
export function frameLines(carrier: Carrier, lines: readonly string[]): (LogRecord | null)[] {
  const framer = carrier.createFramer(SOURCE_ID);
  return lines.map((text, index) => framer.frame({ sourceId: SOURCE_ID, lineNo: index + 1, text }));
}

/** Frame one line with a fresh framer; fails the test when it yields no record. */
export function frameOne(carrier: Carrier, line: string): LogRecord {
  const record = frameLines(carrier, [line])[0];
  if (record === null || record === undefined)
    throw new Error(`${carrier.format} framed no record for: ${line}`);
  return record;
}

/** The body every kernel carrier must hand over unchanged (log-formats §3, with the 6.18 kill line's fields). */
export const OOM_BODY =
  'Out of memory: Killed process 12345 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0';
