// The generic alert documents (CONTRACT.md §6): one incident, the summary of a crash loop whose deaths were held
// back, or the early warning `oomsleuth guard` gave before a death. Chat formats are rendered from these at send time,
// so the outbox stores one document per alert.
import type { Cause, Confidence, Incident, IsoTime } from '../contract/analysis.js';
import type { WarningRecord } from '../forecast/warning-record.js';
import type { IncidentKind } from '../store/records.js';

export const INCIDENT_ALERT_SCHEMA = 'oomsleuth.incident/1';
export const SUMMARY_ALERT_SCHEMA = 'oomsleuth.summary/1';
export const WARNING_ALERT_SCHEMA = 'oomsleuth.warning/1';

export interface IncidentAlert {
  readonly schema: typeof INCIDENT_ALERT_SCHEMA;
  /** Idempotency key: the incident's id (a receiver that sees it twice has seen one incident). */
  readonly id: string;
  readonly host: string;
  /** The app in focus; null with no focus. */
  readonly app: string | null;
  /** `app`: a death of the app; `other`: an OOM kill of another process. */
  readonly kind: IncidentKind;
  readonly incident: Incident;
  /** Index in `incident.evidence` of the line that decides the cause (for an OOM kill, the kernel's kill line). */
  readonly decisive: number | null;
  /**
   * What `oomsleuth guard` saw of this death, when watch follows its --incidents file and its record came in time:
   * when it restarted the app, and how the memory moved before the death. Absent otherwise.
   */
  readonly guard?: GuardFacts;
}

export interface GuardFacts {
  readonly restartedAt: IsoTime | null;
  /** `rss rose 1.1→3.8 GiB in 10m, …` (report/memory-trend.ts); null without samples. */
  readonly memoryTrend: string | null;
}

export interface SummaryAlert {
  readonly schema: typeof SUMMARY_ALERT_SCHEMA;
  /** Idempotency key of the summary. */
  readonly id: string;
  readonly host: string;
  readonly app: string | null;
  readonly process: string;
  /** Deaths told by this summary (not counting the first, alerted on its own). */
  readonly count: number;
  readonly from: IsoTime | null;
  readonly until: IsoTime | null;
  readonly causes: Partial<Record<Cause, number>>;
  readonly incidents: {
    id: string;
    diedAt: IsoTime | null;
    cause: Cause;
    confidence: Confidence;
    pid: number | null;
  }[];
}

export interface WarningAlert {
  readonly schema: typeof WARNING_ALERT_SCHEMA;
  /** Idempotency key: one per life of the app (a receiver that sees it twice has seen one warning). */
  readonly id: string;
  readonly host: string;
  readonly app: string;
  /** The guard's record: the forecast, its band, where the memory stands, the sentence. */
  readonly warning: WarningRecord;
}

export type AlertDocument = IncidentAlert | SummaryAlert | WarningAlert;

export function warningAlert(id: string, host: string, app: string, warning: WarningRecord): WarningAlert {
  return { schema: WARNING_ALERT_SCHEMA, id, host, app, warning };
}

export function incidentAlert(
  id: string,
  host: string,
  app: string | null,
  kind: IncidentKind,
  incident: Incident,
  decisive: number | null,
  guard: GuardFacts | null = null,
): IncidentAlert {
  return {
    schema: INCIDENT_ALERT_SCHEMA,
    id,
    host,
    app,
    kind,
    incident,
    decisive,
    ...(guard === null ? {} : { guard }),
  };
}

export function summaryAlert(
  id: string,
  host: string,
  app: string | null,
  process: string,
  incidents: readonly { id: string; incident: Incident }[],
): SummaryAlert {
  const causes: Partial<Record<Cause, number>> = {};
  for (const { incident } of incidents) causes[incident.cause] = (causes[incident.cause] ?? 0) + 1;
  const times = incidents.map((i) => i.incident.diedAt).filter((t): t is string => t !== null);
  return {
    schema: SUMMARY_ALERT_SCHEMA,
    id,
    host,
    app,
    process,
    count: incidents.length,
    from: times[0] ?? null,
    until: times[times.length - 1] ?? null,
    causes,
    incidents: incidents.map(({ id: incidentId, incident }) => ({
      id: incidentId,
      diedAt: incident.diedAt,
      cause: incident.cause,
      confidence: incident.confidence,
      pid: incident.pid,
    })),
  };
}
