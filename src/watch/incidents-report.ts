// `oomsleuth incidents`: what the store holds, for people (a table; one incident with its whole bundle) and for
// scripts (--json). Reads the store only.
import { formatIso, machineZone } from '../clock/zone.js';
import type { Cause } from '../contract/analysis.js';
import { OomsleuthError } from '../errors.js';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { printableDeep } from '../report/printable.js';
import { formatKb } from '../report/sizes.js';
import { defaultStorePath } from '../store/default-path.js';
import type { Bundle, BundleLine, OutboxRow, StoredIncident } from '../store/records.js';
import { Store } from '../store/store.js';
import { INCIDENTS_OPTIONS } from './incidents-options.js';

export const INCIDENTS_LIST_SCHEMA = 'oomsleuth.incidents/1';

export interface IncidentsConfig {
  readonly action: 'list' | 'show';
  readonly id: string | null;
  readonly db: string;
  readonly sinceMs: number | null;
  readonly cause: Cause | null;
  readonly json: boolean;
  readonly zone: string;
}

/** The incidents command's arguments and flags (declared in incidents-options.ts), validated and frozen. */
export async function loadIncidentsConfig(
  args: readonly string[],
  flags: Record<string, unknown>,
): Promise<IncidentsConfig> {
  const problems = new Problems('incidents');
  const { values } = await validateOptions(INCIDENTS_OPTIONS, flags, problems);
  let action: 'list' | 'show' = 'list';
  let id: string | null = null;
  if (args.length > 0) {
    if (args[0] === 'show') {
      action = 'show';
      if (args.length !== 2 || !args[1])
        problems.usage('show needs one incident id (see `oomsleuth incidents`)');
      else id = args[1];
    } else if (args[0] !== 'list' || args.length !== 1) {
      problems.usage(
        `unknown arguments ${args.map((a) => JSON.stringify(a)).join(' ')}: use \`incidents\` or \`incidents show ID\``,
      );
    }
  }
  problems.throwIfAny();
  const zone = values.tz ?? machineZone();
  return freezeConfig({
    action,
    id,
    db: values.db ?? defaultStorePath(),
    sinceMs: values.since?.inZone(zone) ?? null,
    cause: values.cause ?? null,
    json: values.json,
    zone,
  });
}

export async function runIncidents(config: IncidentsConfig, write: (text: string) => void): Promise<number> {
  const store = await Store.open(config.db, { readOnly: true });
  try {
    if (config.action === 'show') return show(store, config, write);
    const incidents = store.listIncidents({ sinceMs: config.sinceMs, cause: config.cause });
    const outbox = store.outboxOf([
      ...incidents.map((i) => i.id),
      ...incidents.flatMap((i) => (i.summaryId ? [i.summaryId] : [])),
    ]);
    if (config.json) {
      write(
        `${JSON.stringify(
          {
            schema: INCIDENTS_LIST_SCHEMA,
            incidents: incidents.map((s) => ({
              id: s.id,
              host: s.host,
              app: s.app,
              kind: s.kind,
              alert: alertJson(s, outbox),
              incident: s.incident,
            })),
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    // Stored log text reaches the terminal as text, never as escape sequences (the JSON above keeps it as found).
    write(renderList(printableDeep(incidents), printableDeep(outbox), config));
    return 0;
  } finally {
    store.close();
  }
}

function show(store: Store, config: IncidentsConfig, write: (text: string) => void): number {
  const { incident: stored, ambiguous } = store.findIncident(config.id!);
  if (!stored) {
    throw new OomsleuthError(
      'OOMS_E_STORE_NO_SUCH_INCIDENT',
      ambiguous.length > 1
        ? `${config.id} matches ${ambiguous.length} incidents (${ambiguous.slice(0, 5).join(', ')}…): give more of the id`
        : `no incident ${config.id} in ${config.db} — list them with \`oomsleuth incidents\``,
    );
  }
  const bundle = store.bundleOf(stored.id);
  const outbox = store.outboxOf([stored.id, ...(stored.summaryId ? [stored.summaryId] : [])]);
  if (config.json) {
    write(
      `${JSON.stringify(
        {
          schema: 'oomsleuth.incident/1',
          id: stored.id,
          host: stored.host,
          app: stored.app,
          kind: stored.kind,
          alert: alertJson(stored, outbox),
          incident: stored.incident,
          bundle,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  write(renderShow(printableDeep(stored), printableDeep(bundle), printableDeep(outbox), config.zone));
  return 0;
}

function alertJson(s: StoredIncident, outbox: readonly OutboxRow[]) {
  return {
    state: s.alertState,
    summaryId: s.summaryId,
    deliveries: outbox
      .filter((o) => o.alertId === s.id || o.alertId === s.summaryId)
      .map((o) => ({
        alertId: o.alertId,
        webhook: o.webhook,
        state: o.state,
        attempts: o.attempts,
        lastError: o.lastError,
        deliveredAt: o.deliveredMs === null ? null : new Date(o.deliveredMs).toISOString(),
      })),
  };
}

function alertWords(s: StoredIncident, outbox: readonly OutboxRow[]): string {
  const rows = outbox.filter(
    (o) => o.alertId === s.id || (s.summaryId !== null && o.alertId === s.summaryId),
  );
  const delivered = rows.filter((o) => o.state === 'delivered').length;
  const failed = rows.filter((o) => o.state === 'failed').length;
  const pending = rows.length - delivered - failed;
  const base = s.alertState === 'summarized' ? `summarized in ${s.summaryId}` : s.alertState;
  if (rows.length === 0) return base;
  const parts = [
    delivered ? `${delivered} delivered` : '',
    pending ? `${pending} pending` : '',
    failed ? `${failed} failed` : '',
  ];
  return `${base}: ${parts.filter(Boolean).join(', ')}`;
}

function renderList(
  incidents: readonly StoredIncident[],
  outbox: readonly OutboxRow[],
  config: IncidentsConfig,
): string {
  if (incidents.length === 0) {
    return `no incidents${config.sinceMs !== null || config.cause ? ' match' : ''} in ${config.db}\n`;
  }
  const rows = incidents.map((s) => [
    s.id,
    s.incident.diedAt === null ? '?' : formatIso(Date.parse(s.incident.diedAt), config.zone),
    `${s.incident.process}${s.kind === 'other' ? ' (other)' : ''}`,
    s.incident.pid === null ? '-' : String(s.incident.pid),
    `${s.incident.cause} (${s.incident.confidence})`,
    alertWords(s, outbox),
  ]);
  const header = ['ID', 'DIED', 'PROCESS', 'PID', 'CAUSE', 'ALERT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n${incidents.length} incident(s); \`oomsleuth incidents show ID\` prints one with its evidence\n`;
}

function renderShow(s: StoredIncident, bundle: Bundle, outbox: readonly OutboxRow[], zone: string): string {
  const i = s.incident;
  const out: string[] = [];
  const time = (iso: string | null) => (iso === null ? '?' : formatIso(Date.parse(iso), zone));
  out.push(
    `incident ${s.id} on ${s.host}${s.app ? ` (app ${s.app})` : ''}${s.kind === 'other' ? ' — an OOM kill of another process' : ''}`,
  );
  out.push(`${i.process}${i.pid !== null ? ` pid ${i.pid}` : ''}: ${i.cause} (${i.confidence})`);
  out.push(
    `died ${time(i.diedAt)}${i.diedWithin && i.diedWithin[0] !== i.diedWithin[1] ? ` (between ${time(i.diedWithin[0])} and ${time(i.diedWithin[1])})` : ''}; restarted ${i.restartedAt ? time(i.restartedAt) : 'not seen'}`,
  );
  if (i.oom) {
    const o = i.oom;
    const parts = [
      o.scope ? `${o.scope} OOM` : '',
      o.cgroup ? `cgroup ${o.cgroup}` : '',
      o.anonRssKb !== null ? `anon-rss ${formatKb(o.anonRssKb)}` : '',
      o.fileRssKb !== null ? `file-rss ${formatKb(o.fileRssKb)}` : '',
      o.totalVmKb !== null ? `total-vm ${formatKb(o.totalVmKb)}` : '',
      o.oomScoreAdj !== null ? `oom_score_adj ${o.oomScoreAdj}` : '',
      o.invokedBy ? `triggered by ${o.invokedBy}` : '',
    ].filter(Boolean);
    if (parts.length > 0) out.push(`oom: ${parts.join(', ')}`);
  }
  if (i.missing.length > 0) out.push(`missing: ${i.missing.join(', ')}`);
  out.push(`alert: ${alertWords(s, outbox)}`);
  for (const o of outbox.filter((row) => row.state !== 'delivered' && row.lastError)) {
    out.push(
      `  ${o.alertId} → webhook ${o.webhook}: ${o.state} after ${o.attempts} attempt(s), last error: ${o.lastError}`,
    );
  }
  out.push('', 'evidence:');
  for (const e of i.evidence) {
    out.push(`  ${e.source}:${e.line ?? '?'}  ${e.says}`);
    out.push(`      ${e.text}`);
  }
  section(out, `kernel OOM report (${bundle.oomBlock.length} lines)`, bundle.oomBlock);
  section(out, `app log, last ${bundle.appTail.length} line(s) before the cliff`, bundle.appTail);
  section(out, `guardian lines around the death (${bundle.guardian.length})`, bundle.guardian);
  if (bundle.memory.length > 0) {
    out.push('', `memory samples from oomsleuth guard (${bundle.memory.length}):`);
    for (const m of bundle.memory) {
      out.push(
        `  ${m.at}  rss ${m.rssKb === null ? '?' : formatKb(m.rssKb)}${m.cgroupUsageKb !== null ? `  cgroup ${formatKb(m.cgroupUsageKb)}` : ''}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

function section(out: string[], title: string, lines: readonly BundleLine[]): void {
  if (lines.length === 0) return;
  out.push('', `${title}:`);
  for (const l of lines) out.push(`  ${l.source}:${l.line ?? '?'}  ${l.text}`);
}
