// `dmesg -e` / `--reltime` (and `-H`, which adds a pager): `[Dec15 02:08] text` when the minute changes, then
// `[  +0.000012] text`, the time since the record before, until the next minute. Both in the locale of whoever ran it
// (`[дек15 02:08]`, `[ 2. Dez 02:08]`, `[  +0,000012]`); util-linux sys-utils/dmesg.c print_record(), RELTIME.

import type { Carrier } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { parseReltimeMinute } from './dmesg-local-time.js';
import { createLineFramer, type PrefixParser } from './line-framer.js';
import { type LocalStamp, NO_STAMP } from './stamp.js';

const KERNEL = 'kernel';
const MINUTE_PREFIX = /^\[(?<inside>[^\]]{6,24})\] ?(?<body>.*)$/s;
// `[  %+8.06f]` below 10 s, `[ %+9.06f]` above; the decimal mark follows the locale.
const DELTA_PREFIX = /^\[ *(?<sign>[+-])(?<seconds>\d{1,9})[.,](?<micros>\d{6})\] ?(?<body>.*)$/s;
const MINUTE_NOTE =
  "dmesg -e prints the time only to the minute: each line is placed at its minute's start plus the deltas printed since it, up to a minute early";
/** The last millisecond of a minute: a minute's deltas never carry its lines past it (dmesg prints a new minute). */
const LAST_MS_OF_MINUTE = 59_999.999;

type Split =
  | { readonly kind: 'minute'; readonly stamp: LocalStamp; readonly body: string }
  | { readonly kind: 'delta'; readonly seconds: number; readonly body: string };

/** A line's reltime prefix taken apart; null when it has none. */
function splitReltime(text: string): Split | null {
  if (text.charCodeAt(0) !== 0x5b) return null;
  const delta = DELTA_PREFIX.exec(text)?.groups;
  if (delta !== undefined) {
    const magnitude = Number(delta.seconds) + Number(delta.micros) / 1e6;
    return { kind: 'delta', seconds: delta.sign === '-' ? -magnitude : magnitude, body: delta.body ?? '' };
  }
  const minute = MINUTE_PREFIX.exec(text)?.groups;
  if (minute === undefined) return null;
  const time = parseReltimeMinute(minute.inside ?? '');
  if (time === null || time.month === null) return null;
  if (time.day < 1 || time.day > 31 || time.hour > 23 || time.minute > 59) return null;
  const stamp: LocalStamp = { kind: 'local', ...time, month: time.month, millis: 0 };
  return { kind: 'minute', stamp, body: minute.body ?? '' };
}

/** The minute's start plus `offsetMs`, kept inside the minute. */
function withinMinute(minute: LocalStamp, offsetMs: number): LocalStamp {
  const ms = Math.min(Math.max(offsetMs, 0), LAST_MS_OF_MINUTE);
  const second = Math.floor(ms / 1000);
  return { ...minute, second, millis: ms - second * 1000 };
}

/**
 * A parser with the framer's state: the last minute line and the deltas added since. A minute line is placed at the
 * start of its minute (dmesg prints no seconds), each following line at that start plus the deltas, so every line of a
 * minute is placed up to a minute early and never late; lines before the first minute line have no time.
 */
function createReltimeParser(): PrefixParser {
  let minute: LocalStamp | null = null;
  let offsetMs = 0;
  return (text) => {
    const split = splitReltime(text);
    if (split === null) return null;
    if (split.kind === 'minute') {
      minute = split.stamp;
      offsetMs = 0;
      return { stamp: split.stamp, ident: KERNEL, message: split.body };
    }
    offsetMs += split.seconds * 1000;
    return {
      stamp: minute === null ? NO_STAMP : withinMinute(minute, offsetMs),
      ident: KERNEL,
      message: split.body,
    };
  };
}

export const dmesgReltime: Carrier = {
  format: 'dmesg-reltime',
  kind: 'kernel',
  sniff(raw) {
    return splitReltime(cleanLineText(raw)) !== null;
  },
  createFramer(sourceId) {
    const framer = createLineFramer({
      sourceId,
      parse: createReltimeParser(),
      continuation: true,
      unparsedIdent: KERNEL,
      glueOomKill: true,
    });
    return { ...framer, notes: () => [MINUTE_NOTE] };
  },
  samples: [
    '[Jul23 10:03] anqicms invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
    '[  +0.000006] CPU: 1 PID: 23471 Comm: anqicms Not tainted 5.15.0-113-generic #123-Ubuntu',
    '[  +0.000143] Out of memory: Killed process 23471 (anqicms) total-vm:1894232kB, anon-rss:1523340kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:3220kB oom_score_adj:0',
    '[ +12.504111] oom_reaper: reaped process 23471 (anqicms), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
    '[Dec 2 02:08] Run /process_api as init process',
    '[12月 2 02:08] Run /process_api as init process',
    '[ 2. Dez 02:08] Run /process_api as init process',
    '[ 2déc. 02:08] Run /process_api as init process',
    '[  +0,000000]   with arguments:',
  ],
};
