// Starting the child and learning of its end. The child is spawned without a shell, in its own session (a Ctrl-C
// meant for the guard does not reach it, and it outlives a killed guard), with stdout and stderr appended straight
// to the app log — as `nohup … >> running.log 2>&1` does: no pipe through the guard, so its output costs the guard
// nothing and survives the guard's death. With a memory cgroup, the child is born inside it.
import { type ChildProcess, spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildExit } from './death-case.js';
import { LOG_FILE_MODE } from './log-files.js';
import { type Memcg, spawnInside } from './memcg.js';
import { isSameProcessAlive } from './proc-stat.js';

export interface ChildEnd {
  /** null when the guard was not the parent: no exit status. */
  readonly exit: ChildExit | null;
  /** When the end was seen (ms since the epoch). */
  readonly atMs: number;
  /** For a watched (not spawned) process: the last poll that found it alive; else null. */
  readonly lastAliveMs: number | null;
}

export interface SpawnedChild {
  readonly pid: number;
  readonly startedAtMs: number;
  /** Size of the app log when the child started: its own output comes after. */
  readonly appLogOffset: number;
  readonly process: ChildProcess;
  readonly ended: Promise<ChildEnd>;
}

export interface SpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly appLog: string;
  readonly env: NodeJS.ProcessEnv;
  /** The cgroup to start the child in, and the guard's own cgroup directory to return to. */
  readonly memcg: { readonly cgroup: Memcg; readonly homeDir: string } | null;
  /** --user/--group: the child's ids (it loses root's supplementary groups too). */
  readonly ids?: { readonly uid: number; readonly gid: number } | null;
}

/** A failure to start the child at all (the program vanished, lost its x bit, …); `errno` like ENOENT, EACCES. */
export class SpawnError extends Error {
  constructor(
    message: string,
    readonly errno: string | null,
  ) {
    super(message);
  }
}

/** Starts the child; resolves once the kernel has exec'd it, rejects with a SpawnError when it could not. */
export async function spawnChild(options: SpawnOptions): Promise<SpawnedChild> {
  // Re-opened for every child, so a log moved away by logrotate is followed by a new file at the next start.
  const log = await open(options.appLog, 'a', LOG_FILE_MODE);
  try {
    const appLogOffset = (await log.stat()).size;
    // Listened to in the same tick as spawn(): 'spawn', 'error' and a quick 'exit' come on the next ticks, while
    // spawnInside() is still moving the guard back to its own cgroup.
    const start = () => {
      const child = spawn(options.command, [...options.args], {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', log.fd, log.fd],
        detached: true,
        ...(options.ids ? { uid: options.ids.uid, gid: options.ids.gid } : {}),
      });
      const ended = new Promise<ChildEnd>((resolve) => {
        child.once('exit', (code, signal) =>
          resolve({ exit: { code, signal }, atMs: Date.now(), lastAliveMs: null }),
        );
      });
      const spawned = new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (error: NodeJS.ErrnoException) =>
          reject(new SpawnError(`${options.command}: ${error.message}`, error.code ?? null)),
        );
      });
      return { child, ended, spawned, startedAtMs: Date.now() };
    };
    let started = options.memcg
      ? await spawnInside(options.memcg.cgroup, options.memcg.homeDir, start)
      : null;
    const movedIn = started !== null;
    started ??= start();
    const { child, ended, startedAtMs } = started;
    await started.spawned;
    // 'error' after the spawn (a failed kill) must not become an uncaught exception.
    child.on('error', () => undefined);
    const pid = child.pid as number;
    if (options.memcg && !movedIn) {
      try {
        await options.memcg.cgroup.addProcess(pid);
      } catch (error) {
        // Left outside its cgroup, the child would run without --memory-limit and nobody would know: this start fails
        // instead (said in check.log, retried with the backoff), as a limit that cannot be applied refuses the guard.
        sendSignal(pid, 'SIGKILL', true);
        sendSignal(pid, 'SIGKILL');
        await ended;
        throw new SpawnError(
          `${options.command}: pid ${pid} could not be put in its memory cgroup ${options.memcg.cgroup.cgroupPath} (${(error as Error).message}), so --memory-limit would not hold; it was killed`,
          null,
        );
      }
    }
    return { pid, startedAtMs, appLogOffset, process: child, ended };
  } finally {
    // The child holds its own copy of the descriptor.
    await log.close();
  }
}

/**
 * The end of a process the guard did not spawn (no exit status can reach us): polled, since Linux offers Node no
 * way to wait for a non-child. A poll is one read of /proc/PID/stat.
 */
export function watchProcess(
  pid: number,
  startTicks: number | null,
  pollMs: number,
  signal: AbortSignal,
): Promise<ChildEnd | null> {
  return (async () => {
    let lastAliveMs = Date.now();
    for (;;) {
      if (signal.aborted) return null;
      if (!(await isSameProcessAlive(pid, startTicks))) return { exit: null, atMs: Date.now(), lastAliveMs };
      lastAliveMs = Date.now();
      try {
        await sleep(pollMs, undefined, { signal });
      } catch {
        // AbortError, the only way this sleep rejects: the watch was stopped, which is what `null` means.
        return null;
      }
    }
  })();
}

/** Sends a signal, ignoring a process already gone. `group` signals its whole process group (its own children). */
export function sendSignal(pid: number, signal: NodeJS.Signals, group = false): boolean {
  try {
    process.kill(group ? -pid : pid, signal);
    return true;
  } catch {
    // ESRCH: already gone (a child that may have just died); EPERM: the pid is another user's now, so ours is gone too.
    // Either way there is nothing to signal, and `false` says so.
    return false;
  }
}
