// Samples the child's memory every --sample-interval: VmRSS and VmHWM from /proc/PID/status, and the charge of its
// memory cgroup when it has a limited one. One small async read per tick; a tick still reading skips the next.
import { readFile } from 'node:fs/promises';
import type { Memcg } from './memcg.js';
import { MemoryRing, type MemorySample } from './memory-ring.js';

const VM_RSS = /^VmRSS:\s+(?<kb>\d+) kB$/m;
const VM_HWM = /^VmHWM:\s+(?<kb>\d+) kB$/m;

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
      const [status, usage] = await Promise.all([
        // The child may die between two ticks: no sample then (its death is seen and judged elsewhere).
        readFile(`/proc/${this.pid}/status`, 'utf8').catch(() => null),
        // A sample without the cgroup's charge is still a sample; an unreadable cgroup is said by the supervisor.
        this.memcg ? this.memcg.usage().catch(() => null) : Promise.resolve(null),
      ]);
      if (status === null || this.stopped) return;
      const { rssKb, hwmKb } = parseProcStatus(status);
      if (rssKb === null) return;
      this.ring.push({
        at,
        rssKb,
        hwmKb,
        cgroupUsageKb: usage === null ? null : Math.round(usage.usageBytes / 1024),
      });
    } finally {
      this.busy = false;
    }
  }
}
