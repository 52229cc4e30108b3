// Why memory ran out for one OOM death, and what to do: rules over the evidence, tried in a fixed precedence
// (docs/diagnosis.md): another process holding the RAM, a leak, a spike, a memory cgroup's limit, a host too small —
// and "unknown", saying what to collect, when the evidence is too thin to tell.
import { sameProcessName } from '../correlate/names.js';
import { curveShape } from './curve.js';
import {
  type Advice,
  type Diagnosis,
  type DiagnosisContext,
  type DiagnosisKind,
  type DiagnosisReason,
  type IncidentEvidence,
  SWAP_EXHAUSTED,
  type TaskHolder,
} from './evidence.js';
import { leakRhythm, sameTimeOfDay } from './rhythm.js';

export type { Diagnosis, DiagnosisContext, DiagnosisKind, IncidentEvidence } from './evidence.js';

/** Another process held the RAM: the biggest holder is not the app and holds this share of the table… */
export const OTHER_SHARE = 0.4;
/** …and this many times what the app held. */
export const OTHER_OVER_APP = 2;
/** Busy before the death: this many work lines of one kind in the window. */
export const WORK_MIN_LINES = 3;
/** GOMEMLIMIT / -Xmx as a share of the memory the app may have: room for what the heap does not count. */
const HEAP_SHARE = 0.8;
const MIB = 1024;

/** The diagnosis of one OOM death from its evidence and the other deaths of the app. */
export function diagnose(evidence: IncidentEvidence, context: DiagnosisContext): Diagnosis {
  const facts = readFacts(evidence, context);
  const kind = decide(facts);
  return {
    kind,
    process: evidence.process,
    because: reasonsFor(kind, facts),
    advice: adviceFor(kind, facts),
  };
}

interface Facts {
  readonly e: IncidentEvidence;
  readonly appRssKb: number | null;
  readonly other: TaskHolder | null;
  readonly curve: ReturnType<typeof curveShape>;
  readonly leak: ReturnType<typeof leakRhythm>;
  readonly sameTime: ReturnType<typeof sameTimeOfDay>;
  /** The busiest work kind in the window, when busy. */
  readonly work: {
    readonly work: NonNullable<IncidentEvidence['work']>['counts'][number]['work'];
    readonly lines: number;
  } | null;
  readonly noSwap: boolean | null;
  readonly memcgBound: boolean;
}

function readFacts(e: IncidentEvidence, context: DiagnosisContext): Facts {
  const appRow = e.tasks?.top.find((t) => sameProcessName(t.process, e.process)) ?? null;
  const appRssKb = e.victimRssKb ?? appRow?.rssKb ?? null;
  const biggest = e.tasks?.top[0] ?? null;
  const other =
    biggest !== null &&
    e.tasks !== null &&
    !sameProcessName(biggest.process, e.process) &&
    biggest.rssKb >= OTHER_SHARE * e.tasks.totalRssKb &&
    biggest.rssKb >= OTHER_OVER_APP * (appRow?.rssKb ?? appRssKb ?? 0)
      ? biggest
      : null;
  const busiest = [...(e.work?.counts ?? [])].sort((a, b) => b.lines - a.lines)[0];
  const swapTotal = e.host?.swapTotalKb ?? null;
  const swapFree = e.host?.swapFreeKb ?? null;
  return {
    e,
    appRssKb,
    other,
    curve: e.curve === null ? null : curveShape(e.curve.samples, e.curve.limitKb),
    leak: leakRhythm(context, e.diedAtMs),
    sameTime: sameTimeOfDay(context, e.diedAtMs),
    work: busiest !== undefined && busiest.lines >= WORK_MIN_LINES ? busiest : null,
    noSwap:
      swapTotal === null && swapFree === null
        ? null
        : swapTotal === 0 ||
          (swapTotal !== null && swapFree !== null && swapFree < SWAP_EXHAUSTED * swapTotal),
    memcgBound: e.scope === 'memcg' || (e.memcg !== null && e.memcg.usageKb >= e.memcg.limitKb * 0.9),
  };
}

/** The precedence of docs/diagnosis.md: the first rule the evidence satisfies decides. */
function decide(f: Facts): DiagnosisKind {
  if (f.other !== null && !f.memcgBound) return 'other-process';
  if (f.curve?.shape === 'growth') return 'leak';
  if (f.curve?.shape === 'spike' || f.work !== null || f.sameTime !== null) return 'spike';
  if (f.leak !== null) return 'leak';
  if (f.memcgBound && (f.e.memcg !== null || f.curve?.shape === 'plateau')) return 'limit-too-low';
  if (f.e.scope !== 'memcg' && f.e.host?.ramKb != null && f.noSwap === true) return 'undersized';
  return 'unknown';
}

function reasonsFor(kind: DiagnosisKind, f: Facts): DiagnosisReason[] {
  const e = f.e;
  const out: DiagnosisReason[] = [];
  const decisive: DiagnosisReason[] = [];
  if (f.curve !== null && e.curve !== null)
    decisive.push({ cited: e.curve.cited, fact: { kind: 'curve', ...f.curve } });
  if (f.work !== null && e.work !== null)
    decisive.push({
      cited: e.work.cited,
      fact: { kind: 'work', work: f.work.work, lines: f.work.lines, windowMs: e.work.windowMs },
    });
  if (f.sameTime !== null) decisive.push({ cited: e.kill, fact: { kind: 'same-time', ...f.sameTime } });
  if (f.leak !== null) decisive.push({ cited: e.kill, fact: { kind: 'rhythm', ...f.leak } });
  const context: DiagnosisReason[] = [];
  if (f.appRssKb !== null)
    context.push({ cited: e.kill, fact: { kind: 'victim-rss', process: e.process, rssKb: f.appRssKb } });
  if (e.tasks !== null)
    context.push({
      cited: e.tasks.cited,
      fact: { kind: 'holders', top: e.tasks.top, totalRssKb: e.tasks.totalRssKb, tasks: e.tasks.tasks },
    });
  if (e.host !== null)
    context.push({
      cited: e.host.cited[0] ?? null,
      fact: {
        kind: 'host-memory',
        ramKb: e.host.ramKb,
        swapTotalKb: e.host.swapTotalKb,
        swapFreeKb: e.host.swapFreeKb,
      },
    });
  if (e.memcg !== null)
    context.push({
      cited: e.memcg.cited,
      fact: { kind: 'memcg', usageKb: e.memcg.usageKb, limitKb: e.memcg.limitKb, cgroup: e.memcg.cgroup },
    });
  if (e.trigger !== null && !sameProcessName(e.trigger.process, e.process))
    context.push({ cited: e.trigger.cited, fact: { kind: 'trigger', process: e.trigger.process } });
  switch (kind) {
    case 'other-process':
    case 'undersized':
    case 'limit-too-low':
      // The kernel's figures decide these; what the app did only colours them.
      out.push(...context, ...decisive);
      break;
    case 'unknown':
      out.push(...context, ...decisive, { cited: null, fact: { kind: 'thin' } });
      break;
    default:
      out.push(...decisive, ...context);
  }
  return out;
}

function adviceFor(kind: DiagnosisKind, f: Facts): Advice[] {
  const e = f.e;
  const ramMib = e.host?.ramKb != null ? e.host.ramKb / MIB : null;
  const limitMib =
    e.memcg !== null ? e.memcg.limitKb / MIB : e.curve?.limitKb != null ? e.curve.limitKb / MIB : null;
  const appMib = f.appRssKb !== null ? f.appRssKb / MIB : null;
  const othersMib =
    e.tasks !== null && f.appRssKb !== null ? Math.max(0, (e.tasks.totalRssKb - f.appRssKb) / MIB) : 0;
  /** What the app may have: its cgroup's limit, else the host's RAM less what the others held. */
  const roomMib = limitMib ?? (ramMib !== null ? ramMib - othersMib : null);
  const heap = (): Advice[] => {
    if (roomMib === null || roomMib <= 0) return [];
    const mib = roundMib(roomMib * HEAP_SHARE);
    if (e.runtime === 'go') return [{ kind: 'gomemlimit', mib }];
    if (e.runtime === 'java') return [{ kind: 'java-xmx', mib }];
    return [];
  };
  const swap = (): Advice[] =>
    f.noSwap === true && ramMib !== null ? [{ kind: 'add-swap', mib: roundMib(Math.min(ramMib, 2048)) }] : [];
  const capApp = (): Advice[] =>
    appMib !== null && limitMib === null && ramMib !== null
      ? [{ kind: 'memory-limit', mib: roundMib(Math.min(ramMib - othersMib, ramMib * 0.9)) }]
      : [];
  switch (kind) {
    case 'other-process':
      return [
        { kind: 'cap-other', process: f.other!.process, rssMib: roundMib(f.other!.rssKb / MIB) },
        ...(appMib !== null ? [{ kind: 'memory-limit' as const, mib: roundMib(appMib * 1.5) }] : []),
        ...swap(),
      ];
    case 'leak':
      return [
        { kind: 'find-leak', runtime: e.runtime, everyMs: f.leak?.everyMs ?? null },
        ...(appMib !== null
          ? [
              {
                kind: 'memory-limit' as const,
                mib: roundMib(Math.min(appMib * 0.9, limitMib ?? Number.POSITIVE_INFINITY)),
              },
            ]
          : []),
        ...heap(),
      ];
    case 'spike':
      return [
        ...(f.sameTime !== null ? [{ kind: 'move-job' as const, minuteOfDay: f.sameTime.minuteOfDay }] : []),
        ...(f.work !== null ? [{ kind: 'throttle-work' as const, work: f.work.work }] : []),
        ...heap(),
        ...swap(),
        ...capApp(),
      ];
    case 'limit-too-low': {
      const from = limitMib ?? 0;
      const used = e.memcg?.usageKb ?? e.curve?.limitKb ?? 0;
      return [
        {
          kind: 'raise-limit',
          fromMib: roundMib(from),
          toMib: roundMib(Math.max(from, used / MIB) * 1.5),
          cgroup: e.memcg?.cgroup ?? null,
        },
        ...heap(),
      ];
    }
    case 'undersized':
      return [
        ...swap(),
        ...(ramMib !== null ? [{ kind: 'bigger-instance' as const, gib: nextInstanceGib(ramMib) }] : []),
        ...heap(),
      ];
    case 'unknown':
      return [
        ...(e.curve === null ? [{ kind: 'collect-curve' as const }] : []),
        ...(e.tasks === null ? [{ kind: 'collect-task-table' as const }] : []),
        ...(e.host === null && e.memcg === null ? [{ kind: 'collect-kernel-report' as const }] : []),
      ];
  }
}

/** The next common instance size above the host's RAM: twice it, in whole GiB. */
function nextInstanceGib(ramMib: number): number {
  return Math.max(1, 2 ** Math.ceil(Math.log2((ramMib * 2) / 1024 - 0.01)));
}

/** Whole MiB, to 64 MiB steps above 1 GiB (a limit nobody types to the MiB). */
function roundMib(mib: number): number {
  if (mib >= 1024) return Math.floor(mib / 64) * 64;
  return Math.max(1, Math.floor(mib));
}
