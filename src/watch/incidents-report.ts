// `oomsleuth incidents`: what the store holds, for people (a table; one incident with its whole bundle) and for
// scripts (--json). Reads the store only. People read it in --lang (else the locale's) language: incidents-words.ts.
import { formatIso, machineZone } from '../clock/zone.js';
import type { Cause } from '../contract/analysis.js';
import { OomsleuthError } from '../errors.js';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { displayWidth, padToWidth } from '../report/display-width.js';
import { chooseLanguages, type Language } from '../report/language.js';
import { formatKb } from '../report/sizes.js';
import { defaultStorePath } from '../store/default-path.js';
import type { Bundle, BundleLine, OutboxRow, StoredIncident } from '../store/records.js';
import { Store } from '../store/store.js';
import { INCIDENTS_OPTIONS } from './incidents-options.js';
import { INCIDENTS_WORDS, type IncidentsWords } from './incidents-words.js';

export const INCIDENTS_LIST_SCHEMA = 'oomsleuth.incidents/1';

export interface IncidentsConfig {
  readonly action: 'list' | 'show';
  readonly id: string | null;
  readonly db: string;
  readonly sinceMs: number | null;
  readonly cause: Cause | null;
  readonly json: boolean;
  readonly zone: string;
  /** The language of the table and of `show` (--lang, else the locale's); --json is what the store holds. */
  readonly language: Language;
}

/** The incidents command's arguments and flags (declared in incidents-options.ts), validated and frozen. */
export async function loadIncidentsConfig(
  args: readonly string[],
  flags: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>> = process.env,
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
    language: chooseLanguages(values.lang, env).language,
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
    write(renderList(incidents, outbox, config));
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
  write(renderShow(stored, bundle, outbox, config.zone, INCIDENTS_WORDS[config.language]));
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

function alertWords(s: StoredIncident, outbox: readonly OutboxRow[], w: IncidentsWords): string {
  const rows = outbox.filter(
    (o) => o.alertId === s.id || (s.summaryId !== null && o.alertId === s.summaryId),
  );
  const delivered = rows.filter((o) => o.state === 'delivered').length;
  const failed = rows.filter((o) => o.state === 'failed').length;
  const pending = rows.length - delivered - failed;
  const base = s.alertState === 'summarized' ? w.summarizedIn(s.summaryId ?? '?') : s.alertState;
  if (rows.length === 0) return base;
  const parts = [
    delivered ? w.delivered(delivered) : '',
    pending ? w.pending(pending) : '',
    failed ? w.failed(failed) : '',
  ];
  return `${base}: ${parts.filter(Boolean).join(w.listSeparator)}`;
}

function renderList(
  incidents: readonly StoredIncident[],
  outbox: readonly OutboxRow[],
  config: IncidentsConfig,
): string {
  const w = INCIDENTS_WORDS[config.language];
  if (incidents.length === 0)
    return `${w.none(config.sinceMs !== null || config.cause !== null, config.db)}\n`;
  const rows = incidents.map((s) => [
    s.id,
    s.incident.diedAt === null ? '?' : formatIso(Date.parse(s.incident.diedAt), config.zone),
    `${s.incident.process}${s.kind === 'other' ? w.other : ''}`,
    s.incident.pid === null ? '-' : String(s.incident.pid),
    `${s.incident.cause} (${s.incident.confidence})`,
    alertWords(s, outbox, w),
  ]);
  // Widths in terminal columns: Chinese headings and process names take two per character.
  const widths = w.header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : padToWidth(c, widths[i]!))).join('  ');
  return `${[line(w.header), ...rows.map(line)].join('\n')}\n${w.count(incidents.length)}\n`;
}

function renderShow(
  s: StoredIncident,
  bundle: Bundle,
  outbox: readonly OutboxRow[],
  zone: string,
  w: IncidentsWords,
): string {
  const i = s.incident;
  const out: string[] = [];
  const time = (iso: string | null) => (iso === null ? '?' : formatIso(Date.parse(iso), zone));
  out.push(w.incidentOn(s.id, s.host, s.app, s.kind === 'other'));
  out.push(`${i.process}${i.pid !== null ? ` pid ${i.pid}` : ''}: ${i.cause} (${i.confidence})`);
  const between =
    i.diedWithin && i.diedWithin[0] !== i.diedWithin[1]
      ? ([time(i.diedWithin[0]), time(i.diedWithin[1])] as const)
      : null;
  out.push(w.died(time(i.diedAt), between, i.restartedAt ? time(i.restartedAt) : null));
  if (i.oom) {
    const o = i.oom;
    const parts = [
      o.scope ? `${o.scope} OOM` : '',
      o.cgroup ? `cgroup ${o.cgroup}` : '',
      o.anonRssKb !== null ? `anon-rss ${formatKb(o.anonRssKb)}` : '',
      o.fileRssKb !== null ? `file-rss ${formatKb(o.fileRssKb)}` : '',
      o.totalVmKb !== null ? `total-vm ${formatKb(o.totalVmKb)}` : '',
      o.oomScoreAdj !== null ? `oom_score_adj ${o.oomScoreAdj}` : '',
      o.invokedBy ? w.triggeredBy(o.invokedBy) : '',
    ].filter(Boolean);
    if (parts.length > 0) out.push(`${w.oom}${w.afterLabel}${parts.join(w.listSeparator)}`);
  }
  if (i.missing.length > 0) out.push(`${w.missing}${w.afterLabel}${i.missing.join(w.listSeparator)}`);
  out.push(`${w.alert}${w.afterLabel}${alertWords(s, outbox, w)}`);
  for (const o of outbox.filter((row) => row.state !== 'delivered' && row.lastError)) {
    out.push(`  ${w.deliveryProblem(o.alertId, o.webhook, o.state, o.attempts, o.lastError ?? '')}`);
  }
  out.push('', w.evidence);
  for (const e of i.evidence) {
    out.push(`  ${e.source}:${e.line ?? '?'}  ${e.says}`);
    out.push(`      ${e.text}`);
  }
  section(out, w.oomBlock(bundle.oomBlock.length), bundle.oomBlock);
  section(out, w.appTail(bundle.appTail.length), bundle.appTail);
  section(out, w.guardian(bundle.guardian.length), bundle.guardian);
  if (bundle.memory.length > 0) {
    out.push('', w.memory(bundle.memory.length));
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
  out.push('', title);
  for (const l of lines) out.push(`  ${l.source}:${l.line ?? '?'}  ${l.text}`);
}
