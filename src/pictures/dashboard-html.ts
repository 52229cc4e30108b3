// `oomsleuth serve`'s pages: the list of stored incidents (filters, timeline, live rows by server-sent events) and one
// incident with its evidence bundle and memory curve. Pure: the server hands in what the store holds.
import { CAUSES, type Cause, type Incident } from '../contract/analysis.js';
import { WORDS } from '../report/words.js';
import type { ChartAssets } from './chart-assets.js';
import { LIVE_SCRIPT } from './client-script.js';
import { renderDeath } from './death-view.js';
import { type Page, renderPage } from './document.js';
import { escapeHtml } from './escape.js';
import type { DeathExtras } from './model.js';
import { msOf, offsetMinutesOf, shortTime } from './time-text.js';
import { renderTimeline, timelineSpan } from './timeline.js';

// The pages speak English for now: their labels have no Chinese catalogue yet (the terminal and alerts do).
const PAGE_WORDS = WORDS.en;

/** A stored incident as the dashboard lists it (the store's StoredIncident fits). */
export interface ListedIncident {
  readonly id: string;
  readonly app: string | null;
  readonly host: string;
  readonly incident: Incident;
}

/** One row of the list, as the page renders it and as the live events carry it. */
export interface DashboardRow {
  readonly id: string;
  readonly when: string;
  readonly app: string;
  readonly process: string;
  readonly cause: Cause;
  readonly confidence: string;
  readonly says: string;
}

export function dashboardRowOf(listed: ListedIncident): DashboardRow {
  const i = listed.incident;
  return {
    id: listed.id,
    when: shortTime(i.diedAt ?? i.diedWithin?.[1] ?? null),
    app: listed.app ?? '',
    process: `${i.process}${i.pid !== null ? ` (${i.pid})` : ''}`,
    cause: i.cause,
    confidence: i.confidence,
    says: PAGE_WORDS.cause[i.cause],
  };
}

/** The filters as the user gave them (echoed into the form), and what was wrong with any of them. */
export interface DashboardFilters {
  readonly cause: Cause | null;
  readonly app: string | null;
  readonly since: string;
  readonly until: string;
  readonly problems: readonly string[];
}

export interface ListPageInput {
  /** The newest of the incidents matching the filters, oldest first. */
  readonly incidents: readonly ListedIncident[];
  /** How many match: more than are listed when the page is cut. */
  readonly matching: number;
  readonly apps: readonly string[];
  readonly filters: DashboardFilters;
  readonly store: string;
  readonly assets: ChartAssets;
}

export function renderListPage(input: ListPageInput): Page {
  const { incidents, filters } = input;
  // Newest first: what arrives live goes on top.
  const newest = [...incidents].reverse();
  const rows = newest.map((listed) => rowHtml(dashboardRowOf(listed)));
  const body = [
    `<header><h1>oomsleuth — incidents</h1><p class="sub">store ${escapeHtml(input.store)} · <span id="count">${incidents.length}</span> shown · <span id="live" class="live">not live</span></p></header>`,
    filtersHtml(filters, input.apps),
    input.matching > incidents.length
      ? `<p class="sub">Showing the newest ${incidents.length} of ${input.matching}: narrow the filters to see older ones.</p>`
      : '',
    filters.problems.length > 0
      ? `<ul class="notes">${filters.problems.map((p) => `<li class="problem">${escapeHtml(p)}</li>`).join('')}</ul>`
      : '',
    timelineHtml(incidents),
    `<h2>Incidents</h2>`,
    incidents.length === 0 ? '<p id="no-incidents">No incident matches.</p>' : '',
    `<div class="table-wrap"><table id="incidents"><thead><tr><th>died</th><th>app</th><th>process</th><th>cause</th><th>confidence</th><th>verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
  ].join('\n');
  return renderPage({
    title: 'oomsleuth — incidents',
    body,
    assets: input.assets,
    scripts: [LIVE_SCRIPT],
    sameOrigin: true,
  });
}

export interface IncidentPageInput {
  readonly listed: ListedIncident;
  readonly extras: DeathExtras;
  readonly assets: ChartAssets;
}

export function renderIncidentPage({ listed, extras, assets }: IncidentPageInput): Page {
  const i = listed.incident;
  const heading = `${i.process} on ${listed.host}${listed.app ? ` (app ${listed.app})` : ''}`;
  const body = [
    `<p><a href="../">← all incidents</a></p>`,
    `<p class="sub">incident <code>${escapeHtml(listed.id)}</code></p>`,
    renderDeath(i, extras, { id: 'incident', heading, withBundle: true }),
  ].join('\n');
  return renderPage({
    title: `oomsleuth — ${i.process} ${i.cause} ${shortTime(i.diedAt)}`,
    body,
    assets,
    sameOrigin: true,
  });
}

function rowHtml(row: DashboardRow): string {
  return `<tr class="c-${row.cause}"><td>${escapeHtml(row.when)}</td><td>${escapeHtml(row.app)}</td><td><a href="incidents/${encodeURIComponent(row.id)}">${escapeHtml(row.process)}</a></td><td><span class="badge c-${row.cause}">${escapeHtml(row.cause)}</span></td><td>${escapeHtml(row.confidence)}</td><td>${escapeHtml(row.says)}</td></tr>`;
}

function filtersHtml(filters: DashboardFilters, apps: readonly string[]): string {
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const causes = [
    option('', 'any', filters.cause === null),
    ...CAUSES.map((c) => option(c, c, filters.cause === c)),
  ];
  const appOptions = [
    option('', 'any', filters.app === null),
    ...apps.map((a) => option(a, a, filters.app === a)),
  ];
  return `<form class="filters" method="get" action="./">
<label>cause<select name="cause">${causes.join('')}</select></label>
<label>app<select name="app">${appOptions.join('')}</select></label>
<label>since<input name="since" placeholder="2024-07-23 10:00" value="${escapeHtml(filters.since)}"></label>
<label>until<input name="until" placeholder="2024-07-24" value="${escapeHtml(filters.until)}"></label>
<button type="submit">filter</button>
</form>`;
}

function timelineHtml(incidents: readonly ListedIncident[]): string {
  const span = timelineSpan(
    incidents.flatMap(({ incident: i }) => [msOf(i.diedWithin?.[0]), msOf(i.diedAt), msOf(i.restartedAt)]),
  );
  if (span === null) return '';
  return `<h2>Timeline</h2>${renderTimeline({
    deaths: incidents.map((listed) => ({
      incident: listed.incident,
      href: `incidents/${encodeURIComponent(listed.id)}`,
    })),
    otherKills: [],
    ...span,
    offsetMinutes: offsetMinutesOf(incidents[0]?.incident.diedAt ?? null),
    // Deaths of several apps or hosts interleave: a life cannot be drawn between them.
    lives: new Set(incidents.map((l) => `${l.host}\u0000${l.app ?? l.incident.process}`)).size === 1,
  })}`;
}
