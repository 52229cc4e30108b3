// The evidence of each OOM death from what the scan kept (analyze; watch's live correlator holds the same sources):
// the kernel report around the kill line (Mem-Info figures, the folded task table, the memcg counter, the trigger),
// the app's work lines before the death and its runtime. Nothing is read again: only kept observations are walked.
import type { Clock } from '../clock/clock.js';
import { startOfDayMs } from '../clock/zone.js';
import { DIAGNOSED_CAUSES } from '../contract/analysis.js';
import { type DeathFinding, killLine } from '../correlate/finding.js';
import { sameProcessName } from '../correlate/names.js';
import { WORK_KINDS, type WorkKind } from '../recognise/app-work.js';
import type { Event } from '../recognise/event.js';
import type { Observation, ScannedSource } from '../scan/observation.js';
import { type Diagnosis, diagnose } from './diagnose.js';
import {
  type Cited,
  type DiagnosisContext,
  type IncidentEvidence,
  type Runtime,
  WORK_WINDOW_MS,
} from './evidence.js';

/** A report's lines are printed within this long of its kill line (the kernel prints the block in milliseconds). */
const REPORT_SPAN_MS = 30_000;
/** …and within this many lines of it (the task table's rows are not kept, but they are counted in line numbers). */
const REPORT_SPAN_LINES = 20_000;
/** A page is 4 KiB on x86-64 and most arm64 distributions; the kernel's table and Mem-Info count pages. */
const PAGE_KB = 4;

export interface ScanContext {
  readonly sources: readonly ScannedSource[];
  readonly clock: Clock;
  /** The report's zone (the time of day of a kill). */
  readonly zone: string;
  /** The app in focus: the app logs are its output (its runtime); null with no focus. */
  readonly app: string | null;
}

/** What one death is diagnosed from: its evidence and the other deaths of its process. */
export interface DiagnosisInput {
  readonly evidence: IncidentEvidence;
  readonly context: DiagnosisContext;
}

/** The diagnosis of every OOM death among `deaths`, by death; other deaths get none. */
export function diagnoseDeaths(
  deaths: readonly DeathFinding[],
  scan: ScanContext,
): Map<DeathFinding, Diagnosis> {
  const out = new Map<DeathFinding, Diagnosis>();
  for (const [death, input] of diagnosisInputs(deaths, scan))
    out.set(death, diagnose(input.evidence, input.context));
  return out;
}

/** The evidence and context of every OOM death among `deaths` (watch adds the guard's memory curve to them later). */
export function diagnosisInputs(
  deaths: readonly DeathFinding[],
  scan: ScanContext,
): Map<DeathFinding, DiagnosisInput> {
  const out = new Map<DeathFinding, DiagnosisInput>();
  const ooms = deaths.filter((d) => DIAGNOSED_CAUSES.has(d.verdict.cause));
  const minuteOfDay = (ms: number) => Math.floor((ms - startOfDayMs(ms, scan.zone)) / 60_000);
  for (const death of ooms) {
    // With no app in focus every OOM-killed process is a death: each has its own rhythm and runtime.
    const same = ooms.filter((d) => sameProcessName(d.process, death.process) && d.diedAtMs !== null);
    const context: DiagnosisContext = {
      kills: same.map((d) => ({ atMs: d.diedAtMs!, rssKb: rssOf(d) })),
      minuteOfDay,
    };
    const runtime = runtimeOf(scan.sources, death.process, scan.app);
    out.set(death, { evidence: evidenceOf(death, scan, runtime), context });
  }
  return out;
}

/** One OOM death's evidence from the scanned sources. */
export function evidenceOf(
  death: DeathFinding,
  scan: ScanContext,
  runtime: Runtime | null,
): IncidentEvidence {
  const kill = killLine(death.evidence);
  const killCited: Cited | null = kill ? { source: kill.source, line: kill.line } : null;
  const report =
    kill?.sourceId != null && kill.line !== null ? reportAround(scan, kill.sourceId, kill.line) : [];
  const cite = (o: Observation): Cited => ({
    source: sourceName(scan.sources, o.event.record.sourceId),
    line: o.event.record.lineNo,
  });
  const first = <T extends Event['type']>(
    type: T,
    also: (e: Extract<Event, { type: T }>) => boolean = () => true,
  ) =>
    report.find((o) => o.event.type === type && also(o.event as Extract<Event, { type: T }>)) as
      | (Observation & { event: Extract<Event, { type: T }> })
      | undefined;

  const ram = first('oom.mem-info', (e) => e.field === 'ram-pages');
  const swapTotal = first('oom.mem-info', (e) => e.field === 'swap-total-kb');
  const swapFree = first('oom.mem-info', (e) => e.field === 'swap-free-kb');
  const hostLines = [ram, swapTotal, swapFree].filter((o) => o !== undefined);
  const usage = first('memcg.usage');
  const constraint = first('oom.constraint', (e) => e.oomMemcg !== null);
  const taskIn = first('memcg.task-in');
  const table = first('oom.task-summary');
  const invoked = first('oom.invoked');
  return {
    process: death.process,
    runtime,
    diedAtMs: death.diedAtMs,
    scope: death.oom?.scope ?? null,
    victimRssKb: rssOf(death),
    kill: killCited,
    host:
      hostLines.length === 0
        ? null
        : {
            ramKb: ram ? ram.event.value * PAGE_KB : null,
            swapTotalKb: swapTotal?.event.value ?? null,
            swapFreeKb: swapFree?.event.value ?? null,
            cited: hostLines.map(cite),
          },
    memcg: usage
      ? {
          usageKb: usage.event.usageKb,
          limitKb: usage.event.limitKb,
          cgroup: death.oom?.cgroup ?? constraint?.event.oomMemcg ?? taskIn?.event.limitMemcg ?? null,
          cited: cite(usage),
        }
      : null,
    tasks: table
      ? {
          tasks: table.event.tasks,
          totalRssKb: table.event.totalRssPages * PAGE_KB,
          top: table.event.top.map((t) => ({ process: t.process, pid: t.pid, rssKb: t.rssPages * PAGE_KB })),
          cited: cite(table),
        }
      : null,
    trigger: invoked ? { process: invoked.event.trigger, cited: cite(invoked) } : null,
    curve: null,
    work: death.diedAtMs === null ? null : workBefore(scan, death.diedAtMs),
  };
}

/** The victim's RSS at the kill: anon + file + shmem of the kill line. */
function rssOf(death: DeathFinding): number | null {
  const oom = death.oom;
  if (oom === null || oom.anonRssKb === null) return null;
  return oom.anonRssKb + (oom.fileRssKb ?? 0) + (oom.shmemRssKb ?? 0);
}

/** The kept lines of the OOM report that ends at `line` of source `sourceId`, nearest first. */
function reportAround(scan: ScanContext, sourceId: number, line: number): Observation[] {
  const source = scan.sources.find((s) => s.id === sourceId);
  if (source === undefined) return [];
  const observations = source.observations;
  let hi = upperBound(observations, line);
  const killAt = hi > 0 ? scan.clock.observationTime(observations[hi - 1]!) : null;
  const out: Observation[] = [];
  while (hi > 0) {
    const o = observations[--hi]!;
    if (line - o.event.record.lineNo > REPORT_SPAN_LINES) break;
    const at = scan.clock.observationTime(o);
    if (killAt !== null && at !== null && killAt - at > REPORT_SPAN_MS) break;
    out.push(o);
    // The report's first line: what came before it belongs to another report.
    if (o.event.type === 'oom.invoked') break;
  }
  return out;
}

/** Index after the last observation at or before `line` (observations are in line order). */
function upperBound(observations: readonly Observation[], line: number): number {
  let lo = 0;
  let hi = observations.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (observations[mid]!.event.record.lineNo <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The app's work lines in the window before the death, by kind, citing the last one. */
function workBefore(scan: ScanContext, diedAtMs: number): IncidentEvidence['work'] {
  const counts = new Map<WorkKind, number>();
  let last: { cited: Cited; at: number } | null = null;
  for (const source of scan.sources) {
    for (const mark of source.workMarks) {
      if (mark.stamp === null) continue;
      const at = scan.clock.timeOf(mark.stamp, source.id);
      // The death is dated to the second at best: a line stamped in the same second still came before it.
      if (at === null || at < diedAtMs - WORK_WINDOW_MS || at > diedAtMs + 1000) continue;
      counts.set(mark.work, (counts.get(mark.work) ?? 0) + 1);
      if (last === null || at >= last.at)
        last = { cited: { source: source.displayPath, line: mark.lineNo }, at };
    }
  }
  if (counts.size === 0) return null;
  return {
    counts: WORK_KINDS.filter((w) => counts.has(w)).map((w) => ({ work: w, lines: counts.get(w)! })),
    windowMs: WORK_WINDOW_MS,
    cited: last?.cited ?? null,
  };
}

/** Go or Java, as the app's own output tells (Iris's banner, Go's runtime errors, the JVM's startup lines): only for
 * the app in focus, whose output the app logs are. */
function runtimeOf(sources: readonly ScannedSource[], process: string, app: string | null): Runtime | null {
  // AnQiCMS is a Go program: its name alone says so when its log was not given.
  if (process.toLowerCase().startsWith('anqicms')) return 'go';
  if (app === null || !sameProcessName(process, app)) return null;
  for (const source of sources) {
    for (const { event } of source.observations) {
      if (event.type === 'app.start') {
        if (event.marker === 'iris-version' || event.marker === 'exec-path') return 'go';
        if (event.marker === 'jvm-starting' || event.marker === 'jvm-started') return 'java';
      }
      if (event.type === 'app.runtime-oom') return event.message.includes('java.lang.') ? 'java' : 'go';
      if (event.type === 'app.panic' && event.message.startsWith('panic:')) return 'go';
    }
  }
  return null;
}

function sourceName(sources: readonly ScannedSource[], id: number): string {
  return sources.find((s) => s.id === id)?.displayPath ?? `source ${id}`;
}
