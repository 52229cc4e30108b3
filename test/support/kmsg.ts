// Captures the kernel log records written during a window of a test, straight from the
// kernel: /dev/kmsg when it can be read, else the difference of two `dmesg -r` outputs.
//
// /dev/kmsg semantics (Documentation/ABI/testing/dev-kmsg): every read() returns exactly one
// record `prio,seq,usec,flag;text\n` (plus ` KEY=value` dictionary lines); opened with
// O_NONBLOCK, EAGAIN means "no more records now"; EPIPE means the ring overwrote records we
// had not read yet, and the next read continues with the oldest one still there.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface KernelRecord {
  /** Syslog priority with facility (kernel facility 0: `3` = err; userspace writes `12`…). */
  prio: number;
  /** Sequence number, unique per boot; null when read through `dmesg -r` (it has none). */
  seq: number | null;
  /** Microseconds since boot (printk clock). */
  usec: number;
  /** Body, with kmsg's `\xNN` escapes kept (as /dev/kmsg delivers it). */
  text: string;
  /** The record exactly as the source gave it, without the trailing newline. */
  raw: string;
}

export interface KernelCapture {
  via: 'kmsg' | 'dmesg';
  records: KernelRecord[];
  /** Raw /dev/kmsg records (`prio,seq,usec,flag;text`); empty when read through `dmesg -r`. */
  kmsgLines: string[];
  /** `dmesg` style: `[  127.553604] text`. */
  dmesgLines: string[];
  /** Boot wall time from /proc/stat `btime` (whole seconds), in ms since the epoch. */
  bootTimeMs: number;
  /** Records the ring overwrote before we read them (EPIPE). */
  lost: number;
  /** Whether `until` was satisfied before the timeout. */
  complete: boolean;
}

export interface CollectOptions {
  /** Stop as soon as this holds for the records so far. */
  until?: (records: readonly KernelRecord[]) => boolean;
  /** Give up waiting after this long (default 5000 ms). */
  timeoutMs?: number;
  pollMs?: number;
}

export interface KernelWindow {
  readonly via: 'kmsg' | 'dmesg';
  /** Last sequence number seen when the window opened (null through `dmesg -r`). */
  readonly baselineSeq: number | null;
  /** Records written since the window opened; waits (bounded) for `until`. */
  collect(options?: CollectOptions): Promise<KernelCapture>;
  close(): Promise<void>;
}

const KMSG_PATH = '/dev/kmsg';
// A record is at most ~1 KiB of text plus its dictionary; a too small buffer gives EINVAL.
const READ_BUFFER_BYTES = 16 * 1024;

/** Parses one /dev/kmsg record; null when it is not one (never throws). */
export function parseKmsgRecord(chunk: string): KernelRecord | null {
  const raw = chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk;
  if (!raw.includes(';')) return null;
  const header = /^(?<prio>\d+),(?<seq>\d+),(?<usec>\d+),(?<flag>[^;,]*)[^;]*;/.exec(raw);
  if (!header?.groups) return null;
  const { prio = '', seq = '', usec = '' } = header.groups;
  // Dictionary lines (` SUBSYSTEM=…`) follow the text after a newline.
  const body = raw.slice(header[0].length).split('\n')[0] ?? '';
  return { prio: Number(prio), seq: Number(seq), usec: Number(usec), text: body, raw };
}

/** Undoes kmsg's `\xNN` escaping (bytes, so escaped UTF-8 comes back as text). */
export function unescapeKmsg(text: string): string {
  if (!text.includes('\\x')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const escaped = text.startsWith('\\x', i)
      ? /^\\x(?<hex>[0-9a-fA-F]{2})/.exec(text.slice(i, i + 4))
      : null;
    if (escaped?.groups?.hex) {
      bytes.push(Number.parseInt(escaped.groups.hex, 16));
      i += 3;
    } else {
      bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The line(s) util-linux `dmesg` prints for a record: `[%5lu.%06lu] text`; an embedded
 * newline continues on a line indented to the width of the stamp, with no stamp of its own.
 */
export function renderDmesg(record: Pick<KernelRecord, 'usec' | 'text'>): string[] {
  const seconds = Math.floor(record.usec / 1_000_000);
  const micros = record.usec % 1_000_000;
  const prefix = `[${String(seconds).padStart(5)}.${String(micros).padStart(6, '0')}] `;
  const [first = '', ...more] = unescapeKmsg(record.text).split('\n');
  return [prefix + first, ...more.map((line) => ' '.repeat(prefix.length) + line)];
}

/** Boot wall time from /proc/stat `btime` (seconds since the epoch), in ms. */
export async function readBootTimeMs(): Promise<number> {
  const stat = await readFile('/proc/stat', 'utf8');
  const btime = /^btime (?<seconds>\d+)$/m.exec(stat)?.groups?.seconds;
  if (btime === undefined) throw new Error('/proc/stat has no btime line');
  return Number(btime) * 1000;
}

function capture(
  via: 'kmsg' | 'dmesg',
  records: KernelRecord[],
  bootTimeMs: number,
  lost: number,
  complete: boolean,
): KernelCapture {
  return {
    via,
    records,
    kmsgLines: via === 'kmsg' ? records.map((r) => r.raw) : [],
    dmesgLines: records.flatMap((r) => renderDmesg(r)),
    bootTimeMs,
    lost,
    complete,
  };
}

class KmsgWindow implements KernelWindow {
  readonly via = 'kmsg' as const;
  private readonly buffer = Buffer.alloc(READ_BUFFER_BYTES);
  private lost = 0;

  private constructor(
    private readonly handle: FileHandle,
    public baselineSeq: number | null,
  ) {}

  static async open(): Promise<KmsgWindow> {
    const handle = await open(KMSG_PATH, constants.O_RDONLY | constants.O_NONBLOCK);
    const window = new KmsgWindow(handle, null);
    // Drain the ring to learn where "before the test" ends.
    const before = await window.readAvailable();
    window.baselineSeq = before.at(-1)?.seq ?? null;
    return window;
  }

  // Reads every record available now. position null = plain read(), which kmsg requires.
  private async readAvailable(): Promise<KernelRecord[]> {
    const records: KernelRecord[] = [];
    for (;;) {
      try {
        const { bytesRead } = await this.handle.read(this.buffer, 0, this.buffer.length, null);
        if (bytesRead === 0) return records;
        const record = parseKmsgRecord(this.buffer.toString('utf8', 0, bytesRead));
        if (record) records.push(record);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return records;
        if (code === 'EPIPE') {
          this.lost++;
          continue;
        }
        throw new Error(`reading ${KMSG_PATH}: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  async collect({ until, timeoutMs = 5000, pollMs = 50 }: CollectOptions = {}): Promise<KernelCapture> {
    const started = Date.now();
    const records: KernelRecord[] = [];
    const baseline = this.baselineSeq ?? -1;
    for (;;) {
      for (const record of await this.readAvailable()) {
        if (record.seq !== null && record.seq > baseline) records.push(record);
      }
      const done = until ? until(records) : true;
      if (done || Date.now() - started >= timeoutMs) {
        return capture('kmsg', records, await readBootTimeMs(), this.lost, done);
      }
      await sleep(pollMs);
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

// `dmesg -r`: `<3>[  127.553604] text`; a line without the prefix continues the previous record.
export function parseDmesgRaw(output: string): KernelRecord[] {
  const records: KernelRecord[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const match = line.startsWith('<')
      ? /^<(?<prio>\d+)>\[\s*(?<sec>\d+)\.(?<frac>\d{6})\] ?/.exec(line)
      : null;
    if (match?.groups) {
      const { prio = '0', sec = '0', frac = '0' } = match.groups;
      const text = line.slice(match[0].length);
      records.push({
        prio: Number(prio),
        seq: null,
        usec: Number(sec) * 1_000_000 + Number(frac),
        text,
        raw: line,
      });
      continue;
    }
    const previous = records.at(-1);
    if (previous) {
      // Re-escape so the record looks as kmsg would carry it; renderDmesg turns it back.
      previous.text += `\\x0a${line.trimStart()}`;
      previous.raw += `\n${line}`;
    }
  }
  return records;
}

class DmesgWindow implements KernelWindow {
  readonly via = 'dmesg' as const;
  readonly baselineSeq = null;

  private constructor(
    private readonly baseline: Set<string>,
    private readonly baselineUsec: number,
  ) {}

  static async read(): Promise<KernelRecord[]> {
    const { stdout } = await execFileAsync('dmesg', ['-r'], { maxBuffer: 64 * 1024 * 1024 });
    return parseDmesgRaw(stdout);
  }

  static async open(): Promise<DmesgWindow> {
    const before = await DmesgWindow.read();
    return new DmesgWindow(new Set(before.map((r) => r.raw)), before.at(-1)?.usec ?? -1);
  }

  async collect({ until, timeoutMs = 5000, pollMs = 100 }: CollectOptions = {}): Promise<KernelCapture> {
    const started = Date.now();
    for (;;) {
      // Stamps only grow within a boot: newer stamp, or same stamp but not seen before.
      const records = (await DmesgWindow.read()).filter(
        (r) => r.usec > this.baselineUsec || (r.usec === this.baselineUsec && !this.baseline.has(r.raw)),
      );
      const done = until ? until(records) : true;
      if (done || Date.now() - started >= timeoutMs) {
        return capture('dmesg', records, await readBootTimeMs(), 0, done);
      }
      await sleep(pollMs);
    }
  }

  async close(): Promise<void> {}
}

/**
 * Opens a capture window: records written from now on. /dev/kmsg first, `dmesg -r` if it
 * cannot be read; `via` forces one (to exercise the fallback on a machine that has both).
 */
export async function openKernelWindow(via?: 'kmsg' | 'dmesg'): Promise<KernelWindow> {
  if (via === 'kmsg') return KmsgWindow.open();
  if (via === 'dmesg') return DmesgWindow.open();
  try {
    return await KmsgWindow.open();
  } catch (kmsgError) {
    try {
      return await DmesgWindow.open();
    } catch (dmesgError) {
      throw new Error(
        `cannot read the kernel log: ${KMSG_PATH}: ${(kmsgError as Error).message}; dmesg -r: ` +
          `${(dmesgError as Error).message}. Run as root or set kernel.dmesg_restrict=0`,
        { cause: dmesgError },
      );
    }
  }
}

/** Whether the kernel log can be read here (/dev/kmsg or `dmesg -r`), and if not why. */
export async function kernelLogAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const window = await openKernelWindow();
    await window.close();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
