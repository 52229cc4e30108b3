// The child's memory over its last hour (by default): a fixed-size ring of samples, and the one-phrase summary of
// how it moved before a death (`rss rose 1.1→3.8 GiB in 10m`).
import { formatDuration, formatKb } from '../report/sizes.js';

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

/** The trend is told over the last 10 minutes before the death (or the whole life, when shorter). */
export const TREND_WINDOW_MS = 10 * 60_000;

/**
 * `rss rose 1.1→3.8 GiB in 10m`, `rss fell …`, `rss steady at 45 MiB`, plus the peak when it was clearly higher and
 * the cgroup's charge against its limit; null without samples.
 */
export function describeTrend(
  samples: readonly MemorySample[],
  limitKb: number | null = null,
): string | null {
  const withRss = samples.filter((s) => s.rssKb !== null);
  const last = withRss.at(-1);
  if (last === undefined || last.rssKb === null) return null;
  const from = withRss.find((s) => s.at >= last.at - TREND_WINDOW_MS) ?? last;
  const first = from.rssKb ?? last.rssKb;
  const change = last.rssKb - first;
  const parts: string[] = [];
  // Under 5% (or 1 MiB) is noise for a long-running service.
  if (from === last || Math.abs(change) < Math.max(first * 0.05, 1024)) {
    parts.push(`rss steady at ${formatKb(last.rssKb)}`);
  } else {
    const verb = change > 0 ? 'rose' : 'fell';
    parts.push(`rss ${verb} ${formatRange(first, last.rssKb)} in ${formatDuration(last.at - from.at)}`);
  }
  // VmHWM tells of a peak between samples (or before the window) that the curve itself does not show.
  const peak = Math.max(...withRss.map((s) => s.hwmKb ?? 0));
  const highest = Math.max(first, last.rssKb);
  if (peak > highest * 1.05 && peak - highest >= 1024) parts.push(`peak ${formatKb(peak)}`);
  const cgroup = samples.findLast((s) => s.cgroupUsageKb !== null)?.cgroupUsageKb ?? null;
  if (cgroup !== null && limitKb !== null) parts.push(`cgroup ${formatRange(cgroup, limitKb, ' of ')}`);
  return parts.join(', ');
}

/** `1.1→3.8 GiB` when both ends read in the same unit, else `512 MiB→1.2 GiB`. */
export function formatRange(fromKb: number, toKb: number, arrow = '→'): string {
  const from = formatKb(fromKb);
  const to = formatKb(toKb);
  const fromUnit = from.slice(from.indexOf(' ') + 1);
  const toUnit = to.slice(to.indexOf(' ') + 1);
  return fromUnit === toUnit ? `${from.slice(0, from.indexOf(' '))}${arrow}${to}` : `${from}${arrow}${to}`;
}
