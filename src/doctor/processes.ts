// The processes running now, from /proc: pid and name (comm), read once and shared by the checks that ask whether a
// daemon runs (rsyslogd, earlyoom, systemd-oomd) or where the app is.
import type { RootFs } from './root-fs.js';

export interface RunningProcess {
  readonly pid: number;
  /** /proc/PID/comm: the kernel's name, at most 15 characters. */
  readonly comm: string;
}

export interface ProcessTable {
  /** False when /proc could not be listed (a fake root without it, a hardened procfs): "not running" is then unknown. */
  readonly readable: boolean;
  readonly processes: readonly RunningProcess[];
}

export async function readProcessTable(fs: RootFs): Promise<ProcessTable> {
  const pids = (await fs.list('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const processes: RunningProcess[] = [];
  for (const pid of pids) {
    // A process may end between the listing and the read: it is then not running, which is what its absence says.
    const comm = await fs.text(`/proc/${pid}/comm`);
    if (comm !== null) processes.push({ pid, comm: comm.trim() });
  }
  return { readable: processes.length > 0, processes };
}

export function running(table: ProcessTable, comm: string): RunningProcess | undefined {
  return table.processes.find((p) => p.comm === comm);
}
