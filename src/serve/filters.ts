// The dashboard's filters from a request's query: cause, app, and a time window on the death. A bad value is said on
// the page and ignored, never a failed request.
import { parseUserTime } from '../clock/zone.js';
import { CAUSES, type Cause } from '../contract/analysis.js';
import type { DashboardFilters } from '../pictures/dashboard-html.js';
import type { StoredIncident } from '../store/records.js';

export interface IncidentFilters {
  readonly shown: DashboardFilters;
  readonly sinceMs: number | null;
  matches(stored: StoredIncident): boolean;
}

export function filtersOf(query: unknown, zone: string): IncidentFilters {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof q[key] === 'string' ? (q[key] as string).trim() : '');
  const problems: string[] = [];
  const causeText = text('cause');
  const cause = (CAUSES as readonly string[]).includes(causeText) ? (causeText as Cause) : null;
  if (causeText !== '' && cause === null)
    problems.push(`cause "${causeText}" is none of ${CAUSES.join(', ')}: ignored`);
  const app = text('app') || null;
  const time = (key: 'since' | 'until'): number | null => {
    const value = text(key);
    if (value === '') return null;
    // `2024-07-23 10:00`, as people type it (and the field's placeholder shows), is ISO's `2024-07-23T10:00`.
    const ms = parseUserTime(value.replace(/^(?<date>\d{4}-\d{2}-\d{2}) +(?=\d)/, '$<date>T'), zone);
    if (ms === null)
      problems.push(
        `${key} "${value}" is not a time (e.g. 2024-07-23 10:00 or 2024-07-23T10:00+08:00): ignored`,
      );
    return ms;
  };
  const sinceMs = time('since');
  const untilMs = time('until');
  return {
    shown: { cause, app, since: text('since'), until: text('until'), problems },
    sinceMs,
    matches(stored) {
      const i = stored.incident;
      if (cause !== null && i.cause !== cause) return false;
      if (app !== null && stored.app !== app) return false;
      const died = Date.parse(i.diedAt ?? i.diedWithin?.[1] ?? '');
      if (sinceMs !== null && !(died >= sinceMs)) return false;
      if (untilMs !== null && !(died <= untilMs)) return false;
      return true;
    },
  };
}
