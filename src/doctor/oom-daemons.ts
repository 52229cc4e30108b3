// earlyoom and systemd-oomd kill before the kernel does, and with SIGTERM first: their victim may print its normal
// shutdown line. Only their own log line says it was an OOM kill, so oomsleuth calls such a death `oom-daemon`
// only when that line is kept; otherwise it reads as a deliberate stop.
import { type Check, check } from './check.js';
import { type ProcessTable, running } from './processes.js';
import type { RootFs } from './root-fs.js';

export interface OomDaemon {
  readonly name: 'earlyoom' | 'systemd-oomd';
  readonly installed: boolean;
  /** null when /proc could not tell. */
  readonly running: boolean | null;
}

const DAEMONS = [
  {
    name: 'earlyoom',
    comm: 'earlyoom',
    binaries: ['/usr/bin/earlyoom', '/usr/sbin/earlyoom', '/usr/local/bin/earlyoom'],
  },
  {
    name: 'systemd-oomd',
    comm: 'systemd-oomd',
    binaries: ['/usr/lib/systemd/systemd-oomd', '/lib/systemd/systemd-oomd'],
  },
] as const;

export async function readOomDaemons(fs: RootFs, processes: ProcessTable): Promise<OomDaemon[]> {
  const found: OomDaemon[] = [];
  for (const daemon of DAEMONS) {
    let installed = false;
    for (const path of daemon.binaries) installed ||= await fs.exists(path);
    const isRunning = processes.readable ? running(processes, daemon.comm) !== undefined : null;
    found.push({ name: daemon.name, installed: installed || isRunning === true, running: isRunning });
  }
  return found;
}

/**
 * `logsKept`: where a daemon's own lines survive (a persistent journal, a syslog catch-all file); null: nowhere.
 * `journalFix`: how to make the journal persistent here.
 */
export function oomDaemonCheck(
  daemons: readonly OomDaemon[],
  logsKept: string | null,
  journalFix: string,
): Check {
  const id = 'oom-daemons';
  const title = 'OOM daemons';
  const why =
    'earlyoom and systemd-oomd kill with SIGTERM first, so the victim may log a clean shutdown: only their own log line tells it was an OOM kill';
  const active = daemons.filter((d) => d.running === true);
  if (active.length === 0) {
    const installed = daemons.filter((d) => d.installed).map((d) => `${d.name} (installed, not running)`);
    return check(
      id,
      title,
      'ok',
      installed.length > 0
        ? installed.join(', ')
        : 'neither earlyoom nor systemd-oomd: the kernel OOM killer decides alone',
      why,
    );
  }
  const names = active.map((d) => d.name).join(' and ');
  if (logsKept === null) {
    return check(
      id,
      title,
      'fail',
      `${names} run${active.length === 1 ? 's' : ''}, but its log lines are kept nowhere that survives a reboot`,
      why,
      journalFix,
    );
  }
  return check(
    id,
    title,
    'ok',
    `${names} run${active.length === 1 ? 's' : ''}; ${active.length === 1 ? 'its' : 'their'} lines are kept in ${logsKept}`,
    why,
  );
}
