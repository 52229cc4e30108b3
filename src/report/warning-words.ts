// The early warning's words, shared by the guard's check.log line (and its record's `says`) and watch's alerts.
import type { WarningRecord } from '../forecast/warning-record.js';
import { formatDuration, formatKb } from './sizes.js';

export type WarningFigures = Pick<
  WarningRecord,
  | 'pid'
  | 'reason'
  | 'ceiling'
  | 'usedKb'
  | 'ceilingKb'
  | 'timeToOomS'
  | 'timeToOomBandS'
  | 'growthKbPerS'
  | 'fitSpanS'
  | 'availableKb'
>;

/** `about 8m`; `now` under a second. */
export function inAbout(seconds: number): string {
  return seconds < 1 ? 'now' : `in about ${formatDuration(seconds * 1000)}`;
}

/** `1.2 MiB/min`, `40 MiB/min`, `1.5 GiB/h`: growth per minute (per hour when slow). */
export function formatGrowth(kbPerS: number): string {
  const perMin = kbPerS * 60;
  if (perMin >= 1024) {
    const mib = perMin / 1024;
    return mib >= 1024
      ? `${(mib / 1024).toFixed(1)} GiB/min`
      : `${mib < 10 ? mib.toFixed(1) : Math.round(mib)} MiB/min`;
  }
  const perHourMib = (kbPerS * 3600) / 1024;
  if (perHourMib >= 1) return `${perHourMib < 10 ? perHourMib.toFixed(1) : Math.round(perHourMib)} MiB/h`;
  return `${Math.max(1, Math.round(perMin))} kB/min`;
}

/** Where the memory stands: `memory cgroup at 52 of 64 MiB` or `rss 3.1 GiB, 600 MiB of the host's memory available`. */
export function standing(w: WarningFigures): string {
  if (w.ceiling === 'memory-limit')
    return `memory cgroup at ${formatKb(w.usedKb)} of ${formatKb(w.ceilingKb)}`;
  const available = w.availableKb ?? Math.max(0, w.ceilingKb - w.usedKb);
  return `rss ${formatKb(w.usedKb)}, ${formatKb(available)} of the host's memory available`;
}

function forecastWords(w: WarningFigures): string {
  if (w.timeToOomS === null) return '';
  const band = w.timeToOomBandS;
  const between =
    band !== null && Math.round(band[1]) > Math.round(band[0])
      ? ` (${formatDuration(band[0] * 1000)}–${formatDuration(band[1] * 1000)})`
      : '';
  return `may run out of memory ${inAbout(w.timeToOomS)}${between}`;
}

function growthWords(w: WarningFigures): string {
  if (w.growthKbPerS === null) return '';
  const over = w.fitSpanS === null ? '' : ` over the last ${formatDuration(w.fitSpanS * 1000)}`;
  return `, growing ${formatGrowth(w.growthKbPerS)}${over}`;
}

/** Where the memory stands and how it grows: `memory cgroup at 52 MiB of 64 MiB (81%), growing 1.2 MiB/min …`. */
export function memoryFact(w: WarningFigures): string {
  const percent = w.ceilingKb > 0 ? Math.round((w.usedKb / w.ceilingKb) * 100) : 100;
  return `${standing(w)} (${percent}% of ${w.ceiling === 'memory-limit' ? 'the limit' : 'what it can have'})${growthWords(w)}`;
}

/**
 * The warning in one sentence, e.g. `pid 4242 may run out of memory in about 8m (6m–11m): memory cgroup at 52 of
 * 64 MiB, growing 1.2 MiB/min over the last 9m`, or `pid 4242 is at 92% of its memory cgroup's limit (59 of 64 MiB)`.
 */
export function warningSays(w: WarningFigures): string {
  const percent = w.ceilingKb > 0 ? Math.round((w.usedKb / w.ceilingKb) * 100) : 100;
  if (w.reason === 'trend') return `pid ${w.pid} ${forecastWords(w)}: ${standing(w)}${growthWords(w)}`;
  const near =
    w.ceiling === 'memory-limit'
      ? `pid ${w.pid} is at ${percent}% of its memory cgroup's limit (${formatKb(w.usedKb)} of ${formatKb(w.ceilingKb)})`
      : `pid ${w.pid} holds ${percent}% of the memory it can have: ${standing(w)}`;
  const forecast = forecastWords(w);
  return forecast === '' ? near : `${near} and ${forecast}${growthWords(w)}`;
}

/** An alert's title: `anqicms may run out of memory in about 8m`, `anqicms is close to its memory limit`. */
export function warningHeadline(w: WarningFigures & { readonly process: string }): string {
  if (w.timeToOomS !== null) return `${w.process} may run out of memory ${inAbout(w.timeToOomS)}`;
  return w.ceiling === 'memory-limit'
    ? `${w.process} is close to its memory limit`
    : `${w.process} is close to running the host out of memory`;
}
