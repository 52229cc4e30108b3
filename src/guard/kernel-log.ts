// The kernel's side of a death, read live: /dev/kmsg from the child's start, else the journal's kernel transport at
// the death. Records go through the shared kmsg / journal-json carriers and the kernel recognisers, so the guard reads
// the OOM lines exactly as `analyze` does; everything but the OOM records is read and dropped.
//
// /dev/kmsg (Documentation/ABI/testing/dev-kmsg): each read() returns one record `prio,seq,usec,flag;text\n` plus
// dictionary lines; opened O_NONBLOCK, EAGAIN means "nothing more now"; EPIPE means the ring overwrote records we had
// not read, and the next read goes on with the oldest one left. Node cannot lseek(SEEK_END) on it, so "from the
// child's start" is the last seq read when the child was spawned.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Framer } from '../framing/carrier.js';
// The two carriers straight from their modules, not through carrier-list: loading every carrier costs the guard
// about 4 MiB of resident memory for formats it never reads.
import { journalJson } from '../framing/journal-json.js';
import { kmsg } from '../framing/kmsg.js';
// The kernel OOM table alone, not recognise/index (which loads every table): the guard stays small.
import { kernelOomTable } from '../recognise/kernel-oom.js';
import { recogniseWith } from '../recognise/table.js';
import {
  findKernelKill,
  isFromKernel,
  isOomEventOfInterest,
  type KernelEvent,
  type KernelKill,
} from './kernel-oom-record.js';

export interface KernelLog {
  /** What is read: `/dev/kmsg` or `journal`; null when no kernel log can be read (see `problem`). */
  readonly via: string | null;
  /** Why the kernel log cannot be read, with the fix; null when it can. */
  readonly problem: string | null;
  /** Reads what is there now; returns the position of "now" (records after it were written later). */
  mark(): Promise<number>;
  /** The kill of `pid` written after `afterMark`; waits up to `waitMs` for it, re-reading every `pollMs`. */
  findKill(
    pid: number,
    afterMark: number,
    options?: { waitMs?: number; pollMs?: number },
  ): Promise<KernelKill | null>;
  close(): Promise<void>;
}

/** What the kernel log says of one death: the kill of `pid`, or why the log could not be read for it. */
export interface KernelRecordOfDeath {
  /** Where it was read; null when it could not be (`problem` says why). */
  readonly via: string | null;
  readonly problem: string | null;
  readonly kill: KernelKill | null;
}

/**
 * Looks for the kill of `pid` after `afterMark`. A log that fails while being read is no log for this death: the
 * verdict must say it could not look, not that the kernel has no record (which would blame user space).
 */
export function kernelRecordOfDeath(
  log: KernelLog,
  pid: number,
  afterMark: number,
  options: { waitMs?: number; pollMs?: number } = {},
): Promise<KernelRecordOfDeath> {
  return log.findKill(pid, afterMark, options).then(
    (kill) => ({ via: log.via, problem: log.problem, kill }),
    (error: Error) => ({ via: null, problem: `${log.via ?? 'kernel log'}: ${error.message}`, kill: null }),
  );
}

const KMSG_PATH = '/dev/kmsg';
// One record is at most ~1 KiB of text plus its dictionary; a too small buffer gives EINVAL.
const READ_BUFFER_BYTES = 16 * 1024;
/** OOM records kept between reads: several reports' worth; older ones can no longer belong to a live child. */
const KEPT_EVENTS = 256;
const SEQ = /^\d+,(?<seq>\d+),/;

/** Wall time of a kernel monotonic stamp: libuv's hrtime is CLOCK_MONOTONIC, the clock printk stamps follow. */
export function monotonicUsecToWallMs(
  usec: number,
  nowMs = Date.now(),
  nowMonotonicNs = process.hrtime.bigint(),
) {
  return nowMs - (Number(nowMonotonicNs / 1000n) - usec) / 1000;
}

/** Reads one /dev/kmsg record: its text, or null when there is none now (EAGAIN). Lost records are counted inside. */
export type KmsgRecordReader = () => Promise<string | null>;

/** /dev/kmsg opened non-blocking, one record per read. */
function fileRecordReader(handle: FileHandle): KmsgRecordReader {
  const buffer = Buffer.alloc(READ_BUFFER_BYTES);
  return () => readKmsgRecord(handle, buffer);
}

/** The next record of a /dev/kmsg opened non-blocking, or null when none is waiting; `buffer` holds one record. */
export async function readKmsgRecord(handle: FileHandle, buffer: Buffer): Promise<string | null> {
  for (;;) {
    try {
      // position null = plain read(): kmsg hands out one record per call.
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      return bytesRead === 0 ? null : buffer.toString('utf8', 0, bytesRead);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return null;
      // The ring overwrote records we had not read: the next read goes on with the oldest one left.
      if (code === 'EPIPE') continue;
      throw error;
    }
  }
}

/** The kernel log read from a /dev/kmsg-like reader (exported for tests: the real one is made by openKernelLog). */
export class KmsgLog implements KernelLog {
  readonly via: string;
  readonly problem = null;
  private readonly framer: Framer = kmsg.createFramer(0);
  private readonly events: KernelEvent[] = [];
  private lastSeq = -1;
  private lineNo = 0;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly readRecord: KmsgRecordReader,
    private readonly onClose: () => Promise<void> = async () => undefined,
    via = KMSG_PATH,
  ) {
    this.via = via;
  }

  /** Reads and drops everything already in the ring: the guard cares about records from now on. */
  async drain(): Promise<void> {
    await this.read(false);
  }

  async mark(): Promise<number> {
    await this.readNow();
    return this.lastSeq;
  }

  async findKill(
    pid: number,
    afterMark: number,
    { waitMs = 0, pollMs = 50 } = {},
  ): Promise<KernelKill | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      await this.readNow();
      const kill = findKernelKill(this.events, pid, afterMark);
      // Polled only while a death waits for its records, and only until the deadline.
      if (kill !== null || Date.now() >= deadline) return kill;
      await sleep(pollMs);
    }
  }

  async close(): Promise<void> {
    // A read in progress rejects to its own caller (readNow); this only waits for it to end.
    await this.reading?.catch(() => undefined);
    await this.onClose();
  }

  // One reader at a time: a second caller waits for the read in progress, then reads what came since.
  private async readNow(): Promise<void> {
    // The read in progress belongs to another caller, who gets its failure; this one reads again after it.
    while (this.reading) await this.reading.catch(() => undefined);
    this.reading = this.read(true);
    try {
      await this.reading;
    } finally {
      this.reading = null;
    }
  }

  private async read(keep: boolean): Promise<void> {
    for (;;) {
      const chunk = await this.readRecord();
      if (chunk === null) return;
      // Dictionary lines (` SUBSYSTEM=…`) follow the record's text after a newline.
      const newline = chunk.indexOf('\n');
      const line = newline < 0 ? chunk : chunk.slice(0, newline);
      const seq = Number(SEQ.exec(line)?.groups?.seq ?? Number.NaN);
      if (Number.isSafeInteger(seq)) this.lastSeq = seq;
      if (keep) this.keep(line);
    }
  }

  private keep(line: string): void {
    // Cheap test first: almost every record is something else.
    if (!line.includes('oom-kill') && !line.includes('Killed process')) return;
    const record = this.framer.frame({ sourceId: 0, lineNo: ++this.lineNo, text: line });
    if (record === null || !isFromKernel(record)) return;
    const event = recogniseWith(kernelOomTable, record);
    if (!isOomEventOfInterest(event)) return;
    const usec = record.monotonic === null ? null : record.monotonic * 1e6;
    this.events.push({
      event,
      atMs: usec === null ? null : monotonicUsecToWallMs(usec),
      order: record.seq ?? this.lastSeq,
    });
    if (this.events.length > KEPT_EVENTS) this.events.splice(0, this.events.length - KEPT_EVENTS);
  }
}

/** journalctl's kernel transport, asked at each death (no process is kept running between deaths). */
class JournalKernelLog implements KernelLog {
  readonly via = 'journal';
  readonly problem = null;

  async mark(): Promise<number> {
    return Date.now();
  }

  async findKill(
    pid: number,
    afterMark: number,
    { waitMs = 0, pollMs = 250 } = {},
  ): Promise<KernelKill | null> {
    const deadline = Date.now() + waitMs;
    // Clocks of journald and ours agree to well under a second; the pid makes the match, the time only bounds it.
    const sinceMs = afterMark - 1000;
    for (;;) {
      let events: KernelEvent[] = [];
      let failure: unknown = null;
      try {
        events = await readJournalKernelEvents(sinceMs);
      } catch (error) {
        // Tried again until the deadline: journalctl may be slow (its 5 s timeout) or busy rotating.
        failure = error;
      }
      const kill = findKernelKill(events, pid, sinceMs);
      if (kill !== null) return kill;
      if (Date.now() >= deadline) {
        // A journal that could not be read is not "no kill record": the caller is told, as for /dev/kmsg.
        if (failure !== null) throw failure;
        return null;
      }
      await sleep(Math.max(pollMs, 250));
    }
  }

  async close(): Promise<void> {}
}

/** The kernel OOM records the journal holds since `sinceMs`, ordered by their realtime stamps. */
export async function readJournalKernelEvents(sinceMs: number): Promise<KernelEvent[]> {
  const stdout = await runJournalctl([
    '-k',
    '-o',
    'json',
    '-q',
    '--no-pager',
    `--since=@${Math.floor(sinceMs / 1000)}`,
  ]);
  return journalKernelEvents(stdout);
}

/** Frames `journalctl -o json` output and keeps the kernel OOM records (order = realtime ms). */
export function journalKernelEvents(jsonLines: string): KernelEvent[] {
  const framer = journalJson.createFramer(0);
  const events: KernelEvent[] = [];
  let lineNo = 0;
  for (const text of jsonLines.split('\n')) {
    lineNo++;
    if (!text.includes('oom')) continue;
    const record = framer.frame({ sourceId: 0, lineNo, text });
    if (record === null || !isFromKernel(record)) continue;
    const event = recogniseWith(kernelOomTable, record);
    if (!isOomEventOfInterest(event)) continue;
    const atMs = record.stamp.kind === 'instant' ? record.stamp.ms : null;
    events.push({ event, atMs, order: atMs ?? 0 });
  }
  return events;
}

function runJournalctl(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('journalctl', args, { timeout: 5000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

class NoKernelLog implements KernelLog {
  readonly via = null;
  constructor(readonly problem: string) {}
  async mark(): Promise<number> {
    return 0;
  }
  async findKill(): Promise<KernelKill | null> {
    return null;
  }
  async close(): Promise<void> {}
}

/** /dev/kmsg when it can be read (drained: only records from now on count), else the journal, else none. */
export async function openKernelLog(options: { path?: string } = {}): Promise<KernelLog> {
  const path = options.path ?? KMSG_PATH;
  let kmsgProblem: string;
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const log = new KmsgLog(fileRecordReader(handle), () => handle.close(), path);
    try {
      await log.drain();
    } catch (error) {
      // The drain's error is the one that counts (it becomes the reason kmsg is not used); the close is cleanup.
      await handle.close().catch(() => undefined);
      throw error;
    }
    return log;
  } catch (error) {
    kmsgProblem = `${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  try {
    await runJournalctl(['-k', '-n', '1', '-o', 'json', '-q', '--no-pager']);
    return new JournalKernelLog();
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : (error as Error).message;
    return new NoKernelLog(
      `cannot read the kernel log (${kmsgProblem}; journalctl: ${why.split('\n')[0]}): run the guard as root ` +
        'or set kernel.dmesg_restrict=0, so a SIGKILL can be tied to the OOM killer',
    );
  }
}
