// The rhythm of the app's OOM deaths over days: kills at a steady pace and at similar RSS are a leak refilling after
// each restart (the sawtooth across lives); kills at the same time of day are a scheduled job or a daily peak.
import type { DiagnosisContext } from './evidence.js';

/** A leak needs this many kills… */
export const LEAK_MIN_KILLS = 3;
/** …whose gaps vary by at most this coefficient of variation… */
export const LEAK_MAX_GAP_CV = 0.35;
/** …of at least this long (kills minutes apart are a crash loop, not a leak filling memory)… */
export const LEAK_MIN_GAP_MS = 60 * 60_000;
/** …each at an RSS within this fraction of their median. */
export const LEAK_RSS_SPREAD = 0.2;
/** Same time of day: within this many minutes… */
export const SAME_TIME_MINUTES = 30;
/** …on at least this many kills (this one among them), on different days. */
export const SAME_TIME_MIN_KILLS = 2;

export interface LeakRhythm {
  readonly kills: number;
  readonly everyMs: number;
  readonly rssKb: number | null;
}

export interface SameTime {
  readonly kills: number;
  readonly minuteOfDay: number;
}

const DAY_MS = 86_400_000;

/** Kills at a steady pace at similar RSS, this death among them; null when the deaths show none. */
export function leakRhythm(context: DiagnosisContext, diedAtMs: number | null): LeakRhythm | null {
  const kills = [...context.kills].sort((a, b) => a.atMs - b.atMs);
  if (kills.length < LEAK_MIN_KILLS || diedAtMs === null) return null;
  const gaps = kills.slice(1).map((k, i) => k.atMs - kills[i]!.atMs);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  if (mean < LEAK_MIN_GAP_MS) return null;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
  if (sd / mean > LEAK_MAX_GAP_CV) return null;
  const rss = kills.map((k) => k.rssKb).filter((r): r is number => r !== null);
  let rssKb: number | null = null;
  if (rss.length >= LEAK_MIN_KILLS) {
    const median = [...rss].sort((a, b) => a - b)[rss.length >> 1]!;
    if (rss.some((r) => Math.abs(r - median) > LEAK_RSS_SPREAD * median)) return null;
    rssKb = median;
  }
  return { kills: kills.length, everyMs: mean, rssKb };
}

/** Kills at this death's time of day on other days; null when it stands alone. */
export function sameTimeOfDay(context: DiagnosisContext, diedAtMs: number | null): SameTime | null {
  if (diedAtMs === null) return null;
  const minute = context.minuteOfDay(diedAtMs);
  const alike = context.kills.filter((k) => {
    const d = Math.abs(context.minuteOfDay(k.atMs) - minute);
    return Math.min(d, 1440 - d) <= SAME_TIME_MINUTES;
  });
  const days = new Set(alike.map((k) => Math.floor((k.atMs - diedAtMs) / DAY_MS + 0.5)));
  return alike.length >= SAME_TIME_MIN_KILLS && days.size >= SAME_TIME_MIN_KILLS
    ? { kills: alike.length, minuteOfDay: minute }
    : null;
}
