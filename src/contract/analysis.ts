// The contract's JSON document (docs/contract.md §4, schema `oomsleuth.analysis/1`). These types *are* the contract.

export const ANALYSIS_SCHEMA = 'oomsleuth.analysis/1';

/** The contract's OOM scope. */
export type OomScope = 'global' | 'memcg' | 'cpuset' | 'mempolicy';

export type SourceKind = 'guardian' | 'app' | 'kernel' | 'system' | 'unknown';

/** The contract's causes (§2), in its order of precedence. */
export const CAUSES = ['oom-killer', 'oom-daemon', 'runtime-oom', 'crash', 'stopped', 'unexplained'] as const;
export type Cause = (typeof CAUSES)[number];
export const CONFIDENCES = ['confirmed', 'likely', 'possible'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export type MissingSource = 'kernel-log' | 'guardian-log' | 'app-log' | 'boot-time';

/** ISO 8601 with an explicit offset. */
export type IsoTime = string;

export interface SourceReport {
  path: string;
  kind: SourceKind;
  /** Carrier name, e.g. `check-sh`, `syslog-rfc3164`, `dmesg`, `journal-json`, `app-log`, `unknown`. */
  format: string;
  lines: number;
  first: IsoTime | null;
  last: IsoTime | null;
  problems: string[];
  /** What oomsleuth inferred to read this source (year, zone, boot time). Added field, not in schema 1's required set. */
  notes: string[];
}

export interface OomFigures {
  scope: OomScope | null;
  cgroup: string | null;
  invokedBy: string | null;
  totalVmKb: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
  oomScoreAdj: number | null;
}

/** Figures of an OOM kill whose kernel record was not read (an OOM daemon's kill, systemd's unit note). */
export const NO_OOM_FIGURES: Readonly<OomFigures> = Object.freeze({
  scope: null,
  cgroup: null,
  invokedBy: null,
  totalVmKb: null,
  anonRssKb: null,
  fileRssKb: null,
  shmemRssKb: null,
  oomScoreAdj: null,
});

export interface Evidence {
  source: string;
  line: number | null;
  time: IsoTime | null;
  text: string;
  says: string;
}

/** Why memory ran out for an OOM death (docs/diagnosis.md): the kinds, in no order of precedence. */
export const DIAGNOSIS_KINDS = [
  'spike',
  'leak',
  'undersized',
  'other-process',
  'limit-too-low',
  'unknown',
] as const;
export type DiagnosisKind = (typeof DIAGNOSIS_KINDS)[number];
/** The causes whose deaths carry a diagnosis: memory ran out. */
export const DIAGNOSED_CAUSES: ReadonlySet<Cause> = new Set<Cause>([
  'oom-killer',
  'oom-daemon',
  'runtime-oom',
]);

/** The diagnosis of an OOM death as the JSON carries it: prose in the report's language, `kind` never translated. */
export interface IncidentDiagnosis {
  kind: DiagnosisKind;
  summary: string;
  /** The evidence it rests on, most decisive first; `source`/`line` null for what no line states (a count, a rhythm). */
  because: { source: string | null; line: number | null; says: string }[];
  advice: string[];
}

export interface Incident {
  process: string;
  pid: number | null;
  diedAt: IsoTime | null;
  diedWithin: [IsoTime | null, IsoTime | null] | null;
  restartedAt: IsoTime | null;
  cause: Cause;
  confidence: Confidence;
  oom: OomFigures | null;
  missing: MissingSource[];
  evidence: Evidence[];
  /** Added field: present on OOM deaths (causes oom-killer, oom-daemon, runtime-oom) when diagnosed. */
  diagnosis?: IncidentDiagnosis;
}

export interface OtherOomKill {
  process: string;
  pid: number | null;
  at: IsoTime | null;
  scope: OomScope | null;
  anonRssKb: number | null;
}

export interface Analysis {
  schema: typeof ANALYSIS_SCHEMA;
  app: string | null;
  generatedAt: IsoTime;
  sources: SourceReport[];
  incidents: Incident[];
  otherOomKills: OtherOomKill[];
}
