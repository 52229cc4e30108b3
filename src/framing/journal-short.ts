// journalctl's text output modes: short, short-precise, short-iso(-precise), short-full, short-unix, short-monotonic.

import { parseBsdStampedLine } from './bsd-stamp.js';
import type { Carrier } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { parseIsoInstant, splitFirstToken } from './iso-instant.js';
import { matchJournalSeparator } from './journal-separator.js';
import { splitMonotonicPrefix } from './monotonic-bracket.js';
import { offsetMinutes, toInstantStamp, toLocalStamp, wallFieldsOf } from './stamp-parts.js';
import type { LeadingStamp } from './syslog-shaped-framer.js';
import { createSyslogShapedFramer } from './syslog-shaped-framer.js';
import { hasHostAndTag } from './syslog-tail.js';

const FULL_STAMP =
  /^(?<weekday>\S{1,12}) (?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2}) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))? (?<zone>[A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?) (?<rest>.*)$/s;
const UNIX_STAMP = /^(?<seconds>\d{1,12})(?:\.(?<fraction>\d{1,9}))? (?<rest>.*)$/s;
const UNIX_SNIFF = /^\d{9,11}\.\d{6} /;
/** Abbreviations that name UTC itself; every other one (CST, IST, …) is ambiguous and left to the clock stage. */
const UTC_NAMES = new Set(['UTC', 'GMT', 'Z']);

/** short / short-precise: `Nov 27 00:50:37[.833178] vm kernel: …`. */
function parseShort(text: string): LeadingStamp | null {
  return parseBsdStampedLine(text);
}

/** short-iso / short-iso-precise: `2026-11-27T00:50:42[.833293]+0000 vm anqicms[7056]: …`. */
function parseShortIso(text: string): LeadingStamp | null {
  const { token, rest } = splitFirstToken(text);
  const iso = parseIsoInstant(token);
  return iso === null ? null : { stamp: iso.stamp, rest };
}

/**
 * short-full: `Fri 2026-11-27 00:50:42 UTC vm anqicms[7056]: …`. A zone that is UTC or a numeric offset gives an instant;
 * an abbreviation like CST (China, US Central, Cuba) cannot be trusted, so the wall time goes on as a LocalStamp (with
 * its year) for the clock stage to place with the user's zone.
 */
function parseShortFull(text: string): LeadingStamp | null {
  if (text.length < 26 || text.charCodeAt(text.indexOf(' ') + 5) !== 0x2d) return null;
  const groups = FULL_STAMP.exec(text)?.groups;
  if (groups === undefined) return null;
  const fields = wallFieldsOf(groups);
  const zone = groups.zone ?? '';
  const numeric = zone.startsWith('+') || zone.startsWith('-') ? offsetMinutes(zone) : null;
  const minutesEast = UTC_NAMES.has(zone) ? 0 : numeric;
  const stamp = minutesEast === null ? toLocalStamp(fields) : toInstantStamp(fields, minutesEast);
  return stamp === null ? null : { stamp, rest: groups.rest ?? '' };
}

/** short-unix: `1795740642.354420 vm anqicms[7056]: …` (seconds since the epoch). */
function parseShortUnix(text: string): LeadingStamp | null {
  const first = text.charCodeAt(0);
  if (first < 0x30 || first > 0x39) return null;
  const groups = UNIX_STAMP.exec(text)?.groups;
  if (groups === undefined) return null;
  const ms =
    Number(groups.seconds) * 1000 +
    (groups.fraction === undefined ? 0 : Number(`0.${groups.fraction}`) * 1000);
  return { stamp: { kind: 'instant', ms }, rest: groups.rest ?? '' };
}

/** short-monotonic: `[  127.553604] vm kernel: …` (kernel records carry the kernel's own time). */
function parseShortMonotonic(text: string): LeadingStamp | null {
  const prefix = splitMonotonicPrefix(text);
  if (prefix === null) return null;
  return {
    stamp: { kind: 'monotonic', seconds: prefix.seconds },
    monotonic: prefix.seconds,
    rest: prefix.body,
  };
}

function isSeparator(text: string): boolean {
  return matchJournalSeparator(text) !== null;
}

export const journalShort: Carrier = {
  format: 'journal-short',
  kind: 'system',
  // Zero-padded day (`Apr 05`) or a journalctl separator; days 10–31 fit RFC 3164 equally well (detect.ts breaks the tie).
  sniff(raw) {
    const text = cleanLineText(raw);
    const line = parseBsdStampedLine(text);
    if (line === null) return isSeparator(text);
    return !line.precise && line.priority === null && line.dayPadding !== 'space' && hasHostAndTag(line.rest);
  },
  createFramer(sourceId) {
    return createSyslogShapedFramer(sourceId, parseShort);
  },
  samples: [
    'Nov 27 00:50:37 vm kernel: Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    'Apr 05 08:24:14 kaspa-devnet kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/session-689.scope,task=kaspad,pid=1297859,uid=1000',
    'Nov 27 00:50:42 vm anqicms[7056]: 2026/11/27 00:50:42 端口已经被占用，可能软件已经启动',
    'Nov 27 00:50:42 vm systemd[1]: anqicms.service: A process of this unit has been killed by the OOM killer.',
    // journalctl --no-hostname (eltmon/overdeck#2390), and in the user's locale: fr (systemd/systemd#32304), zh
    // (systemd/systemd#42385), ru and ja as glibc 2.36 prints `%b` (ja pads the month number with a space).
    'Jul 05 17:33:19 systemd-oomd[1599]: Killed /user.slice/user-1000.slice/user@1000.service/app.slice/overdeck-tmux-server.service due to memory pressure for /user.slice/user-1000.slice/user@1000.service being 56.11% > 50.00% for > 20s with reclaim activity',
    'avril 16 21:08:50 systemd-oomd[93234]: Considered 97 cgroups for killing, top candidates were:',
    '5月 29 23:06:20 Analyse systemd-oomd[111564]: Considered 10 cgroups for killing, top candidates were:',
    'ноя 05 10:00:01 vps kernel: Out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    ' 5月 05 10:00:01 vps systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL',
  ],
};

export const journalShortPrecise: Carrier = {
  format: 'journal-short-precise',
  kind: 'system',
  sniff(raw) {
    const text = cleanLineText(raw);
    const line = parseBsdStampedLine(text);
    if (line === null) return isSeparator(text);
    return line.precise && line.priority === null && hasHostAndTag(line.rest);
  },
  createFramer(sourceId) {
    return createSyslogShapedFramer(sourceId, parseShort);
  },
  samples: [
    'Nov 27 00:50:37.833178 vm kernel: Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    'Nov 27 00:50:37.833293 vm systemd-journald[7001]: Journal started',
  ],
};

export const journalShortIso: Carrier = {
  format: 'journal-short-iso',
  kind: 'system',
  // systemd 252 prints `%z` without a colon; an offset with a colon is rsyslog RFC 3339 (syslog-rfc3339.ts), framed alike.
  sniff(raw) {
    const { token, rest } = splitFirstToken(cleanLineText(raw));
    const iso = parseIsoInstant(token);
    return (
      iso !== null && iso.separator !== ',' && !iso.offsetHasColon && !iso.offsetIsZulu && hasHostAndTag(rest)
    );
  },
  createFramer(sourceId) {
    return createSyslogShapedFramer(sourceId, parseShortIso);
  },
  samples: [
    '2026-11-27T00:50:42+0000 vm anqicms[7056]: oomsleuth test line',
    '2026-11-27T08:50:42+0800 vm anqicms[7056]: oomsleuth test line',
    '2026-11-27T00:50:37.833293+0000 vm systemd-journald[7001]: Journal started',
    '2026-11-27T00:50:37.833178+0000 vm kernel: Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
  ],
};

export const journalShortFull: Carrier = {
  format: 'journal-short-full',
  kind: 'system',
  sniff(raw) {
    const text = cleanLineText(raw);
    const leading = parseShortFull(text);
    return leading !== null && hasHostAndTag(leading.rest);
  },
  createFramer(sourceId) {
    return createSyslogShapedFramer(sourceId, parseShortFull);
  },
  samples: [
    'Fri 2026-11-27 00:50:42 UTC vm anqicms[7056]: oomsleuth test line',
    'Fri 2026-11-27 08:50:42 CST vm anqicms[7056]: oomsleuth test line',
    'Fri 2026-11-27 00:50:37 UTC vm kernel: Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
  ],
};

export const journalShortUnix: Carrier = {
  format: 'journal-short-unix',
  kind: 'system',
  sniff(raw) {
    const text = cleanLineText(raw);
    if (!UNIX_SNIFF.test(text)) return false;
    const leading = parseShortUnix(text);
    return leading !== null && hasHostAndTag(leading.rest);
  },
  createFramer(sourceId) {
    return createSyslogShapedFramer(sourceId, parseShortUnix);
  },
  samples: [
    '1795740642.354420 vm anqicms[7056]: oomsleuth test line',
    '1795740637.833178 vm kernel: Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
  ],
};

export const journalShortMonotonic: Carrier = {
  format: 'journal-short-monotonic',
  kind: 'system',
  // `[mono] host tag:` — plain dmesg lines such as `usb 1-1: new device` fit too; detect.ts prefers this carrier only on
  // a tie, and real journal output has `kernel:` / `name[pid]:` on nearly every line.
  sniff(raw) {
    const text = cleanLineText(raw);
    const prefix = splitMonotonicPrefix(text);
    if (prefix === null) return isSeparator(text);
    return hasHostAndTag(prefix.body);
  },
  createFramer(sourceId) {
    return createSyslogShapedFramer(sourceId, parseShortMonotonic);
  },
  samples: [
    '[  127.553604] vm kernel: Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '[  127.550964] vm kernel: anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '[  453.116533] vm systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL',
    // --no-hostname, as systemd's own CI prints it (systemd/systemd#42321).
    '[   77.749670] systemd-oomd[659]: Marked /system.slice/systemd-journald.service for killing due to memory pressure for /system.slice being 85.03% > 80.00% for > 2s with reclaim activity',
  ],
};
