// RFC 5424 (RSYSLOG_SyslogProtocol23Format): `<3>1 2024-07-23T10:04:01.553604+08:00 web1 kernel - - - message`.

import type { Carrier } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { parseIsoInstant } from './iso-instant.js';
import { createLineFramer, type FramedFields } from './line-framer.js';
import { splitMonotonicPrefix } from './monotonic-bracket.js';
import { NO_STAMP } from './stamp.js';
import { toPid } from './syslog-tail.js';

// Structured data is `-` or one or more `[id param="value" …]` elements whose values may hold `\"` and `\]`.
const RFC5424 =
  /^<(?<pri>\d{1,3})>1 (?<timestamp>\S{1,64}) (?<host>\S{1,255}) (?<app>\S{1,48}) (?<procid>\S{1,128}) (?<msgid>\S{1,32}) (?<data>-|(?:\[[^\s\]=]{1,32}(?: [^\s\]="]{1,32}="(?:[^"\\]|\\.)*")*\])+)(?: (?<message>.*))?$/s;
const BOM = '\ufeff';
const NIL = '-';
const DIGITS = /^\d+$/;

function nilToNull(value: string | undefined): string | null {
  return value === undefined || value === NIL ? null : value;
}

function parseRfc5424(text: string): FramedFields | null {
  if (text.charCodeAt(0) !== 0x3c || !text.includes('>1 ')) return null;
  const groups = RFC5424.exec(text)?.groups;
  if (groups === undefined) return null;
  const pri = Number(groups.pri);
  if (pri > 191) return null;
  const timestamp = groups.timestamp ?? NIL;
  const iso = timestamp === NIL ? null : parseIsoInstant(timestamp);
  if (timestamp !== NIL && iso === null) return null;
  const ident = nilToNull(groups.app);
  let message = groups.message ?? '';
  if (message.startsWith(BOM)) message = message.slice(1);
  let monotonic: number | null = null;
  if (ident === 'kernel') {
    const mono = splitMonotonicPrefix(message);
    if (mono !== null) {
      monotonic = mono.seconds;
      message = mono.body;
    }
  }
  return {
    stamp: iso === null ? NO_STAMP : iso.stamp,
    monotonic,
    host: nilToNull(groups.host),
    ident,
    pid: toPid(DIGITS.test(groups.procid ?? '') ? groups.procid : undefined),
    priority: pri % 8,
    message,
  };
}

export const syslogRfc5424: Carrier = {
  format: 'syslog-rfc5424',
  kind: 'system',
  sniff(raw) {
    return parseRfc5424(cleanLineText(raw)) !== null;
  },
  createFramer(sourceId) {
    return createLineFramer({
      sourceId,
      parse: parseRfc5424,
      continuation: true,
      unparsedIdent: null,
      glueOomKill: true,
    });
  },
  samples: [
    '<3>1 2024-07-23T10:04:01.553604+08:00 web1 kernel - - - Out of memory: Killed process 12345 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
    '<4>1 2024-07-23T10:04:01.550964+08:00 web1 kernel - - - anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '<30>1 2024-07-23T10:04:02.104311+08:00 web1 systemd 1 - [meta sequenceId="7" note="a \\"quoted\\" ]"] anqicms.service: Main process exited, code=killed, status=9/KILL',
    '<11>1 - web1 earlyoom 812 - - kill failed: No such process',
  ],
};
