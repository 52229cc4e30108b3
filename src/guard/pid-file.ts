// The guard's pid file (its own pid on one line, for `kill $(cat …)`) and, next to it, the child file: which child
// it runs, so that a guard started after this one was killed finds the orphan and watches it to its end.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { OomsleuthError } from '../errors.js';

export interface ChildRecord {
  readonly guardPid: number;
  readonly childPid: number;
  /** /proc/PID/stat start time in clock ticks: tells the same process from a later one that got its pid. */
  readonly childStartTicks: number | null;
  readonly startedAtMs: number;
  readonly command: readonly string[];
  /** The child's memory cgroup made by the guard (--memory-limit), to be read and removed by whoever adopts it. */
  readonly memcg: { readonly version: 1 | 2; readonly dir: string; readonly path: string } | null;
}

/** The child file next to a pid file: `anqicms.guard.pid` → `anqicms.guard.pid.child`. */
export function childFileFor(pidFile: string): string {
  return `${pidFile}.child`;
}

/** The control key next to a pid file (control.ts): `anqicms.guard.pid` → `anqicms.guard.pid.key`. */
export function keyFileFor(pidFile: string): string {
  return `${pidFile}.key`;
}

/** Writes the guard's pid file; a failure (disk full, read-only, …) is a start-up failure with its fix. */
export async function writePidFile(pidFile: string, pid: number): Promise<void> {
  try {
    await writeFile(pidFile, `${pid}\n`, { mode: 0o644 });
  } catch (error) {
    // A write cut short leaves an empty file that would read as "no guard": not left behind.
    await rm(pidFile, { force: true }).catch(() => undefined);
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'ENOSPC' || e.code === 'EDQUOT' ? 'free disk space there' : 'fix its directory';
    throw new OomsleuthError(
      'OOMS_E_GUARD_LOG_UNWRITABLE',
      `guard cannot start: its pid file ${pidFile} cannot be written: ${e.message} — ${why}, or choose another --pid-file`,
      { cause: error },
    );
  }
}

export async function readPidFile(pidFile: string): Promise<number | null> {
  const text = await readFile(pidFile, 'utf8').catch(ifMissing(pidFile, null));
  const pid = Number(text?.trim());
  return text !== null && Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

export async function writeChildRecord(pidFile: string, record: ChildRecord): Promise<void> {
  await writeFile(childFileFor(pidFile), `${JSON.stringify(record)}\n`);
}

/** The child record, or null when there is none or it is not one; throws when the file cannot be read. */
export async function readChildRecord(pidFile: string): Promise<ChildRecord | null> {
  const text = await readFile(childFileFor(pidFile), 'utf8').catch(ifMissing(childFileFor(pidFile), null));
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<ChildRecord>;
    if (typeof value.childPid !== 'number' || typeof value.guardPid !== 'number') return null;
    return {
      guardPid: value.guardPid,
      childPid: value.childPid,
      childStartTicks: typeof value.childStartTicks === 'number' ? value.childStartTicks : null,
      startedAtMs: typeof value.startedAtMs === 'number' ? value.startedAtMs : Date.now(),
      command: Array.isArray(value.command) ? value.command.map(String) : [],
      memcg:
        value.memcg && typeof value.memcg.dir === 'string'
          ? {
              version: value.memcg.version === 2 ? 2 : 1,
              dir: value.memcg.dir,
              path: String(value.memcg.path),
            }
          : null,
    };
  } catch {
    // A torn or foreign file is no record: a copy of the app still running is then found by its name, executable and
    // working directory (findRunningCopies) and watched as one started outside the guard.
    return null;
  }
}

/** For a read's `.catch`: `value` when the file does not exist; a file that exists but cannot be read is said. */
function ifMissing<T>(file: string, value: T): (error: NodeJS.ErrnoException) => T {
  return (error) => {
    if (error.code === 'ENOENT') return value;
    throw new OomsleuthError(
      'OOMS_E_GUARD_LOG_UNWRITABLE',
      `guard: cannot read ${file}: ${error.message} — fix its permissions, or remove it if no guard is running`,
      { cause: error },
    );
  };
}

export async function removeGuardFiles(pidFile: string): Promise<void> {
  await Promise.all([
    rm(pidFile, { force: true }),
    rm(childFileFor(pidFile), { force: true }),
    rm(keyFileFor(pidFile), { force: true }),
  ]);
}

export async function removeChildRecord(pidFile: string): Promise<void> {
  await rm(childFileFor(pidFile), { force: true });
}
