// The evidence of an OOM death as `oomsleuth guard` saw it itself: its memory samples (the curve), its own memory
// cgroup's limit, the kernel's kill line it read, the life's output (work lines before the death) and the OOM deaths
// of its earlier lives (the rhythm). Loaded by the guard at a death only (a dynamic import): the resident guard
// does not carry it.
import type { OomFigures } from '../contract/analysis.js';
import { appLog } from '../framing/app-log.js';
import { WORK_KINDS, type WorkKind, workOf } from '../recognise/app-work.js';
import { memoryCurve } from './curve.js';
import { type Diagnosis, diagnose } from './diagnose.js';
// Not from-scan.js: it brings the clock's zone library, which the guard keeps out of its memory.
import { type Cited, type IncidentEvidence, type Runtime, WORK_WINDOW_MS } from './evidence.js';

export interface GuardDeath {
  readonly process: string;
  readonly diedAtMs: number;
  readonly oom: OomFigures | null;
  /** The kernel's kill line, where the guard read one. */
  readonly kill: Cited | null;
  readonly samples: readonly {
    readonly at: number;
    readonly rssKb: number | null;
    readonly cgroupUsageKb: number | null;
  }[];
  /** Its memory cgroup (`--memory-limit`): path and limit, kB; null without one. */
  readonly memcg: { readonly path: string; readonly limitKb: number | null } | null;
  /** What the life wrote to the app log (its tail), for the work lines before the death. */
  readonly output: string;
  readonly appLog: string;
  /** The OOM deaths of this guard's earlier lives, oldest first, this one not among them. */
  readonly earlierKills: readonly { readonly atMs: number; readonly rssKb: number | null }[];
}

const GUARD = 'oomsleuth guard';

/** Why memory ran out, from what the guard saw. Times of day in this machine's zone (the guard runs on it). */
export function diagnoseGuardDeath(death: GuardDeath): Diagnosis {
  const rssKb = victimRss(death);
  const lastUsage = death.samples.findLast((s) => s.cgroupUsageKb !== null)?.cgroupUsageKb ?? null;
  const evidence: IncidentEvidence = {
    process: death.process,
    runtime: runtimeOf(death.process, death.output),
    diedAtMs: death.diedAtMs,
    scope: death.oom?.scope ?? (death.memcg?.limitKb != null ? 'memcg' : null),
    victimRssKb: rssKb,
    kill: death.kill,
    host: null,
    memcg:
      death.memcg?.limitKb != null && lastUsage !== null
        ? {
            usageKb: lastUsage,
            limitKb: death.memcg.limitKb,
            cgroup: death.memcg.path,
            cited: { source: GUARD, line: null },
          }
        : null,
    tasks: null,
    trigger: death.oom?.invokedBy
      ? { process: death.oom.invokedBy, cited: death.kill ?? { source: GUARD, line: null } }
      : null,
    curve: memoryCurve(
      death.samples.map((s) => ({ atMs: s.at, rssKb: s.rssKb, cgroupUsageKb: s.cgroupUsageKb })),
      death.memcg?.limitKb ?? null,
      { source: GUARD, line: null },
    ),
    work: workBefore(death.output, death.diedAtMs, death.appLog),
  };
  return diagnose(evidence, {
    kills: [...death.earlierKills, { atMs: death.diedAtMs, rssKb }],
    minuteOfDay: (ms) => {
      const d = new Date(ms);
      return d.getHours() * 60 + d.getMinutes();
    },
  });
}

function victimRss(death: GuardDeath): number | null {
  const o = death.oom;
  if (o?.anonRssKb != null) return o.anonRssKb + (o.fileRssKb ?? 0) + (o.shmemRssKb ?? 0);
  const last = death.samples.findLast((s) => s.rssKb !== null);
  return last?.rssKb ?? null;
}

/** Work lines of the life's output stamped in the window before the death (untimed ones take the last stamp). */
function workBefore(output: string, diedAtMs: number, source: string): IncidentEvidence['work'] {
  const framer = appLog.createFramer(0);
  const counts = new Map<WorkKind, number>();
  let stampMs: number | null = null;
  let last: Cited | null = null;
  let lineNo = 0;
  for (const text of output.split('\n')) {
    lineNo++;
    const record = framer.frame({ sourceId: 0, lineNo, text });
    if (record === null) continue;
    const s = record.stamp;
    // The guard runs on the machine whose local time the app printed: Date's local zone is the right one.
    if (s.kind === 'local' && s.year !== null)
      stampMs = new Date(s.year, s.month - 1, s.day, s.hour, s.minute, s.second).getTime();
    else if (s.kind === 'instant') stampMs = s.ms;
    const work = workOf(record.message);
    if (work === null || stampMs === null || stampMs < diedAtMs - WORK_WINDOW_MS || stampMs > diedAtMs + 1000)
      continue;
    counts.set(work, (counts.get(work) ?? 0) + 1);
    // The output is the tail of the file: its line numbers are the tail's, so no line is cited.
    last = { source, line: null };
  }
  if (counts.size === 0) return null;
  return {
    counts: WORK_KINDS.filter((w) => counts.has(w)).map((w) => ({ work: w, lines: counts.get(w)! })),
    windowMs: WORK_WINDOW_MS,
    cited: last,
  };
}

function runtimeOf(process: string, output: string): Runtime | null {
  if (
    process.toLowerCase().startsWith('anqicms') ||
    output.includes('Iris Version:') ||
    output.includes('goroutine ')
  )
    return 'go';
  if (output.includes('java.lang.')) return 'java';
  return null;
}
