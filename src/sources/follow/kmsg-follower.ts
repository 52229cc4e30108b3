// Follows the kernel's ring buffer through /dev/kmsg, resuming by sequence number (Documentation/ABI/testing/dev-kmsg).
// Each read() of the device returns one record `prio,seq,usec,flag;text` followed by indented dictionary lines
// (dropped here: the kmsg carrier frames the record line, as for a saved kmsg file).
//
// The device is read by a `cat` child and its stdout followed through a pipe. Node can only wait on /dev/kmsg with a
// blocking read in a libuv pool thread, and such a read can be neither cancelled nor outlived: process exit joins the
// pool threads, so a quiet kernel would keep a stopping watch alive. A pipe is waited on by epoll in the event loop:
// a record is seen the moment the kernel writes it, an idle watch makes no system call, and stopping is a SIGTERM.
// `cat` ends on EPIPE (the ring overwrote records before they were read); it is started again and the records
// already handed over are skipped by sequence number.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { RawLine } from '../raw-line.js';
import { endChild } from './end-child.js';
import type { Follower, FollowSink } from './follower.js';
import type { FollowPosition, KmsgPosition } from './position.js';

export const KMSG_PATH = '/dev/kmsg';
const SEQ = /^\d{1,4},(?<seq>\d{1,20}),/;
/** After EPIPE the reader starts again at once; after any other failure, after a pause. */
const RESTART_AFTER_EPIPE_MS = 50;
const RESTART_AFTER_FAILURE_MS = 5_000;
/** A record longer than this without its newline is not a record (a partial one is kept until it ends). */
const MAX_PARTIAL_CHARS = 64 * 1024;

export interface KmsgFollowerOptions {
  readonly sourceId: number;
  /** Default /dev/kmsg; tests pass a FIFO or a file. */
  readonly path?: string;
  /** Default /proc/sys/kernel/random/boot_id. */
  readonly bootIdFile?: string;
}

/** Why /dev/kmsg cannot be read here (permission, no such device), or null when it can. */
export async function probeKmsg(file = KMSG_PATH): Promise<string | null> {
  try {
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    await handle.close();
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied (run watch as root, or set kernel.dmesg_restrict=0)'
        : code === 'ENOENT'
          ? 'no such device (a container without /dev/kmsg?)'
          : (error as Error).message;
    return `${file}: ${why}`;
  }
}

export async function readBootId(file = '/proc/sys/kernel/random/boot_id'): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim() || null;
  } catch {
    // No boot id (no procfs): KmsgFollower then trusts no stored sequence number and says so.
    return null;
  }
}

export class KmsgFollower implements Follower {
  readonly key = 'kmsg';
  readonly displayPath: string;
  private child: ChildProcessByStdio<null, Readable, Readable> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private seq = 0;
  private bootId: string | null = null;
  /** The last sequence number handed over (records at or before it are skipped when read again). */
  private lastSeq: number | null = null;
  /** Skip records before this one (the resume position: the oldest line the last run still needed). */
  private from: number | null = null;
  /** The first sequence number the last run had not read: records the ring dropped before it were lost. */
  private readUpTo: number | null = null;
  private lostNoted = false;

  constructor(private readonly options: KmsgFollowerOptions) {
    this.displayPath = options.path ?? KMSG_PATH;
  }

  async start(
    resume: FollowPosition | null,
    sink: FollowSink,
    readUpTo?: FollowPosition | null,
  ): Promise<void> {
    this.bootId = await readBootId(this.options.bootIdFile);
    // Without a boot id a stored sequence number may be another boot's, whose numbers started again at 0: trusting
    // it would skip this boot's records up to it. The ring is read from its oldest record instead.
    const sameBoot = (p: FollowPosition | null | undefined): p is KmsgPosition =>
      this.bootId !== null && p?.kind === 'kmsg' && p.bootId === this.bootId;
    if (this.bootId === null && resume?.kind === 'kmsg') {
      sink.note({
        code: null,
        message: `${this.displayPath}: the boot id cannot be read, so the stored position may be another boot's; reading the ring from its oldest record (lines read again make no second incident)`,
      });
    }
    this.from = sameBoot(resume) ? resume.seq : null;
    this.readUpTo = sameBoot(readUpTo) ? readUpTo.seq : null;
    // A start that cannot read the device fails here, at once (watch then falls back to the journal).
    const problem = await probeKmsg(this.displayPath);
    if (problem !== null) throw new Error(problem);
    this.spawn(sink);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await endChild(this.child);
  }

  private spawn(sink: FollowSink): void {
    const child = spawn('cat', [this.displayPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let partial = '';
    let first = true;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 1_000) stderr += d;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const text = partial + chunk;
      const end = text.lastIndexOf('\n');
      partial = end < 0 ? text : text.slice(end + 1);
      if (partial.length > MAX_PARTIAL_CHARS) partial = '';
      if (end < 0) return;
      const lines: RawLine[] = [];
      const positions: FollowPosition[] = [];
      for (const record of text.slice(0, end).split('\n')) {
        if (record === '' || record.charCodeAt(0) === 0x20) continue; // dictionary lines
        const seq = Number(SEQ.exec(record)?.groups?.seq ?? Number.NaN);
        if (!Number.isSafeInteger(seq)) continue;
        if (first) {
          first = false;
          // The oldest record left is past what was read before: the ring wrapped in between.
          const expected = this.lastSeq !== null ? this.lastSeq + 1 : this.readUpTo;
          if (expected !== null && seq > expected) this.noteLost(sink, seq - expected, this.lastSeq === null);
        }
        if ((this.lastSeq !== null && seq <= this.lastSeq) || (this.from !== null && seq < this.from))
          continue;
        this.lastSeq = seq;
        lines.push({ sourceId: this.options.sourceId, lineNo: ++this.seq, text: record, truncated: false });
        positions.push({ kind: 'kmsg', seq, bootId: this.bootId });
      }
      if (lines.length === 0) return;
      sink.batch({ lines, positions, next: { kind: 'kmsg', seq: this.lastSeq! + 1, bootId: this.bootId } });
    });
    child.once('spawn', () => sink.up(true));
    child.once('error', (error: NodeJS.ErrnoException) => {
      sink.note({
        code: 'OOMS_E_WATCH_SOURCE_LOST',
        message: `${this.displayPath}: cannot start cat to read it (${error.code ?? error.message})`,
      });
    });
    child.once('close', () => {
      this.child = null;
      if (this.stopped) return;
      const overwritten = stderr.includes('Broken pipe');
      if (!overwritten) {
        sink.up(false);
        sink.note({
          code: 'OOMS_E_WATCH_SOURCE_LOST',
          message: `${this.displayPath}: reading stopped (${stderr.trim().split('\n')[0] || 'end of input'}); reading it again in ${RESTART_AFTER_FAILURE_MS / 1000}s`,
        });
      }
      // Read again from the oldest record left; those already handed over are skipped by sequence number.
      this.restartTimer = setTimeout(
        () => {
          this.restartTimer = null;
          if (!this.stopped) this.spawn(sink);
        },
        overwritten ? RESTART_AFTER_EPIPE_MS : RESTART_AFTER_FAILURE_MS,
      );
    });
  }

  private noteLost(sink: FollowSink, count: number, whileAway: boolean): void {
    if (!whileAway && this.lostNoted) return;
    if (!whileAway) this.lostNoted = true;
    sink.note({
      code: 'OOMS_E_WATCH_SOURCE_LOST',
      message: whileAway
        ? `${this.displayPath}: ${count} record(s) were overwritten in the ring buffer while watch was not running; the journal or syslog may still hold them`
        : `${this.displayPath}: the kernel overwrote ${count} record(s) before they could be read (a burst of kernel messages); reading on from the oldest one left`,
    });
  }
}
