// util-linux dmesg output: plain `[  127.553604] …`, -r `<3>[…] …`, -x `kern  :err   : […] …`, -T `[Fri Nov 27 …] …`, iso.

import type { Carrier, Framer } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { type BracketTime, parseCtimeInside } from './dmesg-local-time.js';
import { parseIsoInstant, splitFirstToken } from './iso-instant.js';
import { kernelLogSender } from './kernel-log-sender.js';
import { createLineFramer, type PrefixParser } from './line-framer.js';
import { splitMonotonicPrefix } from './monotonic-bracket.js';
import { NO_STAMP, type StampAsFound } from './stamp.js';
import { toLocalStamp } from './stamp-parts.js';

const KERNEL = 'kernel';
const RAW_PREFIX = /^<(?<pri>\d{1,4})>(?<rest>.*)$/s;
const DECODED_PREFIX = /^(?<facility>[a-z0-9]{2,8}) *:(?<level>[a-z]{3,6}) *: (?<rest>.*)$/s;
// dmesg -T: `[<weekday, day, month, time, year in the locale's order>] text` (dmesg-local-time.ts reads the inside).
const CTIME_PREFIX = /^\[(?<inside>[^\]]{14,48})\] ?(?<body>.*)$/s;
// A journal short-monotonic line (`[mono] host kernel: …` / `[mono] host name[pid]: …`, `[mono] kernel: …` with
// --no-hostname) rather than kernel text. A hostless `[mono] name[pid]: …` stays dmesg too: systemd writes its
// early-boot lines into the kernel log that way.
const JOURNAL_TAGGED = /^(?:\S{1,255} (?:kernel|[^\s[]{1,128}\[\d{1,10}\])|kernel):(?: |$)/;

// util-linux's names, in code order (facility = PRI >> 3, level = PRI & 7).
const FACILITIES = new Map(
  [
    'kern',
    'user',
    'mail',
    'daemon',
    'auth',
    'syslog',
    'lpr',
    'news',
    'uucp',
    'cron',
    'authpriv',
    'ftp',
    'res0',
    'res1',
    'res2',
    'res3',
    'local0',
    'local1',
    'local2',
    'local3',
    'local4',
    'local5',
    'local6',
    'local7',
  ].map((name, code) => [name, code]),
);
const LEVELS = new Map(
  ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'].map((name, code) => [name, code]),
);

/** Stamp fields for an optional `[mono]` at the start of `text`. */
function monotonicOrNone(text: string): { stamp: StampAsFound; monotonic: number | null; body: string } {
  const prefix = splitMonotonicPrefix(text);
  if (prefix === null) return { stamp: NO_STAMP, monotonic: null, body: text };
  return {
    stamp: { kind: 'monotonic', seconds: prefix.seconds },
    monotonic: prefix.seconds,
    body: prefix.body,
  };
}

const parsePlain: PrefixParser = (text) => {
  const prefix = splitMonotonicPrefix(text);
  if (prefix === null) return null;
  return {
    stamp: { kind: 'monotonic', seconds: prefix.seconds },
    monotonic: prefix.seconds,
    ident: KERNEL,
    message: prefix.body,
  };
};

const parseRaw: PrefixParser = (text) => {
  if (text.charCodeAt(0) !== 0x3c) return null;
  const groups = RAW_PREFIX.exec(text)?.groups;
  if (groups === undefined) return null;
  const pri = Number(groups.pri);
  const { stamp, monotonic, body } = monotonicOrNone(groups.rest ?? '');
  return { stamp, monotonic, priority: pri & 7, ...kernelLogSender(pri >> 3, body) };
};

const parseDecoded: PrefixParser = (text) => {
  if (!text.includes(' : ') && !text.includes(': ')) return null;
  const groups = DECODED_PREFIX.exec(text)?.groups;
  if (groups === undefined) return null;
  const facility = FACILITIES.get(groups.facility ?? '');
  const level = LEVELS.get(groups.level ?? '');
  if (facility === undefined || level === undefined) return null;
  const { stamp, monotonic, body } = monotonicOrNone(groups.rest ?? '');
  return { stamp, monotonic, priority: level, ...kernelLogSender(facility, body) };
};

/** The inside of dmesg -T's brackets and the text after them; null when the line does not start with them. */
function splitCtime(text: string): { time: BracketTime; body: string } | null {
  if (text.charCodeAt(0) !== 0x5b) return null;
  const groups = CTIME_PREFIX.exec(text)?.groups;
  if (groups === undefined) return null;
  const time = parseCtimeInside(groups.inside ?? '');
  return time === null ? null : { time, body: groups.body ?? '' };
}

/**
 * dmesg -T: the wall time is computed by dmesg as boot time + monotonic stamp when it ran (wrong after suspend/resume).
 * LocalStamp has no room to say so; the format name `dmesg-ctime` tells the clock stage. A month word we cannot read
 * leaves the line unstamped but still takes the stamp off the message.
 */
const parseCtime: PrefixParser = (text) => {
  const split = splitCtime(text);
  if (split === null) return null;
  const { time, body } = split;
  const stamp = time.month === null ? null : toLocalStamp({ ...time, month: time.month });
  return { stamp: stamp ?? NO_STAMP, ident: KERNEL, message: body };
};

/** dmesg --time-format iso: `2026-11-27T00:45:11,550964+00:00 text`, also computed by dmesg from the boot time. */
const parseIso: PrefixParser = (text) => {
  const first = text.charCodeAt(0);
  if (first < 0x30 || first > 0x39) return null;
  const { token, rest } = splitFirstToken(text);
  const iso = parseIsoInstant(token, true);
  if (iso === null) return null;
  return { stamp: iso.stamp, ident: KERNEL, message: rest };
};

function dmesgFramer(sourceId: number, parse: PrefixParser): Framer {
  return createLineFramer({ sourceId, parse, continuation: true, unparsedIdent: KERNEL, glueOomKill: true });
}

export const dmesg: Carrier = {
  format: 'dmesg',
  kind: 'kernel',
  sniff(raw) {
    const prefix = splitMonotonicPrefix(cleanLineText(raw));
    return prefix !== null && !JOURNAL_TAGGED.test(prefix.body);
  },
  createFramer(sourceId) {
    return dmesgFramer(sourceId, parsePlain);
  },
  samples: [
    '[  127.550964] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '[  127.551061] CPU: 1 UID: 0 PID: 2249 Comm: anqicms Not tainted 6.18.44-fc-v657 #1 PREEMPT(none)',
    '[  127.551444]  <TASK>',
    '[  127.553343] memory: usage 65536kB, limit 65536kB, failcnt 53',
    '[  127.553520] [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name',
    '[  127.553525] [   2249]     0  2249   246246    24534    16192     8342         0   585728        0             0 anqicms',
    '[  127.553530] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/process_api/x/ceo_oomtest,task_memcg=/process_api/x/ceo_oomtest,task=anqicms,pid=2249,uid=0',
    '[  127.553604] Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '[    0.417206] amd_pstate: The CPPC feature is supported but currently disabled by the BIOS.',
    '[1813654.116643] Out of memory: Killed process 1436 (python) total-vm:869012kB, anon-rss:607516kB, file-rss:44kB, shmem-rss:0kB, UID:1000 pgtables:1264kB oom_score_adj:0',
  ],
};

export const dmesgRaw: Carrier = {
  format: 'dmesg-raw',
  kind: 'kernel',
  sniff(raw) {
    const text = cleanLineText(raw);
    return RAW_PREFIX.exec(text)?.groups?.rest?.startsWith('[') === true && parseRaw(text) !== null;
  },
  createFramer(sourceId) {
    return dmesgFramer(sourceId, parseRaw);
  },
  samples: [
    '<3>[  127.553604] Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '<4>[  127.550964] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '<6>[  127.553519] Tasks state (memory values in pages):',
    '<14>[    3.120452] oomd kill: 81.28 80.05 42.78 user.slice/user-1000.slice/x.scope 1000 ruleset:[test]',
  ],
};

export const dmesgDecoded: Carrier = {
  format: 'dmesg-decoded',
  kind: 'kernel',
  sniff(raw) {
    return parseDecoded(cleanLineText(raw)) !== null;
  },
  createFramer(sourceId) {
    return dmesgFramer(sourceId, parseDecoded);
  },
  samples: [
    'kern  :err   : [  127.553604] Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    'kern  :warn  : [  127.550964] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    'user  :info  : [    3.120452] oomd kill: 81.28 80.05 42.78 user.slice/user-1000.slice/x.scope 1000 ruleset:[test]',
    'user  :info  : [    1.874611] systemd[1]: Started systemd-journald.service - Journal Service.',
  ],
};

export const dmesgCtime: Carrier = {
  format: 'dmesg-ctime',
  kind: 'kernel',
  sniff(raw) {
    return splitCtime(cleanLineText(raw)) !== null;
  },
  createFramer(sourceId) {
    return dmesgFramer(sourceId, parseCtime);
  },
  samples: [
    '[Fri Nov 27 00:45:11 2026] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '[Fri Nov 27 00:45:11 2026] Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '[月  1月 26 01:49:41 2026] systemd invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
    '[Sat Nov  7 09:01:02 2026] oom_reaper: reaped process 2249 (anqicms), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
    // util-linux 2.38.1's own translations reorder the fields (de, fr, cs); glibc 2.36 names the months.
    '[Mi,  2. Dez 2026, 02:08:01] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '[mer.  2 déc. 02:08:01 2026] Out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '[St  2. pro 2026 02:08:01] Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '[Ср дек  2 02:08:01 2026] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
  ],
};

export const dmesgIso: Carrier = {
  format: 'dmesg-iso',
  kind: 'kernel',
  // The comma before the microseconds is what sets dmesg's iso apart from RFC 3339 syslog.
  sniff(raw) {
    const iso = parseIsoInstant(splitFirstToken(cleanLineText(raw)).token);
    return iso !== null && iso.separator === ',';
  },
  createFramer(sourceId) {
    return dmesgFramer(sourceId, parseIso);
  },
  samples: [
    '2026-11-27T00:45:11,550964+00:00 anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '2026-11-27T00:45:11,553604+00:00 Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
  ],
};
