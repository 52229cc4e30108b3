// One framed log entry: the carrier's prefix taken apart, the message body left for the recognisers.
import type { StampAsFound } from './stamp.js';

export interface LogRecord {
  readonly sourceId: number;
  readonly lineNo: number;
  /** The whole physical line, for evidence. */
  readonly text: string;
  /** The time the carrier put on the line (for syslog-received kernel lines: the receive time). */
  readonly stamp: StampAsFound;
  /**
   * Seconds since boot when the line also carries the kernel's own stamp (`kernel: [12345.678901] …` in syslog,
   * `_SOURCE_MONOTONIC_TIMESTAMP` in journal JSON, the kmsg µs field). Lets the clock learn the boot time.
   */
  readonly monotonic: number | null;
  /** journald `_BOOT_ID` when known; otherwise null. */
  readonly bootId: string | null;
  readonly host: string | null;
  /** Syslog tag / journal SYSLOG_IDENTIFIER: `kernel`, `systemd`, `earlyoom`, `anqicms`… null when the carrier has none. */
  readonly ident: string | null;
  readonly pid: number | null;
  /**
   * The systemd unit that wrote the line (journal `_SYSTEMD_UNIT`, trusted: journald sets it from the sender's cgroup);
   * null when the carrier does not say. Ties a service's stdout to its unit when its identifier is `java` or `sh`.
   */
  readonly unit: string | null;
  /** Syslog severity 0–7 when the carrier gives it. */
  readonly priority: number | null;
  /** /dev/kmsg sequence number when known (dedupe key within a boot). */
  readonly seq: number | null;
  /** The message body: what the program printed, prefix stripped. */
  readonly message: string;
}
