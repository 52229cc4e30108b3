// rsyslog high-precision files (RSYSLOG_FileFormat, Debian 12 default): `2024-07-23T10:04:01.553604+08:00 web1 kernel: …`.
import type { Carrier } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { parseIsoInstant, splitFirstToken } from './iso-instant.js';
import { createSyslogShapedFramer, type LeadingStamp } from './syslog-shaped-framer.js';
import { hasHostAndTag } from './syslog-tail.js';

function parseRfc3339(text: string): LeadingStamp | null {
  const { token, rest } = splitFirstToken(text);
  const iso = parseIsoInstant(token);
  return iso === null ? null : { stamp: iso.stamp, rest };
}

export const syslogRfc3339: Carrier = {
  format: 'syslog-rfc3339',
  kind: 'system',
  // Offset with a colon (or Z) and a dot before the fraction: a `+0800` offset is journalctl short-iso, a comma dmesg iso.
  sniff(raw) {
    const { token, rest } = splitFirstToken(cleanLineText(raw));
    const iso = parseIsoInstant(token);
    return (
      iso !== null && iso.separator !== ',' && (iso.offsetHasColon || iso.offsetIsZulu) && hasHostAndTag(rest)
    );
  },
  createFramer(sourceId) {
    return createSyslogShapedFramer(sourceId, parseRfc3339);
  },
  samples: [
    '2024-07-23T10:04:01.553604+08:00 web1 kernel: Out of memory: Killed process 12345 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '2024-07-23T10:04:01.553604+08:00 web1 kernel: [12345.678901] Out of memory: Killed process 12345 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    "2024-07-23T10:04:02.104311+08:00 web1 systemd[1]: anqicms.service: Failed with result 'oom-kill'.",
    '2024-07-23T02:04:01.000000Z web1 systemd-oomd[612]: Killed /system.slice/anqicms.service due to memory pressure for /system.slice being 82.36% > 80.00% for > 20s with reclaim activity',
  ],
};
