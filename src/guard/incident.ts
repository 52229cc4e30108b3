// One death as the guard appends it to --incidents (CONTRACT.md §5): the contract's incident object, plus how the
// child ended (`exit`) and the memory samples before it (`memory`).
import type { Incident, IncidentDiagnosis } from '../contract/analysis.js';
import { killLine } from '../correlate/finding.js';
import { evidenceOf } from '../report/incident.js';
import type { Language } from '../report/language.js';
import type { ChildExit, GuardJudgement } from './death-case.js';
import { localIso } from './local-time.js';
import type { MemorySample } from './memory-ring.js';

export interface GuardIncident extends Incident {
  /** The exit status as the parent saw it; both null when the guard was not the parent. */
  exit: { code: number | null; signal: string | null };
  /** Samples before the death, oldest first (kB). */
  memory: { at: string; rssKb: number | null; hwmKb: number | null; cgroupUsageKb: number | null }[];
  /** How long the child lived, ms; null when unknown. */
  uptimeMs: number | null;
  /** The limit of the child's memory cgroup, kB; null without one. */
  memoryLimitKb: number | null;
  /** The command the guard ran. */
  command: string[];
}

export interface IncidentInput {
  readonly name: string;
  readonly pid: number;
  readonly command: readonly string[];
  readonly diedAtMs: number;
  /** Last moment it was seen alive when the death was only noticed by polling (adopted processes); else null. */
  readonly lastSeenAliveMs: number | null;
  readonly restartedAtMs: number | null;
  readonly uptimeMs: number | null;
  readonly exit: ChildExit | null;
  readonly judgement: GuardJudgement;
  readonly samples: readonly MemorySample[];
  readonly memoryLimitKb: number | null;
  /** The language of each evidence line's `says` (--lang, else English). */
  readonly language: Language;
  /** Why memory ran out (OOM deaths only; src/diagnose, loaded at the death). */
  readonly diagnosis?: IncidentDiagnosis;
}

export function buildIncident(input: IncidentInput, iso: (ms: number) => string = localIso): GuardIncident {
  const { judgement } = input;
  const kernelAt = killLine(judgement.evidence)?.atMs ?? null;
  return {
    process: input.name,
    pid: input.pid,
    // The parent sees the death to the millisecond; a polled death is best dated by the kernel's record.
    diedAt: iso(input.lastSeenAliveMs !== null && kernelAt !== null ? kernelAt : input.diedAtMs),
    diedWithin: input.lastSeenAliveMs === null ? null : [iso(input.lastSeenAliveMs), iso(input.diedAtMs)],
    restartedAt: input.restartedAtMs === null ? null : iso(input.restartedAtMs),
    cause: judgement.verdict.cause,
    confidence: judgement.verdict.confidence,
    oom: judgement.oom,
    missing: judgement.missing,
    evidence: judgement.evidence.map((e) => evidenceOf(e, iso, input.language)),
    ...(input.diagnosis === undefined ? {} : { diagnosis: input.diagnosis }),
    exit: { code: input.exit?.code ?? null, signal: input.exit?.signal ?? null },
    memory: input.samples.map((s) => ({
      at: iso(s.at),
      rssKb: s.rssKb,
      hwmKb: s.hwmKb,
      cgroupUsageKb: s.cgroupUsageKb,
    })),
    uptimeMs: input.uptimeMs,
    memoryLimitKb: input.memoryLimitKb,
    command: [...input.command],
  };
}
