// Every carrier, in the order detect.ts prefers them when a file's lines fit several equally well.
import { appLog } from './app-log.js';
import type { Carrier } from './carrier.js';
import { checkSh } from './check-sh.js';
import { dmesg, dmesgCtime, dmesgDecoded, dmesgIso, dmesgRaw } from './dmesg.js';
import { dmesgNotime } from './dmesg-notime.js';
import { dmesgReltime } from './dmesg-reltime.js';
import { guardIncidents } from './guard-incidents.js';
import { journalJson } from './journal-json.js';
import {
  journalShort,
  journalShortFull,
  journalShortIso,
  journalShortMonotonic,
  journalShortPrecise,
  journalShortUnix,
} from './journal-short.js';
import { kmsg } from './kmsg.js';
import { syslogRfc3164 } from './syslog-rfc3164.js';
import { syslogRfc3339 } from './syslog-rfc3339.js';
import { syslogRfc5424 } from './syslog-rfc5424.js';

/**
 * Ties happen between look-alikes only: RFC 3164 vs journal short when every day is 10–31 (3164 first: the classic
 * files are the common case, and the two frame alike), journal short-monotonic vs plain dmesg when every kernel line
 * happens to read as `host tag:` (the journal first: dmesg text rarely does on every line). dmesg-notime recognises kernel
 * text by its shapes alone, so it comes last: any carrier that finds its stamps on as many lines wins.
 */
export const ALL_CARRIERS: readonly Carrier[] = Object.freeze([
  checkSh,
  journalJson,
  guardIncidents,
  kmsg,
  syslogRfc5424,
  syslogRfc3339,
  journalShortIso,
  journalShortFull,
  journalShortUnix,
  journalShortMonotonic,
  dmesgRaw,
  dmesgDecoded,
  dmesgCtime,
  dmesgIso,
  dmesgReltime,
  dmesg,
  journalShortPrecise,
  syslogRfc3164,
  journalShort,
  dmesgNotime,
  appLog,
]);

const BY_FORMAT = new Map(ALL_CARRIERS.map((carrier) => [carrier.format, carrier]));

/** The carrier reported as `format` in `sources[].format`, or undefined for `unknown` and names we do not have. */
export function carrierByFormat(format: string): Carrier | undefined {
  return BY_FORMAT.get(format);
}
