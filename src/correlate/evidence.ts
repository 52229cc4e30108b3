// Cites a scanned line as evidence: where it is, when it was stamped (its own stamp only), and the role it plays.
import type { Clock } from '../clock/clock.js';
import type { Observation, ScannedSource } from '../scan/observation.js';
import type { EvidenceRole, FindingEvidence } from './finding.js';

export class EvidenceCiter {
  private readonly paths: Map<number, string>;

  constructor(
    sources: readonly ScannedSource[],
    private readonly clock: Clock,
  ) {
    this.paths = new Map(sources.map((s) => [s.id, s.displayPath]));
  }

  cite(observation: Observation, role: EvidenceRole): FindingEvidence {
    const { record } = observation.event;
    return {
      role,
      fact: observation.event,
      sourceId: record.sourceId,
      source: this.paths.get(record.sourceId) ?? `source ${record.sourceId}`,
      line: record.lineNo,
      atMs: this.clock.observationTime(observation),
      text: record.text,
    };
  }

  /** A line of the kernel's OOM report: the kill line and the summary are the record, the rest its context. */
  citeOomLine(observation: Observation): FindingEvidence {
    const type = observation.event.type;
    return this.cite(
      observation,
      type === 'oom.killed' || type === 'oom.constraint' ? 'kill-record' : 'oom-report',
    );
  }
}

/** Each line once, in the order given: the first role a line is cited with is the one it keeps. */
export function citeOnce(items: readonly FindingEvidence[]): FindingEvidence[] {
  const seen = new Set<FindingEvidence['fact']>();
  return items.filter((e) => {
    if (seen.has(e.fact)) return false;
    seen.add(e.fact);
    return true;
  });
}
