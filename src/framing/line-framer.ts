// The loop every line-oriented carrier shares: clean the line, parse its prefix, handle blank and continuation lines.

import type { RawLine } from '../sources/raw-line.js';
import type { Framer } from './carrier.js';
import { cleanLineText, isBlankLine, isIndented } from './clean-line.js';
import { glueSplitOomKill } from './oom-kill-glue.js';
import type { LogRecord } from './record.js';
import { NO_STAMP, type StampAsFound } from './stamp.js';

/** What a carrier's prefix parser found; omitted fields are null in the record. */
export interface FramedFields {
  readonly stamp: StampAsFound;
  readonly monotonic?: number | null;
  readonly bootId?: string | null;
  readonly host?: string | null;
  readonly ident?: string | null;
  readonly pid?: number | null;
  readonly unit?: string | null;
  readonly priority?: number | null;
  readonly seq?: number | null;
  readonly message: string;
}

/** A parser's answer for a line that carries no entry at all (journal `-- Boot … --`, kmsg dictionary lines). */
export const NOT_AN_ENTRY = 'not-an-entry';

/** Parses one cleaned, non-blank line: its fields, NOT_AN_ENTRY, or null when the line lacks the carrier's prefix. */
export type PrefixParser = (text: string) => FramedFields | typeof NOT_AN_ENTRY | null;

export interface LineFramerOptions {
  readonly sourceId: number;
  readonly parse: PrefixParser;
  /**
   * Indented unparsed lines continue the previous record (dmesg and journalctl print a multi-line record that way):
   * they inherit its stamp, monotonic time, host, ident, pid, priority and boot. Otherwise they stand alone unstamped.
   */
  readonly continuation: boolean;
  /** Ident for an unparsed line that stands alone (dmesg files hold kernel text: `kernel`). */
  readonly unparsedIdent: string | null;
  /** Glue the split 5.0-rc `oom-kill:` summary (kernel carriers only). */
  readonly glueOomKill: boolean;
}

/** A framer over `options.parse` that never throws and keeps only the previous record as state. */
export function createLineFramer(options: LineFramerOptions): Framer {
  const { sourceId, parse, continuation, unparsedIdent, glueOomKill } = options;
  let previous: LogRecord | null = null;
  return {
    frame(line: RawLine): LogRecord | null {
      const text = cleanLineText(line.text);
      if (isBlankLine(text)) return null;
      const parsed = parse(text);
      if (parsed === NOT_AN_ENTRY) return null;
      let fields: FramedFields;
      if (parsed !== null) fields = parsed;
      else if (continuation && previous !== null && isIndented(text))
        fields = inherit(previous, text.trimStart());
      else fields = { stamp: NO_STAMP, ident: unparsedIdent, message: text };
      if (glueOomKill) {
        const message = glueSplitOomKill(previous?.message ?? null, fields.message);
        if (message !== fields.message) fields = { ...fields, message };
      }
      previous = buildRecord(sourceId, line, fields);
      return previous;
    },
  };
}

/** The fields of a continuation line: everything but the message comes from the record it continues. */
function inherit(previous: LogRecord, message: string): FramedFields {
  return {
    stamp: previous.stamp,
    monotonic: previous.monotonic,
    bootId: previous.bootId,
    host: previous.host,
    ident: previous.ident,
    pid: previous.pid,
    unit: previous.unit,
    priority: previous.priority,
    message,
  };
}

/** A LogRecord for `line` with `fields`; absent fields become null. */
export function buildRecord(sourceId: number, line: RawLine, fields: FramedFields): LogRecord {
  return {
    sourceId,
    lineNo: line.lineNo,
    text: line.text,
    stamp: fields.stamp,
    monotonic: fields.monotonic ?? null,
    bootId: fields.bootId ?? null,
    host: fields.host ?? null,
    ident: fields.ident ?? null,
    pid: fields.pid ?? null,
    unit: fields.unit ?? null,
    priority: fields.priority ?? null,
    seq: fields.seq ?? null,
    message: fields.message,
  };
}
