// Writes the story as an RFC 3164 syslog (rsyslog's traditional file format on Debian/Ubuntu, kernel lines with
// imklog's printk stamp), split over one or more files. Time advances with the bytes written, so a file of any size
// covers the same span and the planted kills land where the story put them.
import { type PidKind, POOL_SIZE, pidKindOf, type StampSpot, sampleTraffic } from './line-pool.js';
import type { Random } from './random.js';
import { ChunkedWriter, type Sink } from './sink.js';
import { type DayStyle, dayPartBytes, HMS_TABLE, hmsOffset } from './stamp-bytes.js';
import { goLogStamper, printkStamp, syslogStamper } from './stamp-text.js';
import { createPidCursor, type Story } from './story.js';
import { createTimeline } from './timeline.js';
import { type LogEvent, upstreamRefused } from './traffic.js';

/** What the baseline greps for; counting it here lets the run cross-check the baseline's own count. */
export const BASELINE_PATTERN = /oom|out of memory|killed process/i;

export interface TextPart {
  readonly sinks: Sink[];
  readonly targetBytes: number;
}

export interface WrittenPart {
  readonly bytes: number;
  readonly lines: number;
  readonly lastMs: number;
}

export interface WrittenText {
  readonly parts: WrittenPart[];
  readonly lines: number;
  /** Lines the baseline grep matches (planted reports included). */
  readonly baselineMatches: number;
}

/** One pre-rendered syslog line without its `stamp host ` prefix. */
interface PooledLine {
  readonly pidKind: PidKind;
  /** `ident[pid]: ` for fixed pids; empty otherwise (written per line). */
  readonly tag: Buffer;
  /** The message and its newline, UTF-8. */
  readonly body: Buffer;
  readonly stamp: StampSpot | null;
  readonly matchesBaseline: boolean;
}

function buildSyslogPool(random: Random, story: Story): PooledLine[] {
  const sample = sampleTraffic(random, story);
  return sample.events.map((event) => {
    const pidKind = pidKindOf(event);
    const tag =
      pidKind !== 'fixed' ? '' : event.pid === null ? `${event.ident}: ` : `${event.ident}[${event.pid}]: `;
    return {
      pidKind,
      tag: Buffer.from(tag, 'latin1'),
      body: Buffer.from(`${event.message}\n`, 'utf8'),
      stamp: sample.findStamp(event.message),
      matchesBaseline: BASELINE_PATTERN.test(event.message),
    };
  });
}

/** A per-value memo of small Buffers (a tag per pid, a prefix per second). */
function memoBytes<K>(render: (key: K) => string): (key: K) => Buffer {
  let lastKey: K | undefined;
  let lastBytes = Buffer.alloc(0);
  return (key) => {
    if (key !== lastKey) {
      lastKey = key;
      lastBytes = Buffer.from(render(key), 'latin1');
    }
    return lastBytes;
  };
}

/** Day-part caches for the stamps that pooled messages carry. */
export function stampDayParts(): Record<DayStyle, (ms: number) => Buffer> {
  return {
    syslog: dayPartBytes('syslog'),
    go: dayPartBytes('go'),
    nginx: dayPartBytes('nginx'),
    iso: dayPartBytes('iso'),
    check: dayPartBytes('check'),
  };
}

/** Overwrites a copied message's sample stamp with this line's: day part, then `HH:MM:SS`. */
export function patchStamp(out: Buffer, at: number, day: Buffer, hms: number): void {
  out.set(day, at);
  HMS_TABLE.copy(out, at + day.length, hms, hms + 8);
}

/** Parts are written in order (oldest first); a part ends at the first line boundary past its target size. */
export async function writeSyslog(
  story: Story,
  random: Random,
  parts: readonly TextPart[],
): Promise<WrittenText> {
  const totalTarget = parts.reduce((sum, part) => sum + part.targetBytes, 0);
  const span = story.endMs - story.startMs;
  const pool = buildSyslogPool(random, story);
  const timeline = createTimeline(random, story);
  const appPidAt = createPidCursor(story.appLives);
  const mysqlPidAt = createPidCursor(story.mysqlLives);
  const stamp = syslogStamper();
  const go = goLogStamper();
  const syslogDay = dayPartBytes('syslog');
  const stampDays = stampDayParts();
  const hostBytes = Buffer.from(` ${story.host} `, 'latin1');
  const appTag = memoBytes((pid: number) => `anqicms[${pid}]: `);
  const mysqlTag = memoBytes((pid: number) => `mysqld[${pid}]: `);
  const host = ` ${story.host} `;
  const bootUs = story.bootMs * 1000;
  const written: WrittenPart[] = [];
  let partIndex = 0;
  let writer = new ChunkedWriter(parts[0]!.sinks);
  let bytesBefore = 0;
  let partLines = 0;
  let lines = 0;
  let matches = 0;
  let lastMs = story.startMs;

  /** The slow, general path: scheduled events and the odd line that cannot come from the pool. */
  const emit = (event: LogEvent): void => {
    const tag = event.pid === null ? `${event.ident}: ` : `${event.ident}[${event.pid}]: `;
    const body =
      event.transport === 'kernel'
        ? `${printkStamp(event.monoUs || event.ms * 1000 - bootUs)} ${event.message}`
        : event.message;
    writer.add(`${stamp(event.ms)}${host}${tag}${body}\n`);
    if (BASELINE_PATTERN.test(event.message)) matches++;
    partLines++;
    lines++;
    lastMs = event.ms;
  };

  /** The fast path: one pooled line, assembled as bytes in place with its stamps and pid filled in. */
  const emitPooled = (ms: number): void => {
    const line = pool[Math.floor(random.float() * POOL_SIZE)]!;
    let tag: Buffer | null = line.tag;
    if (line.pidKind === 'app') {
      const pid = appPidAt(ms);
      if (pid === null) {
        emit(upstreamRefused(random, go, ms)); // the app is down: nginx says so instead
        return;
      }
      tag = appTag(pid);
    } else if (line.pidKind === 'mysqld') {
      const pid = mysqlPidAt(ms);
      if (pid === null) {
        emit(upstreamRefused(random, go, ms));
        return;
      }
      tag = mysqlTag(pid);
    }
    const kernelTag = line.pidKind === 'kernel' ? `kernel: ${printkStamp(ms * 1000 - bootUs)} ` : '';
    const day = syslogDay(ms);
    const hms = hmsOffset(ms);
    writer.reserve(day.length + 8 + hostBytes.length + tag.length + kernelTag.length + line.body.length);
    const out = writer.current;
    let at = writer.position;
    out.set(day, at);
    at += day.length;
    at += HMS_TABLE.copy(out, at, hms, hms + 8);
    out.set(hostBytes, at);
    at += hostBytes.length;
    if (kernelTag !== '') at += out.write(kernelTag, at, 'latin1');
    else {
      out.set(tag, at);
      at += tag.length;
    }
    out.set(line.body, at);
    if (line.stamp !== null) patchStamp(out, at + line.stamp.at, stampDays[line.stamp.style](ms), hms);
    writer.commit(at + line.body.length);
    if (line.matchesBaseline) matches++;
    partLines++;
    lines++;
    lastMs = ms;
  };

  for (;;) {
    const bytes = bytesBefore + writer.bytes;
    const t = story.startMs + (span * bytes) / totalTarget;
    if (t >= story.endMs) break;
    timeline.drain(t, emit);
    emitPooled(Math.max(t, lastMs));
    if (writer.full) await writer.flush();
    const part = parts[partIndex]!;
    if (partIndex < parts.length - 1 && writer.bytes >= part.targetBytes) {
      const partBytes = await writer.close();
      written.push({ bytes: partBytes, lines: partLines, lastMs });
      bytesBefore += partBytes;
      partIndex++;
      partLines = 0;
      writer = new ChunkedWriter(parts[partIndex]!.sinks);
    }
  }
  timeline.drain(story.endMs, emit);
  written.push({ bytes: await writer.close(), lines: partLines, lastMs });
  // a part that got no line (tiny quick sizes) still has to exist as a file
  for (let i = partIndex + 1; i < parts.length; i++) {
    await new ChunkedWriter(parts[i]!.sinks).close();
    written.push({ bytes: 0, lines: 0, lastMs });
  }
  return { parts: written, lines, baselineMatches: matches };
}
