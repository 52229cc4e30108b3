// The app's lives as its own output tells them: each startup sequence begins a life; a life ends with its dying
// words (a caught signal, a panic, the runtime's out-of-memory abort) or with a cliff — output that just stops
// and is followed by the next startup.
import type { AppStart } from '../recognise/event.js';
import type { Placed } from './placed.js';

export type LifeEnd = 'shutdown' | 'panic' | 'runtime-oom';

export interface AppLife {
  readonly start: Placed | null;
  readonly markers: Set<AppStart['marker']>;
  /** The last line the life wrote and the last one with a timestamp (often the same). */
  lastLine: Placed | null;
  lastTimedLine: Placed | null;
  end: LifeEnd | null;
  /** The dying words, first one first. */
  readonly endEvidence: Placed[];
  /** `进程结束，开始重启` lines: the binary re-executed itself under the same pid. */
  readonly inPlaceRestarts: Placed[];
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
  const begin = (start: Placed | null): AppLife => {
    const next: AppLife = {
      start,
      markers: new Set(),
      lastLine: null,
      lastTimedLine: null,
      end: null,
      endEvidence: [],
      inPlaceRestarts: [],
    };
    lives.push(next);
    return next;
  };
  for (const p of placed) {
    const e = p.observation.event;
    switch (e.type) {
      case 'app.start': {
        if (life && inPlace) {
          // Same process after syscall.Exec: its startup lines are not a new life.
          life.markers.clear();
          inPlace = false;
        } else if (!life || life.end !== null || life.markers.has(e.marker) || beginsLife(life, e.marker)) {
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
        // The runtime's OOM abort prints `fatal error: …` and a goroutine dump that can look like a panic: it wins.
        if (life.end === null || (end === 'runtime-oom' && life.end === 'panic')) life.end = end;
        life.endEvidence.push(p);
        break;
      }
      case 'app.line':
        life ??= begin(null);
        if (life.end !== null) break;
        life.lastLine = p;
        if (p.exact) life.lastTimedLine = p;
        break;
      default:
        break;
    }
  }
  return lives;
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
