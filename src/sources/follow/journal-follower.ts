// Follows the systemd journal through `journalctl -f -o json`, resuming by cursor. Each entry is one JSON line, framed
// by the journal-json carrier like a saved export; only its `__CURSOR` is read here, as the position. When journalctl
// ends (journald restarted, a crash), it is started again after the last cursor seen, with a growing delay.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { RawLine } from '../raw-line.js';
import { LineSplitter } from '../split-lines.js';
import { endChild } from './end-child.js';
import type { Follower, FollowSink } from './follower.js';
import type { FollowPosition, JournalPosition } from './position.js';

export interface JournalFollowerOptions {
  readonly sourceId: number;
  /** journalctl matches, e.g. `_TRANSPORT=kernel + SYSLOG_IDENTIFIER=systemd` (`+` is OR). */
  readonly matches: readonly string[];
  /** Entries read back on a first start (nothing stored), as context. */
  readonly initialEntries?: number;
  /** Default `journalctl` from PATH (tests pass a stand-in). */
  readonly journalctl?: string;
}

const CURSOR_KEY = '"__CURSOR":"';
const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 60_000;

/** Why no journal can be followed here (no journald running), or null when one can. */
export async function journalProblem(socket = '/run/systemd/journal/socket'): Promise<string | null> {
  try {
    await access(socket, constants.F_OK);
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return `no running journald (${socket} is missing)`;
    return `cannot tell whether journald runs (${socket}: ${(error as Error).message})`;
  }
}

export class JournalFollower implements Follower {
  readonly key = 'journal';
  readonly displayPath = 'journal';
  private child: ChildProcessByStdio<null, Readable, Readable> | null = null;
  private stopped = false;
  private seq = 0;
  private lastCursor: string | null = null;
  private restartDelayMs = RESTART_MIN_MS;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: JournalFollowerOptions) {}

  async start(resume: FollowPosition | null, sink: FollowSink): Promise<void> {
    const from = resume?.kind === 'journal' ? resume.cursor : null;
    this.spawn(sink, from === null ? { kind: 'tail' } : { kind: 'at', cursor: from });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await endChild(this.child);
  }

  private spawn(sink: FollowSink, from: { kind: 'tail' } | { kind: 'at' | 'after'; cursor: string }): void {
    const args = ['-f', '-o', 'json', '--no-pager', '-q'];
    if (from.kind === 'tail') args.push('-n', String(this.options.initialEntries ?? 2_000));
    else if (from.kind === 'at') args.push(`--cursor=${from.cursor}`);
    else args.push(`--after-cursor=${from.cursor}`);
    args.push(...this.options.matches);
    const env = { ...process.env, LC_ALL: 'C', SYSTEMD_PAGER: '', SYSTEMD_COLORS: '0' };
    const child = spawn(this.options.journalctl ?? 'journalctl', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    this.child = child;
    const splitter = new LineSplitter({ sourceId: this.options.sourceId });
    let stderr = '';
    let gotLines = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 2_000) stderr += d;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const lines: RawLine[] = [];
      const positions: FollowPosition[] = [];
      for (const line of splitter.push(chunk)) {
        const cursor = cursorOf(line.text);
        if (cursor === null) continue;
        this.lastCursor = cursor;
        lines.push({ ...line, lineNo: ++this.seq });
        positions.push({ kind: 'journal', cursor });
      }
      if (lines.length === 0) return;
      if (!gotLines) {
        gotLines = true;
        this.restartDelayMs = RESTART_MIN_MS;
      }
      const next: JournalPosition = positions[positions.length - 1] as JournalPosition;
      sink.batch({ lines, positions, next });
    });
    child.once('spawn', () => sink.up(true));
    child.once('error', (error: NodeJS.ErrnoException) => {
      sink.note({
        code: 'OOMS_E_SOURCE_COMMAND_FAILED',
        message: `journalctl: ${error.code === 'ENOENT' ? 'not installed' : error.message} — the journal is not followed`,
      });
    });
    child.once('close', (code, signal) => {
      this.child = null;
      if (this.stopped) return;
      sink.up(false);
      const why = stderr.trim().split('\n')[0] || (signal ? `killed by ${signal}` : `exit code ${code}`);
      sink.note({
        code: 'OOMS_E_WATCH_SOURCE_LOST',
        message: `journalctl ended (${why}); starting it again in ${Math.round(this.restartDelayMs / 1000)}s`,
      });
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (this.stopped) return;
        this.spawn(sink, this.lastCursor === null ? from : { kind: 'after', cursor: this.lastCursor });
      }, this.restartDelayMs);
      this.restartDelayMs = Math.min(RESTART_MAX_MS, this.restartDelayMs * 2);
    });
  }
}

/** The entry's `__CURSOR` (journalctl puts it first; JSON escapes never occur in a cursor). */
function cursorOf(text: string): string | null {
  const at = text.indexOf(CURSOR_KEY);
  if (at < 0) return null;
  const start = at + CURSOR_KEY.length;
  const end = text.indexOf('"', start);
  return end < 0 ? null : text.slice(start, end);
}
