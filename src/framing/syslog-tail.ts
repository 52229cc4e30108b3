// What follows the time in syslog-shaped lines: `host tag[pid]: message`, the kernel's own stamp after `kernel:`.
import { splitMonotonicPrefix } from './monotonic-bracket.js';

// The tag is lazy and bounded so that a long first word without a colon fails fast; `: ` (or `:` at the end) closes it,
// which keeps `http://…` or `12:30` inside the message.
const HOST_TAG_MESSAGE =
  /^(?<host>\S{1,255}) (?:(?<ident>[^\s[]{1,128}?)(?:\[(?<pid>\d{1,10})\])?:(?: |$))?(?<message>.*)$/s;
const TAG_MESSAGE = /^(?<ident>[^\s[]{1,128}?)(?:\[(?<pid>\d{1,10})\])?:(?: |$)(?<message>.*)$/s;
// `journalctl --no-hostname` (and entries without _HOSTNAME) print the tag right after the time: `kernel: …` or
// `name[pid]: …` (journald always knows the pid of anything but the kernel). A host never ends in a colon, so a first
// word of that shape is a tag, not a host; other colon-ended words (`usb 1-1:`, `ACPI:`) are not taken as tags.
const HOSTLESS_TAG_MESSAGE =
  /^ ?(?:(?<kernel>kernel)|(?<ident>[^\s[:]{1,128})\[(?<pid>\d{1,10})\]):(?: |$)(?<message>.*)$/s;

export interface SyslogTail {
  readonly host: string | null;
  readonly ident: string | null;
  readonly pid: number | null;
  /** Seconds since boot from `kernel: [12345.678901] …` (kept by rsyslog's imklog), else null. */
  readonly monotonic: number | null;
  readonly message: string;
}

/** Take `host tag[pid]: message` apart; lines without a tag (`-- MARK --`, `message repeated…`) keep ident null. */
export function parseSyslogTail(rest: string): SyslogTail {
  const hostless = parseHostlessTag(rest);
  if (hostless !== null) return hostless;
  const groups = HOST_TAG_MESSAGE.exec(rest)?.groups;
  if (groups === undefined) return { host: null, ident: null, pid: null, monotonic: null, message: rest };
  const ident = groups.ident ?? null;
  const message = groups.message ?? '';
  const pid = toPid(groups.pid);
  if (ident === 'kernel') {
    const mono = splitMonotonicPrefix(message);
    if (mono !== null)
      return { host: groups.host ?? null, ident, pid, monotonic: mono.seconds, message: mono.body };
  }
  return { host: groups.host ?? null, ident, pid, monotonic: null, message };
}

/** `kernel: …` / `name[pid]: …` with no host in front; null when the text does not start so. */
function parseHostlessTag(rest: string): SyslogTail | null {
  const first = rest.charCodeAt(0);
  // Cheap guard: the first word must end in `:` or `]`, so a colon must come before the first space (a leading space
  // is an empty host).
  const space = rest.indexOf(' ', first === 0x20 ? 1 : 0);
  const colon = rest.indexOf(':');
  if (colon < 0 || (space >= 0 && colon > space)) return null;
  const groups = HOSTLESS_TAG_MESSAGE.exec(rest)?.groups;
  if (groups === undefined) return null;
  const ident = groups.kernel ?? groups.ident ?? null;
  const message = groups.message ?? '';
  if (ident === 'kernel') {
    const mono = splitMonotonicPrefix(message);
    if (mono !== null) return { host: null, ident, pid: null, monotonic: mono.seconds, message: mono.body };
  }
  return { host: null, ident, pid: toPid(groups.pid), monotonic: null, message };
}

/**
 * True when the text has a tag, after a host or (journalctl --no-hostname) alone, i.e. really looks like the rest of a
 * syslog line (used by sniffers).
 */
export function hasHostAndTag(rest: string): boolean {
  if (parseHostlessTag(rest) !== null) return true;
  const groups = HOST_TAG_MESSAGE.exec(rest)?.groups;
  return groups?.ident !== undefined;
}

/** `systemd[1]: text` (no host) → ident, pid, message; null when the text has no tag. Used for userspace lines in the kernel log. */
export function parseTagPrefix(text: string): { ident: string; pid: number | null; message: string } | null {
  const groups = TAG_MESSAGE.exec(text)?.groups;
  if (groups?.ident === undefined) return null;
  return { ident: groups.ident, pid: toPid(groups.pid), message: groups.message ?? '' };
}

/** Digits → pid; null when absent or beyond what a pid can be. */
export function toPid(digits: string | undefined): number | null {
  if (digits === undefined || digits === '') return null;
  const pid = Number(digits);
  return Number.isSafeInteger(pid) && pid <= 0x7fffffff ? pid : null;
}
