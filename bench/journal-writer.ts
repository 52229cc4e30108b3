// Writes the story as `journalctl -o json` would export it (log-formats §3.6): one object per line, every value a
// string, `__CURSOR`/`__REALTIME_TIMESTAMP`/`__MONOTONIC_TIMESTAMP`/`_BOOT_ID` first, kernel records with
// `_TRANSPORT":"kernel"` and `_SOURCE_MONOTONIC_TIMESTAMP`, services with their unit, uid and command line.

import { putDecimal, putHex } from './digits.js';
import { type PidKind, POOL_SIZE, pidKindOf, type StampSpot, sampleTraffic } from './line-pool.js';
import { hexString, type Random } from './random.js';
import { ChunkedWriter, type Sink } from './sink.js';
import { hmsOffset } from './stamp-bytes.js';
import { goLogStamper } from './stamp-text.js';
import { createPidCursor, type Story } from './story.js';
import { BASELINE_PATTERN, patchStamp, stampDayParts, type WrittenText } from './syslog-writer.js';
import { createTimeline } from './timeline.js';
import { type LogEvent, upstreamRefused } from './traffic.js';

/** Who each identifier is, as journald records it (the fields that do not change from entry to entry). */
const IDENTITIES: Record<string, string> = {
  nginx:
    '"SYSLOG_FACILITY":"23","_UID":"33","_GID":"33","_COMM":"nginx","_EXE":"/usr/sbin/nginx","_CMDLINE":"nginx: worker process","_CAP_EFFECTIVE":"0","_SYSTEMD_CGROUP":"/system.slice/nginx.service","_SYSTEMD_UNIT":"nginx.service","_SYSTEMD_SLICE":"system.slice"',
  sshd: '"SYSLOG_FACILITY":"4","_UID":"0","_GID":"0","_COMM":"sshd","_EXE":"/usr/sbin/sshd","_CMDLINE":"sshd: unknown [priv]","_CAP_EFFECTIVE":"1ffffffffff","_SYSTEMD_CGROUP":"/system.slice/ssh.service","_SYSTEMD_UNIT":"ssh.service","_SYSTEMD_SLICE":"system.slice"',
  CRON: '"SYSLOG_FACILITY":"9","_UID":"0","_GID":"0","_COMM":"cron","_EXE":"/usr/sbin/cron","_CMDLINE":"/usr/sbin/CRON -f -P","_CAP_EFFECTIVE":"1ffffffffff","_SYSTEMD_CGROUP":"/system.slice/cron.service","_SYSTEMD_UNIT":"cron.service","_SYSTEMD_SLICE":"system.slice"',
  systemd:
    '"SYSLOG_FACILITY":"3","_UID":"0","_GID":"0","_COMM":"systemd","_EXE":"/usr/lib/systemd/systemd","_CMDLINE":"/sbin/init","_CAP_EFFECTIVE":"1ffffffffff","_SYSTEMD_CGROUP":"/init.scope","_SYSTEMD_UNIT":"init.scope","_SYSTEMD_SLICE":"-.slice","CODE_FILE":"src/core/job.c","CODE_FUNC":"job_emit_done_message"',
  'systemd-logind':
    '"SYSLOG_FACILITY":"4","_UID":"0","_GID":"0","_COMM":"systemd-logind","_EXE":"/usr/lib/systemd/systemd-logind","_CMDLINE":"/lib/systemd/systemd-logind","_CAP_EFFECTIVE":"24420002f","_SYSTEMD_CGROUP":"/system.slice/systemd-logind.service","_SYSTEMD_UNIT":"systemd-logind.service","_SYSTEMD_SLICE":"system.slice"',
  mysqld:
    '"SYSLOG_FACILITY":"3","_UID":"113","_GID":"120","_COMM":"mysqld","_EXE":"/usr/sbin/mysqld","_CMDLINE":"/usr/sbin/mysqld","_CAP_EFFECTIVE":"0","_SYSTEMD_CGROUP":"/system.slice/mysql.service","_SYSTEMD_UNIT":"mysql.service","_SYSTEMD_SLICE":"system.slice","_STREAM_ID":"5b0e1c2a9d8f4e7b8c6a3f1e2d4c5b6a"',
  anqicms:
    '"SYSLOG_FACILITY":"1","_UID":"0","_GID":"0","_COMM":"anqicms","_EXE":"/www/wwwroot/anqicms/anqicms","_CMDLINE":"/www/wwwroot/anqicms/anqicms","_CAP_EFFECTIVE":"1ffffffffff","_SYSTEMD_CGROUP":"/system.slice/cron.service","_SYSTEMD_UNIT":"cron.service","_SYSTEMD_SLICE":"system.slice"',
  dhclient:
    '"SYSLOG_FACILITY":"3","_UID":"0","_GID":"0","_COMM":"dhclient","_EXE":"/usr/sbin/dhclient","_CMDLINE":"/sbin/dhclient -4 -v -i -pf /run/dhclient.eth0.pid eth0","_CAP_EFFECTIVE":"1ffffffffff","_SYSTEMD_CGROUP":"/system.slice/ifup@eth0.service","_SYSTEMD_UNIT":"ifup@eth0.service","_SYSTEMD_SLICE":"system.slice"',
};

/** Pre-rendered entry: everything between `"_BOOT_ID":"…",` and `"_PID"` (or the message, for the kernel). */
interface PooledEntry {
  readonly pidKind: PidKind;
  readonly fixedPid: number | null;
  readonly middle: Buffer;
  /** `"MESSAGE":"…"` as JSON. */
  readonly message: Buffer;
  readonly stamp: StampSpot | null;
  readonly matchesBaseline: boolean;
  readonly kernel: boolean;
}

export async function writeJournal(
  story: Story,
  random: Random,
  sinks: Sink[],
  targetBytes: number,
): Promise<WrittenText> {
  const span = story.endMs - story.startMs;
  const host = story.host;
  const bootId = hexString(random, 32);
  const machineId = hexString(random, 32);
  const seqnumId = hexString(random, 32);
  const xors = Array.from({ length: 256 }, () => hexString(random, 16));
  const invocations = new Map<string, string>();
  const middleOf = (event: LogEvent): string => {
    const scope = `"_HOSTNAME":"${host}","_MACHINE_ID":"${machineId}","_RUNTIME_SCOPE":"system"`;
    if (event.transport === 'kernel') {
      return `"_TRANSPORT":"kernel","PRIORITY":"${event.priority}","SYSLOG_FACILITY":"0","SYSLOG_IDENTIFIER":"kernel",${scope},`;
    }
    let invocation = invocations.get(event.ident);
    if (invocation === undefined) {
      invocation = hexString(random, 32);
      invocations.set(event.ident, invocation);
    }
    const identity = IDENTITIES[event.ident] ?? `"_COMM":"${event.ident}"`;
    return `"_TRANSPORT":"${event.transport}","PRIORITY":"${event.priority}","SYSLOG_IDENTIFIER":"${event.ident}",${identity},"_SYSTEMD_INVOCATION_ID":"${invocation}",${scope},`;
  };
  const sample = sampleTraffic(random, story, POOL_SIZE);
  const pool: PooledEntry[] = sample.events.map((event) => {
    const message = `"MESSAGE":${JSON.stringify(event.message)}`;
    return {
      pidKind: pidKindOf(event),
      fixedPid: event.pid,
      middle: Buffer.from(middleOf(event), 'utf8'),
      message: Buffer.from(message, 'utf8'),
      stamp: sample.findStamp(message),
      matchesBaseline: BASELINE_PATTERN.test(event.message),
      kernel: event.transport === 'kernel',
    };
  });

  const timeline = createTimeline(random, story);
  const appPidAt = createPidCursor(story.appLives);
  const mysqlPidAt = createPidCursor(story.mysqlLives);
  const go = goLogStamper();
  const stampDays = stampDayParts();
  const bootUs = story.bootMs * 1000;
  const writer = new ChunkedWriter(sinks);
  let seq = 0x1a9;
  let lines = 0;
  let matches = 0;
  let lastMs = story.startMs;

  // the constant stretches of an entry's head, between the numbers that change
  const cursorStart = Buffer.from(`{"__CURSOR":"s=${seqnumId};i=`, 'latin1');
  const cursorBoot = Buffer.from(`;b=${bootId};m=`, 'latin1');
  const cursorTime = Buffer.from(';t=', 'latin1');
  const cursorXor = Buffer.from(';x=', 'latin1');
  const realtimeKey = Buffer.from('","__REALTIME_TIMESTAMP":"', 'latin1');
  const monotonicKey = Buffer.from('","__MONOTONIC_TIMESTAMP":"', 'latin1');
  const bootKey = Buffer.from(`","_BOOT_ID":"${bootId}",`, 'latin1');
  const xorBytes = xors.map((x) => Buffer.from(x, 'latin1'));
  const sourceMonoKey = Buffer.from(',"_SOURCE_MONOTONIC_TIMESTAMP":"', 'latin1');
  const sourceRealKey = Buffer.from(',"_SOURCE_REALTIME_TIMESTAMP":"', 'latin1');
  const entryEnd = Buffer.from('"}\n', 'latin1');
  const pidKey = Buffer.from('"_PID":"', 'latin1');
  const pidEnd = Buffer.from('",', 'latin1');
  /** At most this many bytes of numbers and constants around the pre-rendered parts of one entry. */
  const FRAME_BYTES = 512;

  /** `{"__CURSOR":…,"__REALTIME_TIMESTAMP":…,"__MONOTONIC_TIMESTAMP":…,"_BOOT_ID":…,` for a receive time. */
  const putHead = (out: Buffer, start: number, receivedUs: number): number => {
    const mono = receivedUs - bootUs;
    seq++;
    let at = start;
    out.set(cursorStart, at);
    at = putHex(out, at + cursorStart.length, seq);
    out.set(cursorBoot, at);
    at = putHex(out, at + cursorBoot.length, mono);
    out.set(cursorTime, at);
    at = putHex(out, at + cursorTime.length, receivedUs);
    out.set(cursorXor, at);
    at += cursorXor.length;
    const xor = xorBytes[seq & 255]!;
    out.set(xor, at);
    at += xor.length;
    out.set(realtimeKey, at);
    at = putDecimal(out, at + realtimeKey.length, receivedUs);
    out.set(monotonicKey, at);
    at = putDecimal(out, at + monotonicKey.length, mono);
    out.set(bootKey, at);
    return at + bootKey.length;
  };
  /** journald receives a kernel record a little after printk stamped it, a service line a little after it was sent. */
  const putTail = (
    out: Buffer,
    start: number,
    kernel: boolean,
    receivedUs: number,
    sourceMonoUs: number,
  ): number => {
    const key = kernel ? sourceMonoKey : sourceRealKey;
    out.set(key, start);
    const at = putDecimal(out, start + key.length, kernel ? sourceMonoUs : receivedUs - 37);
    out.set(entryEnd, at);
    return at + entryEnd.length;
  };
  const putPid = (out: Buffer, start: number, pid: number): number => {
    out.set(pidKey, start);
    const at = putDecimal(out, start + pidKey.length, pid);
    out.set(pidEnd, at);
    return at + pidEnd.length;
  };

  /** The general path: scheduled events (cron, the planted OOM reports) and lines the pool cannot give. */
  const emit = (event: LogEvent): void => {
    const kernel = event.transport === 'kernel';
    const sourceMono = kernel ? Math.round(event.monoUs || event.ms * 1000 - bootUs) : 0;
    const receivedUs = kernel ? bootUs + sourceMono + 850 : Math.round(event.ms * 1000) + 37;
    const middle = Buffer.from(middleOf(event), 'utf8');
    const message = Buffer.from(`"MESSAGE":${JSON.stringify(event.message)}`, 'utf8');
    writer.reserve(FRAME_BYTES + middle.length + message.length);
    const out = writer.current;
    let at = putHead(out, writer.position, receivedUs);
    out.set(middle, at);
    at += middle.length;
    if (!kernel && event.pid !== null) at = putPid(out, at, event.pid);
    out.set(message, at);
    at = putTail(out, at + message.length, kernel, receivedUs, sourceMono);
    writer.commit(at);
    if (BASELINE_PATTERN.test(event.message)) matches++;
    lines++;
    lastMs = event.ms;
  };

  /** The fast path: a pooled entry around fresh numbers, its message's stamp and pid filled in. */
  const emitPooled = (ms: number): void => {
    const entry = pool[Math.floor(random.float() * POOL_SIZE)]!;
    let pid = entry.fixedPid;
    if (entry.pidKind === 'app' || entry.pidKind === 'mysqld') {
      pid = entry.pidKind === 'app' ? appPidAt(ms) : mysqlPidAt(ms);
      if (pid === null) {
        emit(upstreamRefused(random, go, ms));
        return;
      }
    }
    const sourceMono = Math.round(ms * 1000 - bootUs);
    const receivedUs = entry.kernel ? bootUs + sourceMono + 850 : Math.round(ms * 1000) + 37;
    writer.reserve(FRAME_BYTES + entry.middle.length + entry.message.length);
    const out = writer.current;
    let at = putHead(out, writer.position, receivedUs);
    out.set(entry.middle, at);
    at += entry.middle.length;
    if (!entry.kernel && pid !== null) at = putPid(out, at, pid);
    out.set(entry.message, at);
    if (entry.stamp !== null)
      patchStamp(out, at + entry.stamp.at, stampDays[entry.stamp.style](ms), hmsOffset(ms));
    at = putTail(out, at + entry.message.length, entry.kernel, receivedUs, sourceMono);
    writer.commit(at);
    if (entry.matchesBaseline) matches++;
    lines++;
    lastMs = ms;
  };

  for (;;) {
    const t = story.startMs + (span * writer.bytes) / targetBytes;
    if (t >= story.endMs) break;
    timeline.drain(t, emit);
    emitPooled(Math.max(t, lastMs));
    if (writer.full) await writer.flush();
  }
  timeline.drain(story.endMs, emit);
  const bytes = await writer.close();
  return { parts: [{ bytes, lines, lastMs }], lines, baselineMatches: matches };
}
