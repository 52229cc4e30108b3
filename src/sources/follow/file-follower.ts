// Follows one log file by name, the way logrotate treats it: rename-and-create (the old inode is read to its end, and
// kept open while a late writer still appends to it), copytruncate (the lines written between our last read and the
// copy are read from the copy), deletion and re-creation, and a file that does not exist yet. Woken by inotify on the
// file's folder, with a slow poll underneath for what inotify misses; never a busy loop.
//
// A file is known by device + inode, never by name. Each line is handed over with its start offset and its first
// bytes, so a restarted watch can check that the same bytes still sit where it left off before resuming there.
import type { Stats } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { describeFsError, errnoCode } from '../fs-problem.js';
import type { RawLine } from '../raw-line.js';
import { LineSplitter } from '../split-lines.js';
import type { DirectoryWatches } from './directory-watch.js';
import type { Follower, FollowSink } from './follower.js';
import type { FilePosition, FollowPosition } from './position.js';

export interface FileFollowerOptions {
  /** Absolute path of the file. */
  readonly path: string;
  readonly displayPath: string;
  readonly sourceId: number;
  readonly watches: DirectoryWatches;
  /** On a first start (nothing stored), how much of the file's end is read as context (default 256 KiB). */
  readonly initialTailBytes?: number;
  /** Poll period while the folder watch works (default 10 s: a safety net) and while it does not (default 1 s). */
  readonly pollMs?: number;
  readonly fallbackPollMs?: number;
  /** A renamed-away file is kept open until it has not grown for this long (default 5 min). */
  readonly drainQuietMs?: number;
  readonly maxLineBytes?: number;
}

/** Bytes of a line (with its newline, when shorter) kept to recognise it later (resume, truncation). */
const HEAD_BYTES = 64;
const READ_BYTES = 64 * 1024;
/** Lines handed over per batch at most; a backlog is handed over in several. */
const BATCH_LINES = 256;
/** Bytes read before letting the event loop breathe (metrics, other sources). */
const YIELD_EVERY_BYTES = 1024 * 1024;
/** Line numbers are counted from the file's start only up to this offset (a one-off read at start). */
const MAX_COUNTED_PREFIX = 64 * 1024 * 1024;
/** A renamed-away file is kept open until it has not grown for this long; a deleted one for less. */
const RENAMED_QUIET_MS = 5 * 60_000;
const DELETED_QUIET_MS = 10_000;
/** Debounce of inotify bursts (a write is often several events). */
const WAKE_DELAY_MS = 5;

interface OpenFile {
  readonly handle: FileHandle;
  readonly dev: number;
  readonly ino: number;
  /** Next byte to read. */
  offset: number;
  /** Start of the line being assembled (all before it was handed over). */
  lineStart: number;
  /** Line number of the line being assembled, when known. */
  lineNo: number | null;
  /** The first bytes of the line being assembled; `spareHead` holds the last line's (the two swap at each line). */
  head: Buffer;
  spareHead: Buffer;
  headLength: number;
  lastLine: { offset: number; head: Buffer } | null;
  splitter: LineSplitter;
  lastGrowthMs: number;
  /** The file's mtime at the last look, and when that look was. */
  mtimeMs: number;
  checkedMs: number;
}

interface Pending {
  lines: RawLine[];
  positions: FollowPosition[];
}

export class FileFollower implements Follower {
  readonly key: string;
  readonly displayPath: string;
  private readonly dir: string;
  private readonly base: string;
  private readonly buffer = Buffer.allocUnsafe(READ_BYTES);
  private sink: FollowSink | null = null;
  private current: OpenFile | null = null;
  /** Renamed-away or deleted files still being read (oldest first). */
  private draining: OpenFile[] = [];
  private seq = 0;
  /** dev:ino of every file followed (a few per rotation; never large). */
  private readonly seen = new Set<string>();
  private pollTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private starting: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private watching = false;
  private isUp: boolean | null = null;
  /** The last problem reported, so a lasting one is said once. */
  private lastProblem: string | null = null;
  private readonly onChange = () => this.wake();

  constructor(private readonly options: FileFollowerOptions) {
    this.key = `file:${options.path}`;
    this.displayPath = options.displayPath;
    this.dir = path.dirname(options.path);
    this.base = path.basename(options.path);
  }

  async start(
    resume: FollowPosition | null,
    sink: FollowSink,
    readUpTo: FollowPosition | null = null,
  ): Promise<void> {
    this.sink = sink;
    this.watching = this.options.watches.add(this.dir, this.onChange);
    this.schedulePoll();
    const out: Pending = { lines: [], positions: [] };
    const fileResume = resume?.kind === 'file' ? resume : null;
    this.starting = this.openAtStart(fileResume, readUpTo?.kind === 'file' ? readUpTo : null, out);
    await this.starting;
    this.starting = null;
    const handedOver = out.lines.length > 0;
    this.flush(out);
    // The start mostly opens, and reads on its first wake: a watch killed before that saved no position, and its
    // successor started afresh at the end of a file rotated since — the lines between were lost (found by the soak,
    // seed 2718). Where reading starts is handed over at once, to be saved with the start.
    if (!handedOver) this.handOverStart(fileResume);
    this.wake();
  }

  /** Where reading starts, as a batch of no lines. */
  private handOverStart(resume: FilePosition | null): void {
    const reading = this.current ?? this.draining[this.draining.length - 1] ?? null;
    if (!reading || !this.sink) return;
    // The stored head still tells, on the next resume, that the same bytes sit there.
    const head =
      resume && sameFile(resume, reading) && resume.offset === reading.lineStart ? resume.head : '';
    this.sink.batch({
      lines: [],
      positions: [],
      next: {
        kind: 'file',
        dev: reading.dev,
        ino: reading.ino,
        offset: reading.lineStart,
        lineNo: reading.lineNo,
        head,
      },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.options.watches.remove(this.dir, this.onChange);
    // A stop during the start (a SIGTERM while a rotated file is read) waits for the files it opens, to close them.
    await this.starting?.catch(() => undefined);
    // run() reports its own failures (this.problem) and never rejects: this only waits for it to end.
    await this.running?.catch(() => undefined);
    for (const file of [...this.draining, ...(this.current ? [this.current] : [])]) {
      await closeReadOnly(file.handle);
    }
    this.draining = [];
    this.current = null;
  }

  /** Reads what is new now (tests and shutdown use it; the watches and the poll call it otherwise). */
  async poke(): Promise<void> {
    this.again = true;
    while (this.running) await this.running;
    if (this.again) await this.run();
  }

  private schedulePoll(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    const every = this.watching ? (this.options.pollMs ?? 10_000) : (this.options.fallbackPollMs ?? 1_000);
    this.pollTimer = setInterval(() => {
      // The folder may have appeared (or come back) since: try the watch again, and poll slower once it works.
      if (!this.watching && this.options.watches.ensure(this.dir)) {
        this.watching = true;
        this.schedulePoll();
      }
      this.wake();
    }, every);
  }

  private wake(): void {
    if (this.stopped || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      void this.run();
    }, WAKE_DELAY_MS);
  }

  private async run(): Promise<void> {
    // A wake during the start (inotify, the poll) waits for it: a look at the file then would open it a second time
    // (the start's handle overwritten, leaked) and read its lines twice. The start ends with a wake of its own.
    if (this.starting) {
      this.again = true;
      return;
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.again = false;
    this.running = this.check()
      .catch((error: unknown) => this.problem(describeFsError(this.displayPath, error).message))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) this.wake();
      });
    return this.running;
  }

  /** One look at the file: truncation, rotation, deletion, creation, then everything new. */
  private async check(): Promise<void> {
    if (this.stopped) return;
    const out: Pending = { lines: [], positions: [] };
    let st: Stats | null = null;
    try {
      st = await stat(this.options.path);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
    const current = this.current;
    // Nothing happened since the last look (the slow poll's usual case): no further system call.
    if (
      current &&
      this.draining.length === 0 &&
      st !== null &&
      st.ino === current.ino &&
      st.dev === current.dev &&
      st.size === current.offset &&
      st.mtimeMs === current.mtimeMs
    ) {
      return;
    }
    if (current && (st === null || st.ino !== current.ino || st.dev !== current.dev)) {
      // Renamed away (rotation with create) or deleted: read what is left, keep it open for a late writer. It may
      // have been truncated and regrown to our offset since the last look (no wake in between): checked first.
      await this.checkTruncation(current, out);
      await this.pump(current, out);
      // A writer that still holds the old file open goes on appending to it until it reopens its log.
      current.lastGrowthMs = Date.now();
      this.draining.push(current);
      this.current = null;
      this.note(
        null,
        st === null
          ? `${this.displayPath} was removed or renamed away; reading what is left of it and waiting for a new one`
          : `${this.displayPath} was rotated (renamed and re-created); reading the old file to its end, then the new one`,
      );
    }
    for (const file of [...this.draining]) {
      await this.pump(file, out);
      const { nlink } = await file.handle.stat();
      // Deleted: only a writer's last lines can still come. Renamed: a writer may append for long (no reopen).
      const quietMs = nlink === 0 ? DELETED_QUIET_MS : (this.options.drainQuietMs ?? RENAMED_QUIET_MS);
      if (Date.now() - file.lastGrowthMs >= quietMs) {
        this.emitPartial(file, out);
        this.draining = this.draining.filter((f) => f !== file);
        await closeReadOnly(file.handle);
      }
    }
    if (this.current) {
      await this.checkTruncation(this.current, out);
      await this.pump(this.current, out);
    } else if (st !== null) {
      if (!st.isFile()) {
        this.problem(`${this.displayPath} is not a regular file — pass the log file itself`);
      } else {
        const opened = await this.openFile(0, 1);
        if (opened) {
          this.note(null, `${this.displayPath} appeared; following it from its first line`);
          this.current = opened;
          await this.pump(opened, out);
        }
      }
    } else {
      this.setUp(false);
      this.problem(
        `${this.displayPath} does not exist (yet); it is followed from its first line when it appears`,
      );
    }
    this.flush(out);
  }

  private async checkTruncation(file: OpenFile, out: Pending): Promise<void> {
    const { size, mtimeMs } = await file.handle.stat();
    const lastLook = file.checkedMs;
    const changed = mtimeMs !== file.mtimeMs;
    file.mtimeMs = mtimeMs;
    file.checkedMs = Date.now();
    let truncated = size < file.offset;
    if (!truncated && file.lastLine) {
      truncated = !(await bytesAt(file.handle, file.lastLine.offset, file.lastLine.head));
    }
    if (!truncated && changed && file.offset === 0 && file.lastLine === null) {
      // Nothing read from this file yet, so neither its size nor a last line can tell a copytruncate of lines we
      // never saw. A copy made beside it since the last look (a file we never followed) can: it holds them.
      const recovered = await this.readFromCopy(0, null, out, {
        madeSinceMs: lastLook - 1_000,
        unseenOnly: true,
      });
      if (recovered !== null && recovered > 0) {
        this.note(
          null,
          `${this.displayPath} was truncated (copytruncate) before it could be read; ${recovered} line(s) read from the copy beside it`,
        );
      }
      return;
    }
    if (!truncated) return;
    // copytruncate: the lines written after our last read and before the copy are in the copy, at the same offsets.
    const recovered = await this.readFromCopy(file.lineStart, file.lastLine, out);
    file.offset = 0;
    file.lineStart = 0;
    file.lineNo = 1;
    file.headLength = 0;
    file.lastLine = null;
    file.splitter = this.newSplitter();
    this.note(
      recovered === null ? 'OOMS_E_WATCH_SOURCE_LOST' : null,
      recovered === null
        ? `${this.displayPath} was truncated (copytruncate?) and no copy of its end was found beside it; lines written between the last read and the truncation may be missing`
        : `${this.displayPath} was truncated (copytruncate); ${recovered} line(s) written before the copy were read from the copy beside it`,
    );
  }

  /** Reads, from a rotated copy beside the file, the lines after `from`; null when no copy holds our last line. */
  private async readFromCopy(
    from: number,
    lastLine: { offset: number; head: Buffer } | null,
    out: Pending,
    only: { madeSinceMs?: number; unseenOnly?: boolean; thenNewer?: boolean } = {},
  ): Promise<number | null> {
    const sibling = await this.findSibling(async (handle, st) => {
      if (st.size < from || st.size === 0 || st.ctimeMs < (only.madeSinceMs ?? 0)) return false;
      if (only.unseenOnly && this.seen.has(`${st.dev}:${st.ino}`)) return false;
      return lastLine === null ? from === 0 : bytesAt(handle, lastLine.offset, lastLine.head);
    });
    if (!sibling) return null;
    const copy = sibling.file;
    // Read once: it is never taken for a later copy.
    this.seen.add(`${copy.dev}:${copy.ino}`);
    const before = out.lines.length;
    const file: OpenFile = { ...copy, offset: from, lineStart: from, lineNo: null };
    await this.pump(file, out);
    this.emitPartial(file, out);
    const { mtimeMs } = await copy.handle.stat();
    await closeReadOnly(copy.handle);
    if (only.thenNewer) {
      // A restart's position may lie in an older copy (truncated more than once while watch was away, or before
      // its replay window's end): the copies made since hold the rest, oldest first; re-read lines are the
      // incidents already stored.
      for (const { file: newer } of await this.siblingsWrittenSince(mtimeMs, copy)) {
        if (this.seen.has(`${newer.dev}:${newer.ino}`)) {
          await closeReadOnly(newer.handle);
          continue;
        }
        this.seen.add(`${newer.dev}:${newer.ino}`);
        await this.pump(newer, out);
        this.emitPartial(newer, out);
        await closeReadOnly(newer.handle);
      }
    }
    return out.lines.length - before;
  }

  /** Reads every rotated sibling from its start, oldest first, each to its end; their names. */
  private async readSiblingsAgain(out: Pending): Promise<string[]> {
    const names: string[] = [];
    for (const { file, name } of await this.siblingsWrittenSince(Number.NEGATIVE_INFINITY, null)) {
      this.seen.add(`${file.dev}:${file.ino}`);
      await this.pump(file, out);
      this.emitPartial(file, out);
      await closeReadOnly(file.handle);
      names.push(name);
    }
    return names;
  }

  /** The rotated siblings (not `except`) last written at or after `sinceMs`, opened, oldest first. */
  private async siblingsWrittenSince(
    sinceMs: number,
    except: OpenFile | null,
  ): Promise<{ file: OpenFile; name: string }[]> {
    const kept: { file: OpenFile; name: string; mtimeMs: number }[] = [];
    for (const name of await this.siblingNames()) {
      let handle: FileHandle | null = null;
      try {
        handle = await open(path.join(this.dir, name), 'r');
        const st = await handle.stat();
        if (st.isFile() && st.mtimeMs >= sinceMs && !(except && sameFile(st, except))) {
          kept.push({ file: this.wrap(handle, st, 0, null, false), name, mtimeMs: st.mtimeMs });
          continue;
        }
      } catch {
        // vanished or unreadable: its lines were read before (only the replay of lines not final needs it)
      }
      if (handle) await closeReadOnly(handle);
    }
    // Oldest first; of two written in the same tick, the higher rotation number (`.2` before `.1`) is older.
    kept.sort((a, b) => a.mtimeMs - b.mtimeMs || b.name.localeCompare(a.name, 'en', { numeric: true }));
    return kept.map(({ file, name }) => ({ file, name }));
  }

  /** Names of the rotated siblings (`syslog.1`, `syslog-20240723`), compressed ones left out. */
  private async siblingNames(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n !== this.base && (n.startsWith(`${this.base}.`) || n.startsWith(`${this.base}-`)))
      .filter((n) => !/\.(?:gz|xz|bz2|zst|lz4)$/.test(n))
      .sort();
  }

  /** Opens, among the rotated siblings (`running.log.1`, `running.log-20240723`), the first that `fits`. */
  private async findSibling(
    fits: (handle: FileHandle, st: Stats) => Promise<boolean>,
  ): Promise<{ file: OpenFile; name: string } | null> {
    // None readable: where one was needed, the caller says lines may be missing (OOMS_E_WATCH_SOURCE_LOST).
    const candidates = await this.siblingNames();
    // Of the siblings that fit, the newest (by ctime, which a copy cannot preserve): logrotate's fresh copy, not
    // an older rotation that was only shifted along.
    let best: { handle: FileHandle; st: Stats; name: string } | null = null;
    for (const name of candidates) {
      let handle: FileHandle | null = null;
      try {
        handle = await open(path.join(this.dir, name), 'r');
        const st = await handle.stat();
        if (st.isFile() && (await fits(handle, st)) && (!best || st.ctimeMs > best.st.ctimeMs)) {
          if (best) await closeReadOnly(best.handle);
          best = { handle, st, name };
          continue;
        }
      } catch {
        // vanished or unreadable: not the one (if none is, the caller reports the lines as possibly missing)
      }
      if (handle) await closeReadOnly(handle);
    }
    return best ? { file: this.wrap(best.handle, best.st, 0, null, false), name: best.name } : null;
  }

  private async openAtStart(
    resume: FilePosition | null,
    readUpTo: FilePosition | null,
    out: Pending,
  ): Promise<void> {
    let st: Stats | null = null;
    try {
      st = await stat(this.options.path);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') {
        this.setUp(false);
        this.problem(describeFsError(this.displayPath, error).message);
        return;
      }
    }
    if (st !== null && !st.isFile()) {
      this.setUp(false);
      this.problem(`${this.displayPath} is not a regular file — pass the log file itself`);
      return;
    }
    if (resume) {
      // Reading never moves from the current file back to an older one: a replay position naming the current
      // file while the read position names another is an inode number reused by the new file (even when the
      // bytes at the position happen to match), not the file watch stopped in.
      const reused = readUpTo !== null && st !== null && sameFile(st, resume) && !sameFile(st, readUpTo);
      if (st && sameFile(st, resume) && !reused) {
        const head = Buffer.from(resume.head, 'base64');
        const file = await this.openFile(resume.offset, resume.lineNo);
        if (!file) return;
        if (st.size >= resume.offset && (await bytesAt(file.handle, resume.offset, head))) {
          this.current = file;
          return;
        }
        // Truncated while we were away: what the copy holds after our position, then the file from its start.
        await closeReadOnly(file.handle);
        const recovered = await this.readFromCopy(resume.offset, { offset: resume.offset, head }, out, {
          thenNewer: true,
        });
        if (recovered === null && readUpTo && !sameFile(readUpTo, st)) {
          // Not truncated: the file the replay starts in was rotated away and deleted, and this new file was given
          // its inode number. Reading had got to another file: finish that one (found by inode), then this.
          await this.finishRotatedAtStart(resume, readUpTo, out);
          this.current = await this.openFile(0, 1);
          return;
        }
        if (recovered === null) {
          // No copy holds the bytes at the position: it lies in a version of the file truncated before (replay
          // lags behind reading), whose copy has since been rotated away. The copies made after it still hold what
          // was written since — a kill among them — so every rotated file still here is read again, oldest first;
          // re-read kills are the incidents already stored (known by their kernel event).
          const names = await this.readSiblingsAgain(out);
          this.note(
            'OOMS_E_WATCH_SOURCE_LOST',
            names.length > 0
              ? `${this.displayPath} was truncated or replaced while watch was not running and no copy holds where it stopped (inode ${resume.ino} offset ${resume.offset}); every rotated file still here is read again (${names.join(' and ')}), then the file — lines only in a copy that is gone may be missing`
              : `${this.displayPath} was truncated or replaced while watch was not running and no copy of its end was found beside it; lines written before that may be missing`,
          );
        } else {
          this.note(
            null,
            `${this.displayPath} was truncated (copytruncate) while watch was not running; ${recovered} line(s) read from its copy`,
          );
        }
        this.current = await this.openFile(0, 1);
        return;
      }
      // Reading may have got to the file that is still current (the replay starts in an older one, since rotated).
      const readInCurrent = readUpTo && st && sameFile(st, readUpTo) ? readUpTo : null;
      await this.finishRotatedAtStart(resume, readInCurrent ? null : readUpTo, out, readInCurrent !== null);
      if (st && readInCurrent && st.size < readInCurrent.offset) {
        // ... and it was truncated since (copytruncate): what was written after our read is in the copy.
        const from = readInCurrent.offset;
        const recovered = await this.readFromCopy(from, { offset: from, head: Buffer.alloc(0) }, out);
        this.note(
          recovered === null ? 'OOMS_E_WATCH_SOURCE_LOST' : null,
          recovered === null
            ? `${this.displayPath} was truncated while watch was not running and no copy of its end was found beside it; lines written before the truncation may be missing`
            : `${this.displayPath} was truncated (copytruncate) while watch was not running; ${recovered} line(s) read from its copy`,
        );
      }
      if (st) this.current = await this.openFile(0, 1);
      return;
    }
    if (!st) {
      this.setUp(false);
      this.problem(
        `${this.displayPath} does not exist (yet); it is followed from its first line when it appears`,
      );
      return;
    }
    // First start: the end of the file is read as context, from a line boundary.
    const tail = this.options.initialTailBytes ?? 256 * 1024;
    const file = await this.openFile(0, 1);
    if (!file) return;
    if (st.size > tail) {
      const start = await nextLineStart(file.handle, st.size - tail);
      file.offset = start;
      file.lineStart = start;
      file.lineNo = start <= MAX_COUNTED_PREFIX ? (await countLines(file.handle, start)) + 1 : null;
    }
    this.current = file;
  }

  /**
   * Rotated (renamed, or deleted) while watch was not running: the file the replay starts in is read from there, and
   * the file reading had got to (when another, and not the new file) from its start — both found by inode among the
   * siblings, whatever their names now. The last of them is kept open like a file renamed under a running watch: a
   * writer that has not reopened its log yet still appends to it.
   */
  private async finishRotatedAtStart(
    replay: FilePosition,
    readUpTo: FilePosition | null,
    out: Pending,
    readInCurrent = false,
  ): Promise<void> {
    const byInode = (position: FilePosition, head: Buffer) =>
      this.findSibling(async (handle, s) => sameFile(s, position) && bytesAt(handle, position.offset, head));
    const first = await byInode(replay, Buffer.from(replay.head, 'base64'));
    const second = readUpTo && !sameFile(readUpTo, replay) ? await byInode(readUpTo, Buffer.alloc(0)) : null;
    const found: { file: OpenFile; name: string }[] = [];
    if (first) {
      first.file.offset = replay.offset;
      first.file.lineStart = replay.offset;
      first.file.lineNo = replay.lineNo;
      found.push(first);
      // The ring spans rotations: files rotated after the replay file were read, but what they hold may not be
      // final yet (a kill read just before a SIGKILL). They are read again — incidents are known by their kernel
      // event, so nothing doubles — every sibling written since the replay file, oldest first.
      const since = (await first.file.handle.stat()).mtimeMs;
      found.push(...(await this.siblingsWrittenSince(since, first.file)));
    } else {
      // Where the replay starts is gone: how many rotations ago is unknown (a watch killed before it saved its
      // positions leaves older ones). Every rotated file still here is read again, oldest first — re-read kills
      // are the incidents already stored; a kill in a file skipped would be lost.
      for (const sibling of await this.siblingsWrittenSince(Number.NEGATIVE_INFINITY, null)) {
        if (second && sameFile(sibling.file, second.file)) await closeReadOnly(sibling.file.handle);
        else found.push(sibling);
      }
    }
    if (second) {
      if (found.some((f) => sameFile(f.file, second.file))) await closeReadOnly(second.file.handle);
      else found.push(second);
    }
    for (const [i, { file }] of found.entries()) {
      await this.pump(file, out);
      if (i < found.length - 1) {
        this.emitPartial(file, out);
        await closeReadOnly(file.handle);
      } else {
        file.lastGrowthMs = Date.now();
        this.draining.push(file);
      }
    }
    const names = found.map((f) => f.name).join(' and ');
    const gone = (p: FilePosition) => `the file it was reading (inode ${p.ino}) is gone`;
    if (found.length === 0 && readInCurrent) {
      this.note(
        'OOMS_E_WATCH_SOURCE_LOST',
        `${this.displayPath}: the older file holding lines to read again (inode ${replay.ino}) was rotated away and is gone; a death seen there but not final when watch stopped may be missing`,
      );
    } else if (found.length === 0) {
      const last = readUpTo ?? replay;
      this.note(
        'OOMS_E_WATCH_SOURCE_LOST',
        `${this.displayPath} was rotated or removed while watch was not running and ${gone(last)}; lines written to it after ${last.offset} bytes may be missing`,
      );
    } else if (!first) {
      this.note(
        'OOMS_E_WATCH_SOURCE_LOST',
        `${this.displayPath}: the file watch stopped in (inode ${replay.ino}) is gone (rotated more than once while watch was not running, or removed); every rotated file still here is read again (${names}), then the new file — a death seen only in the file that is gone, not final when watch stopped, may be missing`,
      );
    } else if (readUpTo && !sameFile(readUpTo, replay) && !second) {
      this.note(
        'OOMS_E_WATCH_SOURCE_LOST',
        `${this.displayPath} was rotated (renamed to ${names}) while watch was not running; reading ${names}, then the new file, but ${gone(readUpTo)}; lines written to it after ${readUpTo.offset} bytes may be missing`,
      );
    } else {
      this.note(
        null,
        `${this.displayPath} was rotated (renamed to ${names}) while watch was not running; reading ${names} from where watch stopped, then the new file`,
      );
    }
  }

  private async openFile(offset: number, lineNo: number | null): Promise<OpenFile | null> {
    try {
      const handle = await open(this.options.path, 'r');
      const st = await handle.stat();
      const file = this.wrap(handle, st, offset, lineNo);
      this.setUp(true);
      this.lastProblem = null;
      return file;
    } catch (error) {
      this.setUp(false);
      if (errnoCode(error) !== 'ENOENT') this.problem(describeFsError(this.displayPath, error).message);
      return null;
    }
  }

  private wrap(
    handle: FileHandle,
    st: Stats,
    offset: number,
    lineNo: number | null,
    followed = true,
  ): OpenFile {
    // Files followed (not copies read once) are remembered: a copytruncate's copy is a file never followed.
    if (followed) this.seen.add(`${st.dev}:${st.ino}`);
    return {
      handle,
      dev: st.dev,
      ino: st.ino,
      offset,
      lineStart: offset,
      lineNo,
      head: Buffer.alloc(HEAD_BYTES),
      spareHead: Buffer.alloc(HEAD_BYTES),
      headLength: 0,
      lastLine: null,
      splitter: this.newSplitter(),
      lastGrowthMs: Date.now(),
      mtimeMs: st.mtimeMs,
      checkedMs: Date.now(),
    };
  }

  private newSplitter(): LineSplitter {
    const maxLineBytes = this.options.maxLineBytes;
    return new LineSplitter({ sourceId: this.options.sourceId, ...(maxLineBytes ? { maxLineBytes } : {}) });
  }

  /** Reads a file from its offset to its current end. */
  private async pump(file: OpenFile, out: Pending): Promise<void> {
    let sinceYield = 0;
    for (;;) {
      const { bytesRead } = await file.handle.read(this.buffer, 0, this.buffer.length, file.offset);
      if (bytesRead === 0) return;
      file.lastGrowthMs = Date.now();
      this.consume(file, this.buffer.subarray(0, bytesRead), out);
      if (out.lines.length >= BATCH_LINES) this.flush(out);
      sinceYield += bytesRead;
      if (sinceYield >= YIELD_EVERY_BYTES) {
        this.flush(out);
        await yieldToLoop();
        sinceYield = 0;
        if (this.stopped) return;
      }
    }
  }

  /** Splits a chunk read at `file.offset` into lines, each with the offset and first bytes of its start. */
  private consume(file: OpenFile, chunk: Buffer, out: Pending): void {
    const base = file.offset;
    let from = 0;
    while (from < chunk.length) {
      const lf = chunk.indexOf(0x0a, from);
      const end = lf < 0 ? chunk.length : lf + 1;
      // The newline too, when the line is short: `line 1` must not match the `line 10` a truncated file regrew with.
      if (file.headLength < HEAD_BYTES && end > from) {
        const take = Math.min(HEAD_BYTES - file.headLength, end - from);
        chunk.copy(file.head, file.headLength, from, from + take);
        file.headLength += take;
      }
      const done = file.splitter.push(chunk.subarray(from, end));
      if (lf >= 0) {
        for (const line of done) this.emit(file, line, out);
        file.lineStart = base + end;
      }
      from = end;
    }
    file.offset = base + chunk.length;
  }

  private emit(file: OpenFile, line: RawLine, out: Pending): void {
    // No Buffer per line: a catch-up of a million lines made as many small buffers, memory outside the JS heap.
    const done = file.head;
    file.head = file.spareHead;
    file.spareHead = done;
    const head = done.subarray(0, file.headLength);
    out.lines.push({
      sourceId: this.options.sourceId,
      lineNo: ++this.seq,
      text: line.text,
      truncated: line.truncated === true,
    });
    out.positions.push({
      kind: 'file',
      dev: file.dev,
      ino: file.ino,
      offset: file.lineStart,
      lineNo: file.lineNo,
      head: head.toString('base64'),
    });
    file.lastLine = { offset: file.lineStart, head };
    if (file.lineNo !== null) file.lineNo++;
    file.headLength = 0;
  }

  /** The last line of a file that is left for good, when it had no final newline. */
  private emitPartial(file: OpenFile, out: Pending): void {
    for (const line of file.splitter.end()) this.emit(file, line, out);
    file.lineStart = file.offset;
  }

  private flush(out: Pending): void {
    if (out.lines.length === 0 || !this.sink) return;
    const reading = this.current ?? this.draining[this.draining.length - 1] ?? null;
    const next: FilePosition | null = reading
      ? {
          kind: 'file',
          dev: reading.dev,
          ino: reading.ino,
          offset: reading.lineStart,
          lineNo: reading.lineNo,
          head: '',
        }
      : null;
    this.sink.batch({ lines: out.lines, positions: out.positions, next });
    out.lines = [];
    out.positions = [];
  }

  private setUp(isUp: boolean): void {
    if (this.isUp === isUp) return;
    this.isUp = isUp;
    this.sink?.up(isUp);
  }

  private note(code: FollowNoteCode, message: string): void {
    this.sink?.note({ code, message });
  }

  private problem(message: string): void {
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.note('OOMS_E_WATCH_SOURCE_LOST', message);
  }
}

type FollowNoteCode = 'OOMS_E_WATCH_SOURCE_LOST' | null;

/** Closes a file that was only read: a failed close loses nothing (no write is pending), so it is not reported. */
function closeReadOnly(handle: FileHandle): Promise<void> {
  return handle.close().catch(() => undefined);
}

/** The same file (device and inode) as a position or another stat. */
function sameFile(a: { dev: number; ino: number }, b: { dev: number; ino: number }): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** True when `expected` is what the file holds at `offset`. */
async function bytesAt(handle: FileHandle, offset: number, expected: Buffer): Promise<boolean> {
  if (expected.length === 0) return true;
  const got = Buffer.alloc(expected.length);
  const { bytesRead } = await handle.read(got, 0, got.length, offset);
  return bytesRead === expected.length && got.equals(expected);
}

/**
 * The offset just after the first newline at or after `from` (the file's size when there is none) — or of the first
 * NUL byte before it: a block a crash zeroed holds no newline, and the line behind it (its NULs are skipped as a
 * line's leading NULs) must not be passed over with the block.
 */
async function nextLineStart(handle: FileHandle, from: number): Promise<number> {
  if (from === 0) return 0;
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  let offset = from - 1;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    if (bytesRead === 0) return offset;
    const view = buffer.subarray(0, bytesRead);
    const lf = view.indexOf(0x0a);
    const nul = view.indexOf(0x00);
    if (nul >= 0 && (lf < 0 || nul < lf)) return offset + nul;
    if (lf >= 0) return offset + lf + 1;
    offset += bytesRead;
  }
}

/** Newlines in the file's first `end` bytes. */
async function countLines(handle: FileHandle, end: number): Promise<number> {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let count = 0;
  let offset = 0;
  while (offset < end) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - offset), offset);
    if (bytesRead === 0) break;
    const view = buffer.subarray(0, bytesRead);
    for (let i = view.indexOf(0x0a); i >= 0; i = view.indexOf(0x0a, i + 1)) count++;
    offset += bytesRead;
  }
  return count;
}
