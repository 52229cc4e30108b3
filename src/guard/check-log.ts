// check.log as the guard writes it: the heartbeat line check.sh has always written (`YYYYMMDD HH:MM:SS NAME PID
// check: N`, so existing scripts and `oomsleuth analyze` keep reading it), plus one readable line per event of the
// child's life. docs/guard.md lists every line. No line may read like an old guardian script's stdout
// (`NAME NOT running`, `NAME stopped.`, `kill -9 …`): analyze would take it for one.
import { appendFile } from 'node:fs/promises';
import { formatSeconds } from '../report/sizes.js';
import { GUARD_WORDS } from './guard-words.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** `date +'%Y%m%d %H:%M:%S'`: local time of this machine, whole seconds, no zone — as check.sh writes it. */
export function guardianStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** check.sh's heartbeat: N is how many copies of the app are running (1, or 0 between a death and a restart). */
export function checkText(name: string, running: number): string {
  return `${name} PID check: ${running}`;
}

export function startedText(name: string, pid: number, memcgPath: string | null): string {
  return `${name} started: pid ${pid}${memcgPath ? ` in memory cgroup ${memcgPath}` : ''}`;
}

/** `NAME restarted: pid N (0.2s after the death)`, with the backoff when there was one. */
export function restartedText(name: string, pid: number, sinceDeathMs: number, backoffMs: number): string {
  const after = `${formatSeconds(sinceDeathMs)} after the death`;
  return `${name} restarted: pid ${pid} (${backoffMs > 0 ? `${after}, ${formatSeconds(backoffMs)} backoff` : after})`;
}

export function gaveUpText(name: string, shortLives: number, stableAfterMs: number): string {
  return `${name} gave up: ${shortLives} lives in a row each shorter than ${formatSeconds(stableAfterMs)} (--max-restarts reached); not restarting`;
}

export function stoppingText(name: string, pid: number, why: string): string {
  return `${name} stopping: SIGTERM to pid ${pid} (${why})`;
}

export function guardExitText(name: string, why: string): string {
  return `${name} guard exiting: ${why}`;
}

export function startFailedText(name: string, why: string): string {
  return `${name} start failed: ${why}`;
}

export function adoptedText(name: string, pid: number, guardPid: number | null): string {
  return `${name} adopted: pid ${pid}, left running by an earlier guard${guardPid ? ` (pid ${guardPid})` : ''} that ended; its exit status cannot be known, the kernel log will tell how it ends`;
}

export function outsideText(name: string, pid: number): string {
  return `${name} running outside the guard: pid ${pid} (not started by this guard, e.g. by start.sh); watching it, the guard takes over when it ends`;
}

/** Appends stamped lines in order, one write per line; a failed write is reported once and does not stop the guard. */
export class CheckLog {
  private queue: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(
    readonly path: string,
    private readonly onProblem: (message: string) => void,
    /** Called with every line but the heartbeat (the guard echoes them on stderr). */
    private readonly onLine: (line: string) => void = () => undefined,
    /** The operator's words for a failed write (guard-words.ts, in --lang). */
    private readonly cannotWrite: (path: string, code: string) => string = GUARD_WORDS.en.cannotWriteCheckLog,
  ) {}

  /** Queues `message` stamped with `atMs`; resolves once it is written (or failed). */
  append(atMs: number, message: string, options: { heartbeat?: boolean } = {}): Promise<void> {
    const line = `${guardianStamp(atMs)} ${message}`;
    if (!options.heartbeat) this.onLine(line);
    this.queue = this.queue.then(() =>
      appendFile(this.path, `${line}\n`).then(
        () => {
          this.failed = false;
        },
        (error: NodeJS.ErrnoException) => {
          if (this.failed) return;
          this.failed = true;
          this.onProblem(this.cannotWrite(this.path, error.code ?? error.message));
        },
      ),
    );
    return this.queue;
  }

  /** Resolves when every queued line is written. */
  flush(): Promise<void> {
    return this.queue;
  }
}
