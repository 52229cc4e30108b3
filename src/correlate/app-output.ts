// The app's own output from every source that holds it: its log files (running.log), and its lines inside system logs
// (a unit's stdout in syslog or the journal; scan-source.ts kept them as app events). Both feed its lives. A line
// that two sources carry (the unit's stdout also appended to running.log, syslog and a journal export of the same
// days) counts once.
import type { Clock } from '../clock/clock.js';
import { parseAppStamp } from '../framing/app-stamp.js';
import type { Event } from '../recognise/event.js';
import type { ScannedSource } from '../scan/observation.js';
import type { AppLife } from './app-lives.js';
import { type Placed, placeObservations } from './placed.js';

/** The same line in two carriers: syslog keeps whole seconds, the journal microseconds. */
const SAME_LINE_SLACK_MS = 2_000;

const APP_EVENTS: ReadonlySet<Event['type']> = new Set<Event['type']>([
  'app.start',
  'app.shutdown',
  'app.restart-in-place',
  'app.panic',
  'app.runtime-oom',
  'app.port-in-use',
  'app.line',
]);

/** Everything the app wrote, in the order it wrote it: its log files as they are, its system-log lines merged in by time. */
export function appOutput(sources: readonly ScannedSource[], clock: Clock): Placed[] {
  let merged = sources.filter((s) => s.kind === 'app').flatMap((s) => placeObservations(s, clock));
  for (const source of sources) {
    if (source.kind !== 'kernel' && source.kind !== 'system') continue;
    // Only the app's lines are placed: a time-zone conversion each, and the source holds every kernel record too.
    const lines = placeObservations(source, clock, (o) => APP_EVENTS.has(o.event.type));
    if (lines.length === 0) continue;
    merged = mergeByTime(merged, withoutDuplicates(lines, merged));
  }
  return merged;
}

/** `a` keeps its order (untimed lines stay after the line they inherited a time from); `b` goes in by time. */
function mergeByTime(a: readonly Placed[], b: readonly Placed[]): Placed[] {
  const out: Placed[] = [];
  let j = 0;
  for (const p of a) {
    while (j < b.length && p.at !== null && (b[j]!.at ?? Number.NEGATIVE_INFINITY) < p.at) out.push(b[j++]!);
    out.push(p);
  }
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** The lines of `fresh` that no line of `known` already is (same event, same words, a time both can have). */
export function withoutDuplicates(fresh: readonly Placed[], known: readonly Placed[]): Placed[] {
  const byText = new Map<string, { readonly p: Placed; readonly until: number | null }[]>();
  const untilOf = latestPossibleTimes(known);
  known.forEach((p, i) => {
    const key = lineKey(p);
    const list = byText.get(key) ?? [];
    list.push({ p, until: untilOf[i] ?? null });
    byText.set(key, list);
  });
  const used = new Set<Placed>();
  return fresh.filter((p) => {
    const candidates = byText.get(lineKey(p)) ?? [];
    const twin = candidates.find(
      (c) => !used.has(c.p) && c.p.source !== p.source && couldBeSameMoment(p, c.p, c.until),
    );
    if (twin === undefined) return true;
    used.add(twin.p);
    return false;
  });
}

/** rsyslog writes a control character as `#` and three octal digits (a tab as `#011`). */
const RSYSLOG_ESCAPE = /#(?<octal>[0-3][0-7]{2})/g;

/**
 * An event type and the words the app wrote, without any stamp of its own (the journal keeps it in MESSAGE) and with
 * rsyslog's escapes undone, so the same line from syslog, the journal and running.log has one key.
 */
function lineKey(p: Placed): string {
  const message = p.observation.event.record.message;
  const words = (parseAppStamp(message)?.message ?? message).replace(
    RSYSLOG_ESCAPE,
    (_match, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)),
  );
  return `${p.observation.event.type}\u0000${words.trim()}`;
}

/**
 * For each line, the latest time it can have been written: its own stamp, or for an untimed line (a panic in
 * running.log) the next stamped line of its source; null when nothing bounds it.
 */
function latestPossibleTimes(placed: readonly Placed[]): (number | null)[] {
  const until: (number | null)[] = new Array(placed.length).fill(null);
  let next: number | null = null;
  let source: ScannedSource | null = null;
  for (let i = placed.length - 1; i >= 0; i--) {
    const p = placed[i]!;
    if (p.source !== source) {
      source = p.source;
      next = null;
    }
    if (p.exact) next = p.at;
    until[i] = p.exact ? p.at : next;
  }
  return until;
}

function couldBeSameMoment(p: Placed, known: Placed, knownUntil: number | null): boolean {
  if (p.at === null || known.at === null) return p.at === known.at;
  const from = known.at - SAME_LINE_SLACK_MS;
  const to = (knownUntil ?? Number.POSITIVE_INFINITY) + SAME_LINE_SLACK_MS;
  return p.at >= from && p.at <= to;
}

/**
 * A JVM that threw OutOfMemoryErrors and went on logging did not die of them: one note per life on the source that
 * holds the first, so the operator still sees them.
 */
export function noteSurvivedOoms(lives: readonly AppLife[], app: string, clock: Clock): void {
  for (const life of lives) {
    const errors = life.survivedOoms.flatMap((episode) => episode.errors);
    const first = errors[0];
    const lastEpisode = life.survivedOoms[life.survivedOoms.length - 1];
    if (first === undefined || lastEpisode === undefined) continue;
    const e = first.observation.event;
    if (e.type !== 'app.runtime-oom') continue;
    const at = (p: Placed): string => (p.at === null ? '' : ` at ${clock.iso(p.at) ?? ''}`);
    const last = errors[errors.length - 1]!;
    const what =
      errors.length === 1
        ? `"${e.message}"${at(first)}`
        : `${errors.length} OutOfMemoryErrors, the first "${e.message}"${at(first)}, the last${at(last)},`;
    const note = `${app} logged ${what} and went on running (it wrote again${at(lastEpisode.later)}): not a death`;
    if (!first.source.notes.includes(note)) first.source.notes.push(note);
  }
}
