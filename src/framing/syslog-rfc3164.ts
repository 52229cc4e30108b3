// Classic syslog files (/var/log/syslog, messages, kern.log): `Jul  3 10:04:01 web1 kernel: …`, no year, no zone.

import { parseBsdStampedLine } from './bsd-stamp.js';
import type { Carrier } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { createSyslogShapedFramer } from './syslog-shaped-framer.js';
import { hasHostAndTag } from './syslog-tail.js';

export const syslogRfc3164: Carrier = {
  format: 'syslog-rfc3164',
  kind: 'system',
  // Space-padded (or two-digit) day, whole seconds: a zero-padded day or a fraction means journalctl (journal-short.ts).
  sniff(text) {
    const line = parseBsdStampedLine(cleanLineText(text));
    return line !== null && !line.precise && line.dayPadding !== 'zero' && hasHostAndTag(line.rest);
  },
  createFramer(sourceId) {
    return createSyslogShapedFramer(sourceId, parseBsdStampedLine);
  },
  samples: [
    'Jul 23 10:04:01 web1 kernel: Out of memory: Killed process 12345 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    'Jul  3 10:04:01 web1 kernel: [12345.678901] Out of memory: Killed process 12345 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    'Apr 11 09:32:21 anderson kernel: [10699.261480] [ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name',
    'Jun 19 22:42:14 rhel78 kernel: Killed process 45465 (tail), UID 0, total-vm:7582132kB, anon-rss:7420324kB, file-rss:0kB, shmem-rss:0kB',
    'Jun 19 22:42:14 rhel78 systemd: tidb-4000.service: main process exited, code=killed, status=9/KILL',
    "Jul 23 10:04:02 web1 systemd[1]: anqicms.service: Failed with result 'oom-kill'.",
    'Jul 23 10:03:59 web1 earlyoom[812]: sending SIGTERM to process 1985588 uid 1000 "(sd-pam)": badness 733, VmRSS 3 MiB',
    'Jul 23 10:05:01 web1 CRON[4711]: (root) CMD (/www/wwwroot/anqicms/start.sh)',
    'May  4 10:10:10 server kernel: in:imjournal invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0',
    '<3>Jul 23 10:04:01 web1 kernel: Memory cgroup out of memory: Killed process 51947 (tail) total-vm:459896kB, anon-rss:458176kB, file-rss:772kB, shmem-rss:0kB, UID:0 pgtables:948kB oom_score_adj:0',
    'Jul 23 10:04:01 web1 anqicms[2249]: panic: runtime error: invalid memory address or nil pointer dereference#012[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f4a5]',
  ],
};
