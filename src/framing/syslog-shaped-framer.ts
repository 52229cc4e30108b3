// Framer for every `<time> host tag[pid]: message` carrier (syslog 3164/3339, journalctl short modes): only the time differs.

import type { Framer } from './carrier.js';
import { matchJournalSeparator } from './journal-separator.js';
import { createLineFramer, NOT_AN_ENTRY } from './line-framer.js';
import type { StampAsFound } from './stamp.js';
import { parseSyslogTail } from './syslog-tail.js';

/** What a carrier reads in front of the host. */
export interface LeadingStamp {
  readonly stamp: StampAsFound;
  /** Seconds since boot when the time itself is monotonic (journalctl short-monotonic). */
  readonly monotonic?: number | null;
  readonly priority?: number | null;
  /** Everything after the time: `host tag[pid]: message`. */
  readonly rest: string;
}

/** Parses the time at the start of a cleaned line; null when the line does not start with this carrier's time. */
export type LeadingStampParser = (text: string) => LeadingStamp | null;

/**
 * A framer for one syslog-shaped input. Journal separators are skipped in every such carrier (a short-format journal
 * can be classified as RFC 3164 when its first lines tell the two apart by nothing); `-- Boot <id> --` sets the boot of
 * the entries that follow.
 */
export function createSyslogShapedFramer(sourceId: number, parseStamp: LeadingStampParser): Framer {
  let bootId: string | null = null;
  return createLineFramer({
    sourceId,
    continuation: true,
    unparsedIdent: null,
    glueOomKill: true,
    parse(text) {
      const leading = parseStamp(text);
      if (leading === null) {
        const separator = matchJournalSeparator(text);
        if (separator === null) return null;
        if (separator.newBoot) bootId = separator.bootId;
        return NOT_AN_ENTRY;
      }
      const tail = parseSyslogTail(leading.rest);
      return {
        stamp: leading.stamp,
        // The kernel's own `[mono]` after `kernel:` wins over nothing; a monotonic time stamp (short-monotonic) over both.
        monotonic: leading.monotonic ?? tail.monotonic,
        bootId,
        host: tail.host,
        ident: tail.ident,
        pid: tail.pid,
        priority: leading.priority ?? null,
        message: tail.message,
      };
    },
  });
}
