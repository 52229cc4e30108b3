// What /proc says about a process: alive or not, its parent, when it started (to tell a pid reused by another
// process from the one we knew), its name, executable and working directory.
import { readFile, readlink } from 'node:fs/promises';

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  /** R, S, D, Z (zombie), X (dead), T … */
  readonly state: string;
  readonly ppid: number;
  /** Field 22, clock ticks after boot: with the pid, identifies one process for the whole life of the boot. */
  readonly startTicks: number;
}

/** Linux's USER_HZ: /proc counts in hundredths of a second on every architecture. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** Parses /proc/PID/stat; the comm sits in parentheses and may itself contain `)` and spaces. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(') ');
  if (open < 0 || close < open) return null;
  const fields = text.slice(close + 2).split(' ');
  // After the comm: state(3) ppid(4) … starttime(22), i.e. index 19 of what follows `) `.
  const pid = Number(text.slice(0, open));
  const ppid = Number(fields[1]);
  const startTicks = Number(fields[19]);
  if (!Number.isSafeInteger(pid) || !Number.isSafeInteger(ppid) || !Number.isSafeInteger(startTicks))
    return null;
  return { pid, comm: text.slice(open + 2, close), state: fields[0] ?? '?', ppid, startTicks };
}

export async function readProcStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch (error) {
    // ENOENT/ESRCH: no such process (now), which is what null means. Anything else is not "dead": a death declared
    // on a failed read would restart a second copy of an app that still runs.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return null;
    throw error;
  }
}

/** True while the process with this pid and start time exists and is not a zombie. */
export async function isSameProcessAlive(pid: number, startTicks: number | null): Promise<boolean> {
  const stat = await readProcStat(pid);
  if (stat === null || stat.state === 'Z' || stat.state === 'X') return false;
  return startTicks === null || stat.startTicks === startTicks;
}

/** Boot time from /proc/stat `btime`, ms since the epoch (whole seconds). */
export async function readBootTimeMs(): Promise<number | null> {
  // World-readable wherever procfs is; without it there is no boot time, and callers fall back (the child record's
  // start, or now).
  const stat = await readFile('/proc/stat', 'utf8').catch(() => '');
  const btime = /^btime (?<seconds>\d+)$/m.exec(stat)?.groups?.seconds;
  return btime === undefined ? null : Number(btime) * 1000;
}

/** `/proc/PID/exe` or `/proc/PID/cwd` as a path; null when it cannot be read (gone, or another user's). */
export async function readProcLink(pid: number, link: 'exe' | 'cwd'): Promise<string | null> {
  try {
    // A deleted executable (replaced by an upgrade) reads `/path (deleted)`: it is still that program.
    return (await readlink(`/proc/${pid}/${link}`)).replace(/ \(deleted\)$/, '');
  } catch {
    // Gone, or another user's process (EACCES): either way not a copy of the app we can take over.
    return null;
  }
}

/** `oom_kill` of /proc/vmstat: every OOM kill since boot, whoever the victim; null when not readable. */
export async function readVmstatOomKills(): Promise<number | null> {
  // Without /proc/vmstat (or its oom_kill line, before 4.13) the machine-wide counter is unknown: null, and the
  // verdict leans on the kernel log and the cgroup's own counter.
  const text = await readFile('/proc/vmstat', 'utf8').catch(() => '');
  const value = /^oom_kill (?<count>\d+)$/m.exec(text)?.groups?.count;
  return value === undefined ? null : Number(value);
}

/**
 * Whether a process with this pid exists (signal 0). EPERM counts as alive: it exists, only not ours to signal.
 * Pids are reused: where the start time is known, isSameProcessAlive is the sure test.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
