// Audit records the kernel prints into its ring buffer when no audit daemon takes them (AppArmor on Debian and
// Ubuntu, SELinux without auditd): `audit: type=1400 audit(1611064871.016:51): apparmor="DENIED" …`. They matter for
// their stamp alone: `audit(SECONDS.MILLIS:SERIAL)` is the wall clock when the record was made, and the line also
// carries the kernel's seconds since boot, so one such line in a dmesg capture tells the boot's wall-clock time.
import type { KernelAudit } from './event.js';
import { toNumber } from './field-list.js';
import type { Recogniser } from './recogniser.js';
import type { RecogniserTable } from './table.js';

/** Stamps before this (2001-09-09) are the clock before it was set at boot (`audit(0.120:1)` on boards without RTC). */
const FIRST_PLAUSIBLE_SECOND = 1_000_000_000;

export const kernelAudit: Recogniser<KernelAudit> = {
  id: 'kernel.audit',
  type: 'kernel.audit',
  guard: ' audit(',
  // `audit: ` is the pr_fmt prefix of 3.x and later kernels; older ones print the record bare (`type=1400 audit(…)`).
  pattern: /^(?:audit: )?type=(?<recordType>\d+) audit\((?<seconds>\d+)\.(?<millis>\d{3}):(?<serial>\d+)\)/,
  build: (g, record) => {
    const seconds = toNumber(g.seconds);
    const millis = toNumber(g.millis);
    const serial = toNumber(g.serial);
    if (seconds === null || millis === null || serial === null || seconds < FIRST_PLAUSIBLE_SECOND)
      return null;
    return { type: 'kernel.audit', record, epochMs: seconds * 1000 + millis, serial };
  },
  samples: [
    {
      line: 'audit: type=1400 audit(1611064871.016:51): apparmor="DENIED" operation="exec" profile="snap.nextcloud.mysql" name="/bin/systemctl" pid=1310 comm="mysql.server" requested_mask="x" denied_mask="x" fsuid=0 ouid=0',
      expect: { epochMs: 1_611_064_871_016, serial: 51 },
    },
    {
      line: 'audit: type=1400 audit(1516727998.696:8): apparmor="STATUS" operation="profile_replace" profile="unconfined" name="/usr/lib/NetworkManager/nm-dhcp-client.action" pid=813 comm="apparmor_parser"',
      expect: { epochMs: 1_516_727_998_696, serial: 8 },
    },
    {
      line: 'type=1400 audit(1445786641.841:6546499): apparmor="DENIED" operation="ptrace" profile="docker-default" pid=26849 comm="monit" requested_mask="trace" denied_mask="trace" peer="docker-default"',
      expect: { epochMs: 1_445_786_641_841, serial: 6_546_499 },
    },
    // Before the clock was set: the stamp says nothing about the wall clock.
    { line: 'audit: type=2000 audit(0.120:1): state=initialized audit_enabled=0 res=1', expect: null },
    { line: 'audit: initializing netlink subsys (disabled)', expect: null },
  ],
};

export const kernelAuditTable: RecogniserTable = {
  id: 'kernel-audit',
  gate: (message) => message.includes(' audit('),
  recognisers: [kernelAudit],
};
