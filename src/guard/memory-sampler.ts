// Samples the child's memory every --sample-interval: VmRSS and VmHWM from /proc/PID/status, the charge of its memory
// cgroup when it has a limited one (and its working set, for the early warning), and the host's MemAvailable. A few
// small async reads per tick; a tick still reading skips the next.
import { readFile } from 'node:fs/promises';
import type { Memcg } from './memcg.js';
import { MemoryRing, type MemorySample } from './memory-ring.js';

const VM_RSS = /^VmRSS:\s+(?<kb>\d+) kB$/m;
const VM_HWM = /^VmHWM:\s+(?<kb>\d+) kB$/m;

const MEM_AVAILABLE = /^MemAvailable:\s+(?<kb>\d+) kB$/m;

/** MemAvailable (kB) from the text of /proc/meminfo; null when absent (kernels before 3.14). */
export function parseMemAvailable(text: string): number | null {
  const kb = MEM_AVAILABLE.exec(text)?.groups?.kb;
  return kb === undefined ? null : Number(kb);
}

/** VmRSS and VmHWM (kB) from the text of /proc/PID/status; null for a field that is absent (a zombie has none). */
export function parseProcStatus(text: string): { rssKb: number | null; hwmKb: number | null } {
  const rss = text.includes('VmRSS:') ? VM_RSS.exec(text)?.groups?.kb : undefined;
  const hwm = text.includes('VmHWM:') ? VM_HWM.exec(text)?.groups?.kb : undefined;
  return { rssKb: rss === undefined ? null : Number(rss), hwmKb: hwm === undefined ? null : Number(hwm) };
}

export class MemorySampler {
  readonly ring: MemoryRing;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private stopped = false;

  constructor(
    private readonly pid: number,
    private readonly intervalMs: number,
    windowMs: number,
    /** The cgroup to read the charge of; null when the child has none of its own or an unlimited one. */
    private readonly memcg: Memcg | null,
    /** Called after each sample is kept (the early warning). */
    private readonly onSample: (sample: MemorySample) => void = () => undefined,
    /** Where MemAvailable is read (tests point it elsewhere). */
    private readonly meminfoPath = '/proc/meminfo',
  ) {
    this.ring = new MemoryRing(Math.ceil(windowMs / intervalMs));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    // The child (or the adoption poll) keeps the guard alive, never this timer.
    this.timer.unref();
  }

  stop(): MemorySample[] {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.ring.toArray();
  }

  /** Takes one sample now (also used by tests). */
  async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const at = Date.now();
      const [status, usage, meminfo] = await Promise.all([
        // The child may die between two ticks: no sample then (its death is seen and judged elsewhere).
        readFile(`/proc/${this.pid}/status`, 'utf8').catch(() => null),
        // A sample without the cgroup's charge is still a sample; an unreadable cgroup is said by the supervisor.
        this.memcg ? this.memcg.usage().catch(() => null) : Promise.resolve(null),
        // Without it the early warning has no ceiling for a child without a limit: the sample is kept all the same.
        readFile(this.meminfoPath, 'utf8').catch(() => null),
      ]);
      if (status === null || this.stopped) return;
      const { rssKb, hwmKb } = parseProcStatus(status);
      if (rssKb === null) return;
      const usageKb = usage === null ? null : Math.round(usage.usageBytes / 1024);
      const inactiveKb = usage?.inactiveFileBytes == null ? null : Math.round(usage.inactiveFileBytes / 1024);
      const sample: MemorySample = {
        at,
        rssKb,
        hwmKb,
        cgroupUsageKb: usageKb,
        cgroupWorkingSetKb: usageKb === null ? null : Math.max(0, usageKb - (inactiveKb ?? 0)),
        availableKb: meminfo === null ? null : parseMemAvailable(meminfo),
      };
      this.ring.push(sample);
      this.onSample(sample);
    } finally {
      this.busy = false;
    }
  }
}
