// How memory moved before a death, in one phrase (`rss rose 1.1→3.8 GiB in 10m, peak 4.0 GiB, cgroup 3.9 of 4.0 GiB`):
// said by the guard in check.log and `guard status`, and by watch in an alert from the guard's samples.
import { formatDuration, formatKb } from './sizes.js';

/** One memory sample, as the guard takes it (times in ms since the epoch; kB). */
export interface TrendSample {
  readonly at: number;
  readonly rssKb: number | null;
  readonly hwmKb: number | null;
  readonly cgroupUsageKb: number | null;
}

/** The trend is told over the last 10 minutes before the death (or the whole life, when shorter). */
export const TREND_WINDOW_MS = 10 * 60_000;

/**
 * `rss rose 1.1→3.8 GiB in 10m`, `rss fell …`, `rss steady at 45 MiB`, plus the peak when it was clearly higher and
 * the cgroup's charge against its limit; null without samples.
 */
export function describeTrend(samples: readonly TrendSample[], limitKb: number | null = null): string | null {
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
