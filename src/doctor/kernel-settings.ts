// The kernel's own settings that decide what an OOM kill leaves behind (/proc/sys, sysctl(8) names), and swap.
import { type Check, check } from './check.js';
import type { RootFs } from './root-fs.js';

export interface KernelSettings {
  /** The value read, or null when /proc/sys/<name> could not be read. */
  readonly dmesgRestrict: number | null;
  readonly oomDumpTasks: number | null;
  readonly panicOnOom: number | null;
  readonly overcommitMemory: number | null;
}

async function sysctl(fs: RootFs, name: string): Promise<number | null> {
  const text = await fs.text(`/proc/sys/${name.replace(/\./g, '/')}`);
  const value = text === null ? Number.NaN : Number(text.trim());
  return Number.isInteger(value) ? value : null;
}

export async function readKernelSettings(fs: RootFs): Promise<KernelSettings> {
  return {
    dmesgRestrict: await sysctl(fs, 'kernel.dmesg_restrict'),
    oomDumpTasks: await sysctl(fs, 'vm.oom_dump_tasks'),
    panicOnOom: await sysctl(fs, 'vm.panic_on_oom'),
    overcommitMemory: await sysctl(fs, 'vm.overcommit_memory'),
  };
}

/** The line that makes a setting stick across reboots, and the command that sets it now. */
function persist(name: string, value: number): string {
  return `sysctl -w ${name}=${value} && echo '${name} = ${value}' > /etc/sysctl.d/60-oomsleuth-${name.split('.')[1]}.conf`;
}

function unreadable(id: string, title: string, why: string): Check {
  return check(
    id,
    title,
    'warn',
    `/proc/sys/${id.replace(/\./g, '/')} cannot be read`,
    why,
    `cat /proc/sys/${id.replace(/\./g, '/')}`,
  );
}

export function kernelSettingChecks(settings: KernelSettings, isRoot: boolean): Check[] {
  const checks: Check[] = [];

  const restrictWhy =
    'with dmesg_restrict=1 only root reads the kernel ring buffer, so oomsleuth run as a user sees no OOM kill there';
  if (settings.dmesgRestrict === null)
    checks.push(unreadable('kernel.dmesg_restrict', 'dmesg access', restrictWhy));
  else if (settings.dmesgRestrict === 0) {
    checks.push(
      check(
        'kernel.dmesg_restrict',
        'dmesg access',
        'ok',
        'kernel.dmesg_restrict=0: every user can read dmesg',
        restrictWhy,
      ),
    );
  } else {
    checks.push(
      check(
        'kernel.dmesg_restrict',
        'dmesg access',
        isRoot ? 'ok' : 'warn',
        `kernel.dmesg_restrict=${settings.dmesgRestrict}: only root (CAP_SYSLOG) reads dmesg${isRoot ? '; oomsleuth runs as root here' : ''}`,
        restrictWhy,
        'run oomsleuth as root, or add the user to the adm (Debian) or systemd-journal group and read the journal',
      ),
    );
  }

  const tasksWhy =
    'the task table the kernel prints at an OOM kill shows what else held memory: without it the diagnosis loses its best evidence';
  if (settings.oomDumpTasks === null)
    checks.push(unreadable('vm.oom_dump_tasks', 'OOM task table', tasksWhy));
  else if (settings.oomDumpTasks === 0) {
    checks.push(
      check(
        'vm.oom_dump_tasks',
        'OOM task table',
        'warn',
        'vm.oom_dump_tasks=0: no task table at an OOM kill',
        tasksWhy,
        persist('vm.oom_dump_tasks', 1),
      ),
    );
  } else {
    checks.push(
      check(
        'vm.oom_dump_tasks',
        'OOM task table',
        'ok',
        `vm.oom_dump_tasks=${settings.oomDumpTasks}: the kernel prints its task table`,
        tasksWhy,
      ),
    );
  }

  const panicWhy =
    'with panic_on_oom the machine panics instead of killing one process: no kill record, a reboot, and the ring buffer is gone';
  if (settings.panicOnOom === null) checks.push(unreadable('vm.panic_on_oom', 'panic on OOM', panicWhy));
  else if (settings.panicOnOom === 0) {
    checks.push(
      check(
        'vm.panic_on_oom',
        'panic on OOM',
        'ok',
        'vm.panic_on_oom=0: an OOM kills a process, the machine lives',
        panicWhy,
      ),
    );
  } else {
    checks.push(
      check(
        'vm.panic_on_oom',
        'panic on OOM',
        'fail',
        `vm.panic_on_oom=${settings.panicOnOom}: ${settings.panicOnOom === 2 ? 'every OOM, memory cgroups included,' : 'a global OOM'} panics the machine`,
        panicWhy,
        `${persist('vm.panic_on_oom', 0)}   (or keep it and set up kdump/pstore to keep the panic's log)`,
      ),
    );
  }

  const overcommitWhy =
    'overcommit decides whether memory runs out as a kernel OOM kill (0, 1) or as allocation failures the app reports itself (2)';
  const mode = settings.overcommitMemory;
  if (mode === null) checks.push(unreadable('vm.overcommit_memory', 'memory overcommit', overcommitWhy));
  else if (mode === 0) {
    checks.push(
      check(
        'vm.overcommit_memory',
        'memory overcommit',
        'ok',
        'vm.overcommit_memory=0 (heuristic, the default)',
        overcommitWhy,
      ),
    );
  } else if (mode === 1) {
    checks.push(
      check(
        'vm.overcommit_memory',
        'memory overcommit',
        'warn',
        'vm.overcommit_memory=1: every allocation succeeds, so the OOM killer is the only brake',
        overcommitWhy,
        persist('vm.overcommit_memory', 0),
      ),
    );
  } else {
    checks.push(
      check(
        'vm.overcommit_memory',
        'memory overcommit',
        'warn',
        `vm.overcommit_memory=${mode}: allocations fail instead of the OOM killer acting; deaths show in the app's own log (runtime-oom)`,
        overcommitWhy,
        "keep the app's log (running.log) with the kernel log, or: " + persist('vm.overcommit_memory', 0),
      ),
    );
  }
  return checks;
}

export interface SwapFacts {
  readonly readable: boolean;
  readonly devices: readonly { name: string; sizeKb: number; usedKb: number }[];
}

export async function readSwap(fs: RootFs): Promise<SwapFacts> {
  const text = await fs.text('/proc/swaps');
  if (text === null) return { readable: false, devices: [] };
  const devices = text
    .split('\n')
    .slice(1)
    .map((line) => /^(?<name>\S+)\s+\S+\s+(?<size>\d+)\s+(?<used>\d+)/.exec(line)?.groups)
    .filter((g) => g !== undefined)
    .map((g) => ({ name: g.name!, sizeKb: Number(g.size), usedKb: Number(g.used) }));
  return { readable: true, devices };
}

export function swapCheck(swap: SwapFacts): Check {
  const why =
    'without swap, memory runs out at once and the OOM killer strikes with no slowdown first to warn anyone';
  if (!swap.readable)
    return check('swap', 'swap', 'warn', '/proc/swaps cannot be read', why, 'swapon --show');
  if (swap.devices.length === 0) {
    return check(
      'swap',
      'swap',
      'warn',
      'no swap',
      why,
      "fallocate -l 1G /swapfile && chmod 600 /swapfile && mkswap /swapfile && swapon /swapfile && echo '/swapfile none swap sw 0 0' >> /etc/fstab",
    );
  }
  const size = swap.devices.reduce((sum, d) => sum + d.sizeKb, 0);
  const used = swap.devices.reduce((sum, d) => sum + d.usedKb, 0);
  return check(
    'swap',
    'swap',
    'ok',
    `${swap.devices.length} device(s), ${Math.round(size / 1024)} MiB, ${Math.round(used / 1024)} MiB used`,
    why,
  );
}
