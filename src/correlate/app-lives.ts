// The app's lives as its own output tells them: each startup sequence begins a life, and so does a new pid where the
// output carries one (a unit's stdout in syslog or the journal); a life ends with its dying words (a caught signal, a
// panic, the runtime's out-of-memory abort) or with a cliff — output that just stops and is followed by the next
// startup. A Java OutOfMemoryError followed by the program's own lines was survived, not died of.
import type { AppStart } from '../recognise/event.js';
import type { Placed } from './placed.js';

export type LifeEnd = 'shutdown' | 'panic' | 'runtime-oom';

export interface AppLife {
  readonly start: Placed | null;
  /** The process's pid, when its lines carry one (a unit's stdout in syslog or the journal). */
  pid: number | null;
  readonly markers: Set<AppStart['marker']>;
  /** The last line the life wrote and the last one with a timestamp (often the same). */
  lastLine: Placed | null;
  lastTimedLine: Placed | null;
  end: LifeEnd | null;
  /** The dying words, first one first. */
  readonly endEvidence: Placed[];
  /** `进程结束，开始重启` lines: the binary re-executed itself under the same pid. */
  readonly inPlaceRestarts: Placed[];
  /** OutOfMemoryErrors the process lived through: the errors of each episode, and the first line of its own after. */
  readonly survivedOoms: { readonly errors: readonly Placed[]; readonly later: Placed }[];
}

/** A death the app log shows: a life that ended (dying words) or that was followed by another startup. */
export interface AppDeath {
  readonly life: AppLife;
  readonly next: AppLife | null;
  /** Last sign of life (timed). */
  readonly lower: number | null;
  /** When the next life started, if it did. */
  readonly upper: number | null;
}

export function findAppLives(placed: readonly Placed[]): AppLife[] {
  const lives: AppLife[] = [];
  let life: AppLife | null = null;
  let inPlace = false;
  // The life's end so far rests only on errors a JVM may survive (see AppRuntimeOom.fatal).
  let survivableEnd = false;
  const newProcesses = processStarts(placed);
  const begin = (start: Placed | null): AppLife => {
    const next: AppLife = {
      start,
      pid: null,
      markers: new Set(),
      lastLine: null,
      lastTimedLine: null,
      end: null,
      endEvidence: [],
      inPlaceRestarts: [],
      survivedOoms: [],
    };
    lives.push(next);
    survivableEnd = false;
    return next;
  };
  for (const p of placed) {
    const e = p.observation.event;
    // A new pid begins a life, unless this life has no pid yet: a banner in running.log (which carries none) began it,
    // and a system log shows its pid only now.
    if (life !== null && life.pid !== null && newProcesses.has(p)) {
      life = begin(p);
      inPlace = false;
    }
    switch (e.type) {
      case 'app.start': {
        if (life && inPlace) {
          // Same process after syscall.Exec: its startup lines are not a new life.
          life.markers.clear();
          inPlace = false;
        } else if (
          !life ||
          life.end !== null ||
          life.markers.has(e.marker) ||
          // A new pid's first line already began this life: its banner is that life's start, not another one.
          (life.start !== p && beginsLife(life, e.marker))
        ) {
          // What nohup printed before the first banner is no life of its own.
          if (life && isPreamble(life)) lives.pop();
          life = begin(p);
        }
        life.markers.add(e.marker);
        break;
      }
      case 'app.restart-in-place':
        life ??= begin(null);
        life.inPlaceRestarts.push(p);
        inPlace = true;
        break;
      case 'app.port-in-use':
        // A second copy found the port taken and exited at once: its startup lines were not a new life of the app.
        if (life?.start && lives.length > 1 && life.lastLine === null) {
          lives.pop();
          life = lives[lives.length - 1]!;
        }
        break;
      case 'app.shutdown':
      case 'app.panic':
      case 'app.runtime-oom': {
        life ??= begin(null);
        const end: LifeEnd =
          e.type === 'app.shutdown' ? 'shutdown' : e.type === 'app.panic' ? 'panic' : 'runtime-oom';
        const survivable = e.type === 'app.runtime-oom' && !e.fatal;
        // The runtime's OOM abort prints `fatal error: …` and a goroutine dump that can look like a panic: it wins.
        if (life.end === null || (end === 'runtime-oom' && life.end === 'panic')) {
          life.end = end;
          survivableEnd = survivable;
        } else if (!survivable) survivableEnd = false;
        life.endEvidence.push(p);
        break;
      }
      case 'app.line':
        life ??= begin(null);
        if (life.end !== null && survivableEnd && !e.report) {
          // The JVM caught its OutOfMemoryError and went on: the life goes on.
          life.survivedOoms.push({ errors: [...life.endEvidence], later: p });
          life.end = null;
          life.endEvidence.length = 0;
          survivableEnd = false;
        }
        if (life.end !== null) break;
        life.lastLine = p;
        if (p.exact) life.lastTimedLine = p;
        break;
      default:
        break;
    }
    if (life !== null && life.pid === null) life.pid = e.record.pid;
  }
  lives.forEach((l, i) => {
    if (i < lives.length - 1) diedOfSurvivedOom(l);
  });
  return lives;
}

/** A JVM whose own lines stop this soon after an OutOfMemoryError (shutdown hooks, a last log line) died of it. */
const OOM_THEN_STOP_MS = 60_000;

/**
 * A life that a next one followed, whose last OutOfMemoryError came shortly before its output stopped: the lines in
 * between were the JVM closing down (connection pools, `Application run failed`), not the program going on.
 */
function diedOfSurvivedOom(life: AppLife): void {
  const episode = life.survivedOoms[life.survivedOoms.length - 1];
  const lastAt = life.lastTimedLine?.at ?? life.lastLine?.at ?? null;
  const errorAt = episode?.errors[0]?.at ?? null;
  if (episode === undefined || life.end !== null || lastAt === null || errorAt === null) return;
  if (lastAt - errorAt > OOM_THEN_STOP_MS) return;
  life.survivedOoms.pop();
  life.end = 'runtime-oom';
  life.endEvidence.push(...episode.errors);
}

/**
 * Lines that begin a new process: the first line of a pid never seen before, written after every earlier pid wrote
 * its last line. Pids that interleave (two copies at once, a second copy that found the port taken) tell nothing.
 */
function processStarts(placed: readonly Placed[]): Set<Placed> {
  const lastIndex = new Map<number, number>();
  placed.forEach((p, i) => {
    const pid = p.observation.event.record.pid;
    if (pid !== null) lastIndex.set(pid, i);
  });
  const starts = new Set<Placed>();
  const seen = new Set<number>();
  let lastOfSeen = -1;
  placed.forEach((p, i) => {
    const pid = p.observation.event.record.pid;
    if (pid === null || seen.has(pid)) return;
    if (seen.size > 0 && lastOfSeen < i) starts.add(p);
    seen.add(pid);
    lastOfSeen = Math.max(lastOfSeen, lastIndex.get(pid) ?? i);
  });
  return starts;
}

/**
 * A startup line that begins a new life even though the current one has not shown this marker yet: the exec-path
 * line is always a process's first output, and any banner after lines of a life whose start the log does not hold
 * (a running.log that begins mid-life, or a rotated one) is the next process — the cliff, then a new session.
 */
function beginsLife(life: AppLife, marker: AppStart['marker']): boolean {
  return marker === 'exec-path' || (life.start === null && life.markers.size === 0);
}

const NOHUP_NOTICE = /^nohup: (?<what>ignoring input|appending output)/;

/** Lines before the first startup that are only nohup's notice (written by nohup, before it runs the app). */
function isPreamble(life: AppLife): boolean {
  return (
    life.start === null &&
    life.end === null &&
    life.lastTimedLine === null &&
    life.inPlaceRestarts.length === 0 &&
    (life.lastLine === null || NOHUP_NOTICE.test(life.lastLine.observation.event.record.message))
  );
}

export function findAppDeaths(lives: readonly AppLife[]): AppDeath[] {
  const deaths: AppDeath[] = [];
  lives.forEach((life, i) => {
    const next = lives[i + 1] ?? null;
    if (!next && life.end === null) return; // still running when the log ends (or died with no word: others may tell)
    const lower = life.lastTimedLine?.at ?? life.start?.at ?? null;
    deaths.push({ life, next, lower, upper: next?.start?.at ?? null });
  });
  return deaths;
}
