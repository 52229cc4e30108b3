// Is the app already running without us — started by the old start.sh, or by hand? Such a copy is one whose task name
// is the app's (cut to 15 characters, as the kernel keeps it), whose executable is the command's, and whose working
// directory is the one the guard would give the child (start.sh does `cd $BINPATH` too). All three, because with an
// interpreter (a symlink to node, say) the executable alone matches every program of that interpreter.
import { readdir, realpath } from 'node:fs/promises';
import { readProcLink, readProcStat } from './proc-stat.js';

export interface RunningCopy {
  readonly pid: number;
  readonly startTicks: number;
}

const COMM_LENGTH = 15;

/** The copies of `command` running in `cwd` with the task name `name`, except `exclude` (our own children). */
export async function findRunningCopies(
  command: string,
  name: string,
  cwd: string,
  exclude: ReadonlySet<number> = new Set(),
): Promise<RunningCopy[]> {
  // The command was checked at start; if it has since vanished, its path as given is what /proc/PID/exe shows.
  const exe = await realpath(command).catch(() => command);
  const comm = name.slice(0, COMM_LENGTH);
  const entries = await readdir('/proc').catch((error: NodeJS.ErrnoException) => {
    // No procfs at all (not Linux): no copy can be seen. Any other failure must not pass for "none running": the
    // guard would start a second copy of the app.
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const found: RunningCopy[] = [];
  for (const entry of entries) {
    const first = entry.charCodeAt(0);
    if (first < 0x30 || first > 0x39) continue;
    const pid = Number(entry);
    if (pid === process.pid || exclude.has(pid)) continue;
    const stat = await readProcStat(pid).catch((error: NodeJS.ErrnoException) => {
      // hidepid=1 shows other users' processes but not their files: not a copy we could take over.
      if (error.code === 'EACCES' || error.code === 'EPERM') return null;
      throw error;
    });
    if (stat === null || stat.comm !== comm || stat.state === 'Z' || stat.state === 'X') continue;
    const [procExe, procCwd] = await Promise.all([readProcLink(pid, 'exe'), readProcLink(pid, 'cwd')]);
    if (procExe !== exe || procCwd !== cwd) continue;
    found.push({ pid, startTicks: stat.startTicks });
  }
  return found;
}
