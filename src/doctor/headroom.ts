// How far memory is from running out: MemAvailable (what can be allocated without swapping, /proc/meminfo) against
// the machine's total and, when the app runs, against its resident size (VmRSS in /proc/PID/status).
import { type Check, check } from './check.js';
import type { GuardianFacts } from './guardian.js';
import type { ProcessTable } from './processes.js';
import type { RootFs } from './root-fs.js';

export interface MemoryFacts {
  readonly totalKb: number | null;
  readonly availableKb: number | null;
  /** The app's process, when it runs and was found. */
  readonly app: { readonly pid: number; readonly rssKb: number } | null;
}

function meminfoValue(text: string, key: string): number | null {
  const match = new RegExp(`^${key}:\\s+(?<kb>\\d+) kB`, 'm').exec(text);
  return match?.groups ? Number(match.groups.kb) : null;
}

async function rssOf(fs: RootFs, pid: number): Promise<number | null> {
  const status = await fs.text(`/proc/${pid}/status`);
  return status === null ? null : meminfoValue(status, 'VmRSS');
}

/** The app's pid: the guard's child, else a process named like the app (15 characters, as the kernel keeps it). */
async function findApp(
  fs: RootFs,
  processes: ProcessTable,
  app: string,
  guardian: GuardianFacts | null,
): Promise<number | null> {
  for (const guard of guardian?.guards ?? []) {
    if (guard.childPid !== null && (await fs.exists(`/proc/${guard.childPid}/status`))) return guard.childPid;
  }
  const comm = app.slice(0, 15);
  return processes.processes.find((p) => p.comm === comm)?.pid ?? null;
}

export async function readMemoryFacts(
  fs: RootFs,
  processes: ProcessTable,
  app: string | null,
  guardian: GuardianFacts | null,
): Promise<MemoryFacts> {
  const meminfo = (await fs.text('/proc/meminfo')) ?? '';
  const pid = app === null ? null : await findApp(fs, processes, app, guardian);
  const rssKb = pid === null ? null : await rssOf(fs, pid);
  return {
    totalKb: meminfoValue(meminfo, 'MemTotal'),
    availableKb: meminfoValue(meminfo, 'MemAvailable'),
    app: pid !== null && rssKb !== null ? { pid, rssKb } : null,
  };
}

const mib = (kb: number) => `${Math.round(kb / 1024)} MiB`;

export function headroomCheck(memory: MemoryFacts, app: string | null): Check {
  const why =
    'what is left before the OOM killer acts: an app that can no longer grow by a good share of its size is the next victim';
  if (memory.totalKb === null || memory.availableKb === null) {
    return check(
      'headroom',
      'memory headroom',
      'warn',
      '/proc/meminfo has no MemTotal/MemAvailable (kernel older than 3.14?)',
      why,
      'free -m',
    );
  }
  const share = memory.availableKb / memory.totalKb;
  const base = `MemAvailable ${mib(memory.availableKb)} of ${mib(memory.totalKb)} (${Math.round(share * 100)}%)`;
  const appText =
    memory.app !== null
      ? `; ${app} (pid ${memory.app.pid}) uses ${mib(memory.app.rssKb)}`
      : app !== null
        ? `; ${app} is not running`
        : '';
  const fix = memory.app
    ? `oomsleuth guard --memory-limit ${Math.ceil((memory.app.rssKb * 1.5) / 1024)}M … to bound ${app}, or add memory/swap`
    : 'add memory or swap, or stop what is not needed (ps aux --sort=-rss | head)';
  if (share < 0.05) return check('headroom', 'memory headroom', 'fail', base + appText, why, fix);
  if (share < 0.15 || (memory.app !== null && memory.availableKb < memory.app.rssKb * 0.25)) {
    return check('headroom', 'memory headroom', 'warn', base + appText, why, fix);
  }
  return check('headroom', 'memory headroom', 'ok', base + appText, why);
}
