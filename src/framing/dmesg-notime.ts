// Kernel log text with no time at all: RHEL 6's `dmesg` (its kernels print no printk time), `dmesg -t`, or a kernel
// log copied without its stamps. Nothing in a line says it is kernel text, so the sniff looks for the shapes the kernel
// prints over and over: subsystem prefixes, OOM reports and their memory tables, stack traces, register dumps.

import type { Carrier } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { createLineFramer, type PrefixParser } from './line-framer.js';
import { NO_STAMP } from './stamp.js';

const KERNEL = 'kernel';
const NO_TIME_NOTE =
  'its lines carry no time (dmesg without printk times, as RHEL 6 prints it, or dmesg -t): a kill in it is tied to a death by order only, and its time is unknown';

/** Lines only the kernel prints, each one shape; any one makes the line kernel text. */
const KERNEL_SHAPES: readonly RegExp[] = [
  // OOM killer and allocation failures, every generation (log-formats §2).
  /invoked oom-killer|^Out of memory|^Memory cgroup |^Killed process \d|^oom-kill:|^oom_reaper:|page allocation failure|^Mem-Info:$/,
  // 2.6.32 `Pid: 1, comm: init Not tainted …`, 3.10+ `CPU: 1 PID: 23471 Comm: …`, and the header lines around them.
  /^(?:Pid: \d+, comm: |CPU: \d+ (?:UID: \d+ )?PID: \d+ Comm: |Hardware name: |Call Trace:$|<\/?(?:TASK|IRQ)>$)/,
  // Stack frames: `[<ffffffff8111f2a1>] ? dump_header+0x90/0x1b0` (to 4.x), ` dump_stack_lvl+0x57/0x80` (later).
  /^\[<[0-9a-f]{8,16}>\]|^(?:\? )?[\w.]{2,64}\+0x[0-9a-f]{1,8}\/0x[0-9a-f]{1,8}/,
  // Register dumps and code bytes.
  /^(?:RIP|RSP|RAX|RDX|RBP|R10|R13|Code): /,
  // The OOM report's memory tables: `active_anon:…`, `Node 0 DMA: 1*4kB …`, `lowmem_reserve[]: …`, `2413 total pagecache pages`.
  /^(?:active_anon:|active_file:|unevictable:|slab_reclaimable:|mapped:|free:\d|Node \d+ |lowmem_reserve\[\]:|\d+ (?:total pagecache pages|pages (?:in swap cache|RAM|reserved|HighMem|shared|non-shared|hwpoisoned))|Swap cache stats:|Free swap += |Total swap = )/,
  // The task table: `[ pid ]   uid  tgid total_vm …` and its rows `[ 1234]     0  1234 …`.
  /^\[ *(?:pid *\] +uid|\d{1,10} *\] +\d)|^Tasks state \(memory values in pages\):$/,
  // memcg statistics: `memory: usage 65536kB, limit 65536kB, failcnt 0`, `rss 66871296`.
  /^(?:memory|memory\+swap|kmem|swap): usage \d+kB|^[a-z_]{2,40} \d{1,20}$/,
  // Boot lines without a colon.
  /^(?:Linux version \d|Initializing cgroup subsys |Booting |Freeing |Brought up \d|Calibrating delay|Detected \d|Switching to clocksource|Adding \d+k swap on )/,
];

/**
 * A subsystem or device prefix: `EXT4-fs (sda1): mounted…`, `e1000: eth0 NIC Link is Up`, `sd 0:0:0:0: [sda] …`,
 * `type=1400 audit(1389…): avc: …`. Most kernel lines have it, but so has any `Key: value` text (robots.txt, mail
 * headers): it counts only in a file that also shows one of the shapes above.
 */
const SUBSYSTEM_PREFIX = /^[A-Za-z][\w.\-/=]{1,31}(?: [\w.:\-/()[\]]{1,40})?: \S/;

/** True when the text has one of the kernel's own shapes (indentation ignored: the kernel indents continuations). */
export function looksLikeKernelText(text: string): boolean {
  const line = text.trimStart();
  return line.length > 0 && (SUBSYSTEM_PREFIX.test(line) || hasKernelOnlyShape(line));
}

/** True when the text has a shape nothing but the kernel prints (an OOM report, a stack, a register dump…). */
export function hasKernelOnlyShape(text: string): boolean {
  const line = text.trimStart();
  return line.length > 0 && KERNEL_SHAPES.some((shape) => shape.test(line));
}

/** Every line is a kernel record of its own, without a time; the text is the message. */
const parseUnstamped: PrefixParser = (text) => ({
  stamp: NO_STAMP,
  ident: KERNEL,
  message: text.trimStart(),
});

export const dmesgNotime: Carrier = {
  format: 'dmesg-notime',
  kind: 'kernel',
  sniff(raw) {
    return looksLikeKernelText(cleanLineText(raw));
  },
  createFramer(sourceId) {
    const framer = createLineFramer({
      sourceId,
      parse: parseUnstamped,
      continuation: false,
      unparsedIdent: KERNEL,
      glueOomKill: true,
    });
    return { ...framer, notes: () => [NO_TIME_NOTE] };
  },
  samples: [
    'mysqld invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0',
    'Pid: 2249, comm: anqicms Not tainted 2.6.32-754.35.1.el6.x86_64 #1',
    ' [<ffffffff810d7151>] ? cpuset_print_task_mems_allowed+0x91/0xb0',
    'Node 0 DMA: 3*4kB 1*8kB 2*16kB 2*32kB 3*64kB 2*128kB 1*256kB 0*512kB 1*1024kB 1*2048kB 3*4096kB = 15892kB',
    '[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name',
    '[ 2249]     0  2249   512394   391207   1       0             0 anqicms',
    'Out of memory: Kill process 2249 (anqicms) score 903 or sacrifice child',
    'Killed process 2249, UID 0, (anqicms) total-vm:2049576kB, anon-rss:1564800kB, file-rss:28kB',
    'EXT4-fs (vda1): mounted filesystem with ordered data mode. Opts: ',
  ],
};
