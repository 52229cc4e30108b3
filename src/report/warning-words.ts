// The early warning's words, shared by the guard's check.log line (and its record's `says`) and watch's alerts. The
// figures are worked out here once; each language's catalogue (same shape, so none can lack a phrase) only words them.
// Units stay as they are in every language: MiB, GiB, 8m, 1.2 MiB/min.
import type { WarningRecord } from '../forecast/warning-record.js';
import type { Language } from './language.js';
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

/** The phrases of a warning; sizes, durations and rates arrive formatted. */
interface WarningPhrases {
  /** Under a second to go. */
  readonly now: string;
  readonly inAbout: (duration: string) => string;
  readonly cgroupAt: (used: string, limit: string) => string;
  readonly hostRss: (rss: string, available: string) => string;
  /** ` (81% of the limit)` / ` (81% of what it can have)`, with the space before it (none before a full-width one). */
  readonly share: (percent: number, ofLimit: boolean) => string;
  /** `may run out of memory in about 8m (6m–11m)`; `band` null when it is one figure. */
  readonly mayRunOut: (when: string, band: string | null) => string;
  /** `, growing 1.2 MiB/min over the last 9m`. */
  readonly growing: (rate: string, over: string | null) => string;
  readonly trend: (pid: number, forecast: string, standing: string, growth: string) => string;
  readonly nearLimit: (pid: number, percent: number, used: string, limit: string) => string;
  readonly nearHost: (pid: number, percent: number, standing: string) => string;
  /** A near-the-ceiling sentence followed by its forecast. */
  readonly andForecast: (near: string, forecast: string, growth: string) => string;
  readonly headlineForecast: (process: string, when: string) => string;
  readonly headlineNearLimit: (process: string) => string;
  readonly headlineNearHost: (process: string) => string;
}

const EN: WarningPhrases = {
  now: 'now',
  inAbout: (duration) => `in about ${duration}`,
  cgroupAt: (used, limit) => `memory cgroup at ${used} of ${limit}`,
  hostRss: (rss, available) => `rss ${rss}, ${available} of the host's memory available`,
  share: (percent, ofLimit) => ` (${percent}% of ${ofLimit ? 'the limit' : 'what it can have'})`,
  mayRunOut: (when, band) => `may run out of memory ${when}${band === null ? '' : ` (${band})`}`,
  growing: (rate, over) => `, growing ${rate}${over === null ? '' : ` over the last ${over}`}`,
  trend: (pid, forecast, standing, growth) => `pid ${pid} ${forecast}: ${standing}${growth}`,
  nearLimit: (pid, percent, used, limit) =>
    `pid ${pid} is at ${percent}% of its memory cgroup's limit (${used} of ${limit})`,
  nearHost: (pid, percent, standing) => `pid ${pid} holds ${percent}% of the memory it can have: ${standing}`,
  andForecast: (near, forecast, growth) => `${near} and ${forecast}${growth}`,
  headlineForecast: (process, when) => `${process} may run out of memory ${when}`,
  headlineNearLimit: (process) => `${process} is close to its memory limit`,
  headlineNearHost: (process) => `${process} is close to running the host out of memory`,
};

const ZH: WarningPhrases = {
  now: '随时',
  inAbout: (duration) => `约 ${duration} 后`,
  cgroupAt: (used, limit) => `内存 cgroup 已用 ${used} / ${limit}`,
  hostRss: (rss, available) => `rss ${rss}，本机可用内存还剩 ${available}`,
  share: (percent, ofLimit) => `（占${ofLimit ? '上限' : '可用内存'}的 ${percent}%）`,
  mayRunOut: (when, band) => `${when}可能内存不足${band === null ? '' : `（${band}）`}`,
  growing: (rate, over) => `，${over === null ? '' : `最近 ${over} 内`}以 ${rate} 的速度增长`,
  trend: (pid, forecast, standing, growth) => `pid ${pid} ${forecast}：${standing}${growth}`,
  nearLimit: (pid, percent, used, limit) =>
    `pid ${pid} 已用到内存 cgroup 上限的 ${percent}%（${used} / ${limit}）`,
  nearHost: (pid, percent, standing) => `pid ${pid} 已占用它可用内存的 ${percent}%：${standing}`,
  andForecast: (near, forecast, growth) => `${near}，并且${forecast}${growth}`,
  headlineForecast: (process, when) => `${process} ${when}可能内存不足`,
  headlineNearLimit: (process) => `${process} 接近内存上限`,
  headlineNearHost: (process) => `${process} 快把本机内存用完了`,
};

/** Exported for the catalogue test only: callers use the functions below. */
export const WARNING_PHRASES: Readonly<Record<Language, WarningPhrases>> = { en: EN, zh: ZH };
const PHRASES = WARNING_PHRASES;

/** `in about 8m`; `now` under a second. */
export function inAbout(seconds: number, language: Language): string {
  const p = PHRASES[language];
  return seconds < 1 ? p.now : p.inAbout(formatDuration(seconds * 1000));
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
export function standing(w: WarningFigures, language: Language): string {
  const p = PHRASES[language];
  if (w.ceiling === 'memory-limit') return p.cgroupAt(formatKb(w.usedKb), formatKb(w.ceilingKb));
  const available = w.availableKb ?? Math.max(0, w.ceilingKb - w.usedKb);
  return p.hostRss(formatKb(w.usedKb), formatKb(available));
}

function forecastWords(w: WarningFigures, language: Language): string {
  if (w.timeToOomS === null) return '';
  const band = w.timeToOomBandS;
  const between =
    band !== null && Math.round(band[1]) > Math.round(band[0])
      ? `${formatDuration(band[0] * 1000)}–${formatDuration(band[1] * 1000)}`
      : null;
  return PHRASES[language].mayRunOut(inAbout(w.timeToOomS, language), between);
}

function growthWords(w: WarningFigures, language: Language): string {
  if (w.growthKbPerS === null) return '';
  const over = w.fitSpanS === null ? null : formatDuration(w.fitSpanS * 1000);
  return PHRASES[language].growing(formatGrowth(w.growthKbPerS), over);
}

function percentOf(w: WarningFigures): number {
  return w.ceilingKb > 0 ? Math.round((w.usedKb / w.ceilingKb) * 100) : 100;
}

/** Where the memory stands and how it grows: `memory cgroup at 52 MiB of 64 MiB (81%), growing 1.2 MiB/min …`. */
export function memoryFact(w: WarningFigures, language: Language): string {
  const share = PHRASES[language].share(percentOf(w), w.ceiling === 'memory-limit');
  return `${standing(w, language)}${share}${growthWords(w, language)}`;
}

/**
 * The warning in one sentence, e.g. `pid 4242 may run out of memory in about 8m (6m–11m): memory cgroup at 52 of
 * 64 MiB, growing 1.2 MiB/min over the last 9m`, or `pid 4242 is at 92% of its memory cgroup's limit (59 of 64 MiB)`.
 */
export function warningSays(w: WarningFigures, language: Language): string {
  const p = PHRASES[language];
  const percent = percentOf(w);
  const growth = growthWords(w, language);
  if (w.reason === 'trend') return p.trend(w.pid, forecastWords(w, language), standing(w, language), growth);
  const near =
    w.ceiling === 'memory-limit'
      ? p.nearLimit(w.pid, percent, formatKb(w.usedKb), formatKb(w.ceilingKb))
      : p.nearHost(w.pid, percent, standing(w, language));
  const forecast = forecastWords(w, language);
  return forecast === '' ? near : p.andForecast(near, forecast, growth);
}

/** An alert's title: `anqicms may run out of memory in about 8m`, `anqicms is close to its memory limit`. */
export function warningHeadline(
  w: WarningFigures & { readonly process: string },
  language: Language,
): string {
  const p = PHRASES[language];
  if (w.timeToOomS !== null) return p.headlineForecast(w.process, inAbout(w.timeToOomS, language));
  return w.ceiling === 'memory-limit' ? p.headlineNearLimit(w.process) : p.headlineNearHost(w.process);
}
