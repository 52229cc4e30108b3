// The child's memory over its last hour (by default): a fixed-size ring of samples.

export interface MemorySample {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** VmRSS of the child, kB; null when /proc could not be read. */
  readonly rssKb: number | null;
  /** VmHWM (peak RSS) of the child, kB. */
  readonly hwmKb: number | null;
  /** Memory charged to the child's cgroup, kB; null without a cgroup of its own or a limited one. */
  readonly cgroupUsageKb: number | null;
  /** The cgroup's working set (usage minus inactive page cache), kB, for the early warning; not in --incidents. */
  readonly cgroupWorkingSetKb?: number | null;
  /** The host's MemAvailable (/proc/meminfo), kB, for the early warning; not in --incidents. */
  readonly availableKb?: number | null;
}

/** Keeps the last `capacity` samples; older ones are overwritten, so memory stays bounded whatever the uptime. */
export class MemoryRing {
  private readonly slots: (MemorySample | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array(Math.max(1, capacity));
  }

  push(sample: MemorySample): void {
    this.slots[this.next] = sample;
    this.next = (this.next + 1) % this.slots.length;
    this.count = Math.min(this.count + 1, this.slots.length);
  }

  /** Oldest first. */
  toArray(): MemorySample[] {
    const out: MemorySample[] = [];
    const start = (this.next - this.count + this.slots.length) % this.slots.length;
    for (let i = 0; i < this.count; i++) {
      const sample = this.slots[(start + i) % this.slots.length];
      if (sample) out.push(sample);
    }
    return out;
  }

  /** The samples taken after `sinceMs`, oldest first: only those are copied (the early warning reads its window). */
  since(sinceMs: number): MemorySample[] {
    const out: MemorySample[] = [];
    for (let i = 1; i <= this.count; i++) {
      const sample = this.slots[(this.next - i + this.slots.length) % this.slots.length];
      if (sample === undefined || sample.at <= sinceMs) break;
      out.push(sample);
    }
    return out.reverse();
  }

  get size(): number {
    return this.count;
  }

  last(): MemorySample | null {
    return this.count === 0
      ? null
      : (this.slots[(this.next - 1 + this.slots.length) % this.slots.length] ?? null);
  }
}

// The trend's words live in report/ (watch tells them in its alerts too); re-exported for the guard's callers.
export { describeTrend, formatRange, TREND_WINDOW_MS } from '../report/memory-trend.js';
