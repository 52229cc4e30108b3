// Incremental correlation without a second correlator: each run hands the bounded window of every followed source
// to the shared `correlate()` (the same one `analyze` uses), and decides which of the incidents it returns are final.
// A kernel (or OOM daemon) kill record naming the app is final at once; a death seen only in the guardian or app log
// waits a settle window for kernel evidence, then is final with whatever is known. An incident is recognised from
// run to run, and across restarts, by the kernel event it reports and the lines it was built from (see identity.ts).
import { hostname } from 'node:os';
import { Clock } from '../clock/clock.js';
import { formatIso } from '../clock/zone.js';
import type { Incident } from '../contract/analysis.js';
import { correlate } from '../correlate/correlate.js';
import { type DeathFinding, type EvidenceRole, killLine } from '../correlate/finding.js';
import { sameProcessName } from '../correlate/names.js';
import { diagnose } from '../diagnose/diagnose.js';
import { type DiagnosisInput, diagnosisInputs } from '../diagnose/from-scan.js';
import { diagnosisOf } from '../report/diagnosis-words.js';
import { evidenceOf, incidentOf } from '../report/incident.js';
import type { Language } from '../report/language.js';
import type { IncidentKind } from '../store/records.js';
import { eventKeys, lineKey } from './identity.js';
import type { LiveSource } from './live-source.js';

export interface LiveCorrelatorOptions {
  /** `--app`; null: the guardian log's name, or no focus (every OOM-killed process is an incident). */
  readonly app: string | null;
  readonly zone: string;
  /** The language of each evidence line's `says` in the stored incident (--lang, else English). */
  readonly language: Language;
  /** How long a death seen without a kill record waits for one. */
  readonly settleMs: number;
  /** This boot's wall-clock start (for /dev/kmsg's monotonic stamps). */
  readonly liveBootTimeMs: number | null;
  /** How long a kill seen only through its summary line waits for the `Killed process` line (default 2 s). */
  readonly killLineGraceMs?: number;
  /** This machine's name (default hostname()): the host of kernel lines whose carrier names none (kmsg, dmesg). */
  readonly host?: string;
}

/** One line an incident cites, in its live source. */
export interface EvidenceRef {
  readonly source: LiveSource;
  readonly lineNo: number;
  readonly text: string;
  /** What the line is to the death; `next-start` belongs to the next life, not to the death. */
  readonly role: EvidenceRole;
}

export interface Candidate {
  readonly kind: IncidentKind;
  /** The app in focus for this run (null: none). */
  readonly app: string | null;
  /** What correlation found, times in ms. */
  readonly finding: DeathFinding;
  /** The contract's incident; evidence `line` is the line's number in its file (kmsg: sequence number). */
  readonly incident: Incident;
  /** Its lines' keys, then the keys of the kernel event it reports (see identity.ts): any one claimed, it is known. */
  readonly keys: readonly string[];
  /** The kernel event's keys alone (empty without a kill record): they name the incident. */
  readonly events: readonly string[];
  readonly refs: readonly EvidenceRef[];
  /** What an OOM death is diagnosed from (the watcher adds the guard's memory curve when it has one); else null. */
  readonly diagnosisInput: DiagnosisInput | null;
}

export interface Finalized {
  readonly candidate: Candidate;
  readonly firstSeenMs: number;
}

interface Pending {
  keys: Set<string>;
  candidate: Candidate;
  readonly firstSeenMs: number;
  lastSeenMs: number;
}

const KILL_CAUSES = new Set(['oom-killer', 'oom-daemon']);

export class LiveCorrelator {
  private pending: Pending[] = [];
  /** Line keys of finalised incidents (loaded from the store at start), with the incident's id. */
  readonly claimed: Map<string, string>;
  /** The app the last run focused on. */
  app: string | null;

  constructor(
    private readonly options: LiveCorrelatorOptions,
    claimed: Map<string, string> = new Map(),
  ) {
    this.claimed = claimed;
    this.app = options.app;
  }

  /** Runs correlation over the windows; returns what is final now, and when to look again for what is not. */
  run(
    sources: readonly LiveSource[],
    nowMs: number,
  ): { finalized: Finalized[]; firstSeen: Candidate[]; nextDeadlineMs: number | null } {
    const candidates = this.candidates(sources, nowMs);
    const finalized: Finalized[] = [];
    const firstSeen: Candidate[] = [];
    const grace = this.options.killLineGraceMs ?? 2_000;
    for (const candidate of candidates) {
      if (candidate.keys.some((k) => this.claimed.has(k))) continue;
      let entry = this.pending.find((p) => candidate.keys.some((k) => p.keys.has(k)));
      if (!entry) {
        entry = { keys: new Set(), candidate, firstSeenMs: nowMs, lastSeenMs: nowMs };
        this.pending.push(entry);
        firstSeen.push(candidate);
      }
      entry.candidate = candidate;
      entry.lastSeenMs = nowMs;
      for (const k of candidate.keys) entry.keys.add(k);
    }
    let nextDeadlineMs: number | null = null;
    const keep: Pending[] = [];
    for (const entry of this.pending) {
      const { candidate } = entry;
      const seenNow = entry.lastSeenMs === nowMs;
      const deadline = isKillRecord(candidate)
        ? hasKillLine(candidate.finding)
          ? entry.firstSeenMs
          : entry.firstSeenMs + grace
        : entry.firstSeenMs + this.options.settleMs;
      if (seenNow && deadline <= nowMs) {
        finalized.push({ candidate, firstSeenMs: entry.firstSeenMs });
        this.claim(candidate.keys, '(pending save)');
        continue;
      }
      // A candidate that no run produces any more (its evidence left the window) is forgotten after a while.
      if (!seenNow && nowMs - entry.lastSeenMs > this.options.settleMs * 2) continue;
      keep.push(entry);
      nextDeadlineMs = Math.min(nextDeadlineMs ?? Number.POSITIVE_INFINITY, Math.max(deadline, nowMs + 1));
    }
    this.pending = keep;
    return { finalized, firstSeen, nextDeadlineMs };
  }

  /** Records that these lines belong to a final incident. */
  claim(keys: readonly string[], id: string): void {
    for (const key of keys) this.claimed.set(key, id);
  }

  /** Lines of incidents not final yet, per source: a restart must read them again, so they are not trimmed. */
  pinnedLines(source: LiveSource): number[] {
    const lines: number[] = [];
    for (const entry of this.pending) {
      for (const ref of entry.candidate.refs) if (ref.source === source) lines.push(ref.lineNo);
    }
    return lines;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  private candidates(sources: readonly LiveSource[], nowMs: number): Candidate[] {
    const { zone } = this.options;
    const pairs = sources
      .map((live) => ({ live, scanned: live.snapshot(nowMs, zone) }))
      .filter((p) => p.scanned !== null && p.scanned.kind !== 'unknown' && p.scanned.lines > 0);
    if (pairs.length === 0) return [];
    const readable = pairs.map((p) => p.scanned!);
    const byId = new Map(pairs.map((p) => [p.scanned!.id, p.live]));
    const clock = Clock.build(readable, {
      zone,
      year: null,
      bootTimeMs: null,
      liveBootTimeMs: this.options.liveBootTimeMs,
      nowMs,
    });
    const main = correlate({ sources: readable, clock, app: this.options.app, since: null, until: null });
    this.app = main.app;
    const inputs = diagnosisInputs(main.deaths, { sources: readable, clock, zone, app: main.app });
    const out: Candidate[] = main.deaths.map((d) => this.candidate('app', main.app, d, byId, inputs.get(d)));
    if (main.app !== null) {
      // Kills of other processes: the same correlate, with no app in focus, over the kernel and system logs.
      const kernel = readable.filter((s) => s.kind === 'kernel' || s.kind === 'system');
      if (kernel.length > 0) {
        const others = correlate({ sources: kernel, clock, app: null, since: null, until: null });
        for (const d of others.deaths) {
          if (!sameProcessName(d.process, main.app)) out.push(this.candidate('other', main.app, d, byId));
        }
      }
    }
    return out;
  }

  private candidate(
    kind: IncidentKind,
    app: string | null,
    finding: DeathFinding,
    byId: ReadonlyMap<number, LiveSource>,
    diagnosisInput?: DiagnosisInput,
  ): Candidate {
    const iso = (ms: number) => formatIso(ms, this.options.zone);
    const keys: string[] = [];
    const refs: EvidenceRef[] = [];
    const evidence = finding.evidence.map((e) => {
      const cited = evidenceOf(e, iso, this.options.language);
      const source = e.sourceId === null ? undefined : byId.get(e.sourceId);
      if (!source || e.line === null) return cited;
      const place = source.place(e.line);
      refs.push({ source, lineNo: e.line, text: e.text, role: e.role });
      // The next life's startup dates the restart; it is not part of the death's identity.
      if (e.role !== 'next-start') keys.push(lineKey(source.key, place?.position, String(e.line), e.text));
      return { ...cited, line: place ? place.displayLine : null };
    });
    const diagnosis =
      diagnosisInput === undefined
        ? undefined
        : diagnosisOf(diagnose(diagnosisInput.evidence, diagnosisInput.context), this.options.language);
    const incident = { ...incidentOf(finding, iso, this.options.language, diagnosis), evidence };
    // Every incident cites lines; should one cite only the next life's, its time and name must do.
    if (keys.length === 0) keys.push(`${kind}:${incident.process}:${incident.pid}:${incident.diedAt}`);
    const events = eventKeys(finding, this.options.host ?? hostname());
    return {
      kind,
      app,
      finding,
      incident,
      keys: [...keys, ...events],
      events,
      refs,
      diagnosisInput: diagnosisInput ?? null,
    };
  }
}

/** A record of who killed the process, naming it, with the confidence to say so: final at once. */
function isKillRecord(candidate: Candidate): boolean {
  const { incident } = candidate;
  return (
    candidate.kind === 'other' || (KILL_CAUSES.has(incident.cause) && incident.confidence === 'confirmed')
  );
}

/** The kernel's `Killed process` line (with the figures) is there, not only the summary line before it. */
function hasKillLine(finding: DeathFinding): boolean {
  return finding.verdict.cause !== 'oom-killer' || killLine(finding.evidence) !== undefined;
}
