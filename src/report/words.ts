// Every word oomsleuth says about a death, in one place: the causes, what is missing, what each cited line proves and
// why the deciding rule decided. The terminal report, the JSON's `says`, the guard's check.log line and the alerts
// all take their words from here, so they cannot tell one death two ways. One catalogue per language (words-en.ts,
// words-zh.ts), both of the shape `Words`: a translation left out is a type error, not an English word at run time.
import type { Cause, MissingSource, OomFigures } from '../contract/analysis.js';
import type { FindingEvidence, GuardFact, Verdict } from '../correlate/finding.js';
import type { Event } from '../recognise/event.js';
import type { Language } from './language.js';
import { formatKb } from './sizes.js';
import { EN_WORDS } from './words-en.js';
import { ZH_WORDS } from './words-zh.js';

/** Everything a cited line can be: a recognised event or what the guard saw itself. */
export type Fact = Event | GuardFact;

/** The fact whose `type` is `T` (a member whose `type` is a union of several answers each of them). */
export type FactOf<T extends Fact['type']> = Fact extends infer F
  ? F extends { readonly type: infer U }
    ? T extends U
      ? F
      : never
    : never
  : never;

/** What a line of each kind proves, in a few words: one entry per fact type, so none can be forgotten. */
export type FactWords = { readonly [T in Fact['type']]: (fact: FactOf<T>) => string };

export interface Words {
  /** The verdict: `killed by the kernel OOM killer`. */
  readonly cause: Readonly<Record<Cause, string>>;
  /** A death of each cause, counted: `1 OOM kill`, `2 crashes` (the report's summary line). */
  readonly causeCount: (cause: Cause, n: number) => string;
  /** `3 deaths: 1 OOM kill, 1 crash`, from the total and the counted causes. */
  readonly deathCount: (total: number, counted: readonly string[]) => string;
  readonly noDeaths: string;
  /** What would settle a death, per missing source. */
  readonly missing: Readonly<Record<MissingSource, string>>;
  /** What a line proves by the part it plays in the death rather than by what it says. */
  readonly role: {
    readonly guardianLastAlive: string;
    readonly guardianFirstDead: string;
    readonly nextStart: string;
    readonly stopScript: string;
  };
  readonly fact: FactWords;
}

/** The catalogue of each language. */
export const WORDS: Readonly<Record<Language, Words>> = { en: EN_WORDS, zh: ZH_WORDS };

/** `3 deaths: 1 OOM kill, 1 crash, 1 stop`, causes in the contract's order; `no deaths found` for none. */
export function deathCountWords(causes: readonly Cause[], language: Language): string {
  const words = WORDS[language];
  if (causes.length === 0) return words.noDeaths;
  const counted = (Object.keys(words.cause) as Cause[])
    .map((cause) => [cause, causes.filter((c) => c === cause).length] as const)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => words.causeCount(cause, n));
  return words.deathCount(causes.length, counted);
}

/** What a cited line proves, in a few words. */
export function says(e: FindingEvidence, language: Language): string {
  const words = WORDS[language];
  switch (e.role) {
    case 'guardian-last-alive':
      return words.role.guardianLastAlive;
    case 'guardian-first-dead':
      return words.role.guardianFirstDead;
    case 'next-start':
      return words.role.nextStart;
    case 'stop-record':
      if (e.fact.type === 'guardian.check') return words.role.stopScript;
      break;
  }
  return describe(e.fact, words);
}

/** What a line proves, in a few words. */
function describe(fact: Fact, words: Words): string {
  // The catalogue has one entry per type; TypeScript cannot pair the entry with the fact's own member type.
  return (words.fact[fact.type] as (f: Fact) => string)(fact);
}

/** What the guard knew around a verdict, for the words of its check.log line. */
export interface VerdictContext {
  readonly pid: number | null;
  /** Where the kernel log was read (null: it could not be, `problem` says why). */
  readonly kernelLog: { readonly via: string | null; readonly problem: string | null };
  readonly oom: OomFigures | null;
  readonly memoryLimitKb: number | null;
}

/**
 * Why the verdict is what it is, in one sentence (the rest of the guard's `died:` line after `cause (confidence): `).
 * Always English, whatever `--lang`: check.log is read back by oomsleuth's own recognisers and by operators' scripts.
 */
export function explainVerdict(verdict: Verdict, ctx: VerdictContext): string {
  const first = verdict.because[0];
  const fact = first?.fact;
  const unread =
    ctx.kernelLog.via === null
      ? ` (kernel log not readable: ${ctx.kernelLog.problem ?? 'unknown reason'})`
      : '';
  const pid = ctx.pid ?? '?';
  const { reason } = verdict;
  switch (reason.kind) {
    case 'kernel-kill': {
      const rss = ctx.oom?.anonRssKb == null ? '' : `, anon-rss ${formatKb(ctx.oom.anonRssKb)}`;
      const limit =
        ctx.oom?.scope === 'memcg' && ctx.memoryLimitKb
          ? `, memory cgroup limit ${formatKb(ctx.memoryLimitKb)}`
          : '';
      return `kernel killed pid ${pid}${rss}${limit}${reason.byOrder ? ' (tied to this death by order: its time is not known)' : ''}`;
    }
    case 'memcg-oom-count': {
      if (fact?.type !== 'memcg.oom-count') break;
      const rise = `oom_kill of memory cgroup ${fact.cgroup} rose ${fact.before}→${fact.after}`;
      return reason.own
        ? `${rise}${unread}`
        : `${rise}, a cgroup it shares with other processes, and no kernel record names pid ${pid}${unread}`;
    }
    case 'guard-stop':
      // The stop as the guard recorded it: `SIGTERM from the guard (why)[, SIGKILL after 10s without exiting]`.
      return first?.text ?? 'the guard stopped it';
    case 'runtime-oom':
    case 'panic':
      if (fact?.type === 'app.runtime-oom' || fact?.type === 'app.panic') return fact.message;
      break;
    case 'fault-signal':
      return `killed by ${reason.signal}, a fault of its own`;
    case 'shutdown-words':
      return `it printed "${first?.text.trim() ?? ''}" on a signal nobody recorded sending${SIGTERM_FIRST}`;
    case 'stop-signal':
      return `${reason.signal} from someone else${SIGTERM_FIRST}`;
    case 'sigkill-memory-pressure':
      return `SIGKILL and ${verdict.because.map((e) => describe(e.fact, EN_WORDS)).join(' and ')}${unread}`;
    case 'sigkill-unexplained': {
      const end = fact?.type === 'guard.exit' && !fact.known ? 'it ended' : 'SIGKILL';
      return ctx.kernelLog.via === null
        ? `${end} and nothing says who killed it${unread}`
        : `${end} and no kernel OOM record for pid ${pid} in ${ctx.kernelLog.via}: a kill from user space (kill -9, pkill, stop.sh, the app's own start-up check) or an OOM daemon — the system log would tell`;
    }
    case 'port-in-use':
      return 'the port is in use (another copy running?)';
    case 'other-signal':
      return `killed by ${reason.signal} with no panic or fatal error in the app log`;
    case 'exit-code':
      return `exit code ${reason.code ?? '?'} with no panic or fatal error in the app log`;
    case 'exit-zero':
      return 'exited with code 0 by itself, no last words in the app log';
    case 'no-record':
      return 'no record says why it died';
  }
  return first ? says(first, 'en') : EN_WORDS.cause[verdict.cause];
}

const SIGTERM_FIRST = ' (an OOM daemon such as earlyoom sends SIGTERM first: see the system log)';
