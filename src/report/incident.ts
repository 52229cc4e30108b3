// Findings as the contract's JSON: times become ISO 8601 through the caller's formatter (analyze: the report's zone
// via luxon; the guard: Date alone, to keep ICU out of its memory), each cited line gets the words of what it proves,
// in the JSON's language (English unless `--lang` was given: see language.ts). The only place a finding turns into
// the contract's incident.
import type { Evidence, Incident, IncidentDiagnosis, OtherOomKill } from '../contract/analysis.js';
import type { DeathFinding, FindingEvidence, OtherKillFinding } from '../correlate/finding.js';
import type { Language } from './language.js';
import { readableLine } from './readable-line.js';
import { says } from './words.js';

/** Formats an instant as ISO 8601 with an explicit offset. */
export type IsoFormat = (ms: number) => string;

/** `diagnosis`: why memory ran out (OOM deaths only), worded in `language` by diagnosis-words.ts. */
export function incidentOf(
  death: DeathFinding,
  format: IsoFormat,
  language: Language,
  diagnosis?: IncidentDiagnosis,
): Incident {
  const iso = orNull(format);
  const incident: Incident = {
    process: death.process,
    pid: death.pid,
    diedAt: iso(death.diedAtMs),
    diedWithin: death.diedWithinMs === null ? null : [iso(death.diedWithinMs[0]), iso(death.diedWithinMs[1])],
    restartedAt: iso(death.restartedAtMs),
    cause: death.verdict.cause,
    confidence: death.verdict.confidence,
    oom: death.oom,
    missing: [...death.missing],
    evidence: death.evidence.map((e) => evidenceOf(e, format, language)),
  };
  if (diagnosis !== undefined) incident.diagnosis = diagnosis;
  return incident;
}

/** A cited line: where it is, when, the line as a person reads it (a journal JSON record as journalctl prints it). */
export function evidenceOf(e: FindingEvidence, format: IsoFormat, language: Language): Evidence {
  return {
    source: e.source,
    line: e.line,
    time: orNull(format)(e.atMs),
    text: readableLine(e.text, format),
    says: says(e, language),
  };
}

export function otherKillOf(kill: OtherKillFinding, format: IsoFormat): OtherOomKill {
  return {
    process: kill.process,
    pid: kill.pid,
    at: orNull(format)(kill.atMs),
    scope: kill.scope,
    anonRssKb: kill.anonRssKb,
  };
}

function orNull(format: IsoFormat): (ms: number | null) => string | null {
  return (ms) => (ms === null ? null : format(ms));
}
