// Lines as operators paste them out of grep: `grep -H`/`grep -r` put the file name in front (`messages-20240101:Jan  1 …`,
// `/var/log/syslog:Jul 23 …`), `-n` the line number (`/var/log/syslog:123:Jul 23 …`, `123:Jul 23 …`), context lines
// of `-A`/`-B`/`-C` use `-` instead of `:` (`syslog-122-Jul 23 …`) and groups are parted by `--`. The prefix is taken
// off and the rest framed by the carrier it really is; the evidence keeps the whole line, and the files are noted.

import type { RawLine } from '../sources/raw-line.js';
import type { Carrier, Framer } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import type { LogRecord } from './record.js';

/** grep's prefix never holds a space and sits within the first characters of the line. */
const MAX_PREFIX_CHARS = 512;
const LINE_NUMBER = /^\d{1,12}$/;
// A file name as grep prints it: a path, a name with a dot (`syslog.1`, `kern.log`), or a log's usual base name
// (`messages-20240101`). Kernel text such as `EXT4-fs (vda1): …` must not read as file `EXT4` and line `fs (vda1): …`.
const FILE_NAME = /[/.]|^(?:syslog|messages|kern|dmesg|daemon|journal|check|running|cron|secure|user|debug)/i;
const GROUP_SEPARATOR = '--';
/** File names listed in the note, at most. */
const NOTED_FILES = 5;

/** What grep put in front of a line: the file name (null for `grep -n` alone) and the rest of the line. */
export interface GrepPrefix {
  readonly file: string | null;
  readonly rest: string;
}

/**
 * The ways `text` can be read as `PREFIX rest`, shortest prefix first: `FILE:`, `FILE:N:`, `N:` (and each with `-`).
 * The shortest reading the inner carrier accepts is the right one: a longer one would cut into the line's own stamp.
 */
export function* grepPrefixReadings(text: string): Generator<GrepPrefix> {
  const end = Math.min(text.length, MAX_PREFIX_CHARS);
  let previousCut = -1;
  for (let i = 1; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x09) return;
    if (code !== 0x3a && code !== 0x2d) continue;
    const head = text.slice(0, i);
    const rest = text.slice(i + 1);
    if (LINE_NUMBER.test(head)) yield { file: null, rest };
    else {
      // `FILE:N:` (or `FILE-N-` on a context line): a line number between two cuts of the same kind.
      const between = previousCut > 0 ? text.slice(previousCut + 1, i) : '';
      const file = text.slice(0, previousCut);
      const sameSeparator = previousCut > 0 && text.charCodeAt(previousCut) === code;
      if (sameSeparator && LINE_NUMBER.test(between) && FILE_NAME.test(file)) yield { file, rest };
      if (FILE_NAME.test(head)) yield { file: head, rest };
    }
    previousCut = i;
  }
}

/** The reading whose rest `carrier` sniffs, or null. */
export function splitGrepPrefix(text: string, carrier: Carrier): GrepPrefix | null {
  for (const reading of grepPrefixReadings(text)) if (carrier.sniff(reading.rest)) return reading;
  return null;
}

/** True when grep's prefix on `text` hides a line `carrier` frames. */
export function sniffGrepPrefixed(text: string, carrier: Carrier): boolean {
  return splitGrepPrefix(cleanLineText(text), carrier) !== null;
}

/** `carrier`'s lines behind grep's prefixes: same format and kind, prefixes taken off before framing. */
export function grepPrefixed(carrier: Carrier): Carrier {
  return {
    format: carrier.format,
    kind: carrier.kind,
    sniff: (text) => sniffGrepPrefixed(text, carrier),
    createFramer: (sourceId) => createGrepPrefixedFramer(sourceId, carrier),
    samples: carrier.samples,
  };
}

function createGrepPrefixedFramer(sourceId: number, carrier: Carrier): Framer {
  const inner = carrier.createFramer(sourceId);
  // Prefixes seen on lines the carrier recognised: a continuation line (`syslog-  active_file:…`) carries the same one.
  const files = new Set<string>();
  let lineNumbersOnly = false;

  const strip = (text: string): string => {
    const reading = splitGrepPrefix(text, carrier);
    if (reading !== null) {
      if (reading.file === null) lineNumbersOnly = true;
      else files.add(reading.file);
      return reading.rest;
    }
    for (const candidate of grepPrefixReadings(text)) {
      if (candidate.file === null ? lineNumbersOnly : files.has(candidate.file)) return candidate.rest;
    }
    return text;
  };

  return {
    frame(line: RawLine): LogRecord | null {
      const text = cleanLineText(line.text);
      if (text === GROUP_SEPARATOR) return null;
      const record = inner.frame({ ...line, text: strip(text) });
      return record === null ? null : { ...record, text: line.text };
    },
    dropped: () => inner.dropped?.() ?? null,
    notes() {
      const own = inner.notes?.() ?? [];
      if (files.size === 0 && !lineNumbersOnly) return own;
      const names = [...files];
      const shown = names.slice(0, NOTED_FILES).join(', ');
      const more = names.length > NOTED_FILES ? ` and ${names.length - NOTED_FILES} more` : '';
      const what =
        names.length === 0
          ? "grep's line numbers were taken off its lines"
          : `grep's file-name prefixes were taken off its lines (from ${shown}${more})`;
      return [...own, what];
    },
  };
}
