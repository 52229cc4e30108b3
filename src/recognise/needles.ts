// The substrings a line must contain for any recogniser to claim it: every guard of the tables a source's kind
// can reach. The sources' prefilter decodes only lines holding one (plus their context), so a recogniser added
// to a table is found by the fast path with no second list to keep in step.
import type { SourceKind } from '../contract/analysis.js';
import type { FollowedBlock, OwnLines } from '../sources/prefilter/selecting-splitter.js';
import { isLifeSign } from './app.js';
import type { EventType } from './event.js';
import { tablesReachableFrom } from './index.js';

/** Events the scan drops anyway (the task table): their lines need not be decoded. */
const DROPPED: ReadonlySet<EventType> = new Set<EventType>(['oom.task', 'oom.task-header']);

/**
 * The task table's rows are folded by the scan into the report's biggest holders (the diagnosis reads them). A row holds
 * no needle of its own (`[  2249]     0  2249 …`): the prefilter reads every line after the table's header up to the
 * report's next record (the `oom-kill:` summary, the `Kill process` / `Killed process` line).
 */
export const TASK_TABLE_BLOCK: FollowedBlock = {
  after: 'tgid total_vm',
  until: ['oom-kill:', 'ill process'],
  maxLines: 5000,
};

/**
 * Lines that matter only for an app in focus — its unit's or job's stops, ends and restarts, audit's record of a
 * crash: without a focus nothing reads them.
 */
const APP_FOCUS_ONLY: ReadonlySet<EventType> = new Set<EventType>([
  'unit.stopping',
  'unit.stopped',
  'unit.starting',
  'unit.started',
  'unit.restart-scheduled',
  'unit.deactivated',
  'upstart.exited',
  'upstart.respawning',
  'kernel.abend',
]);

/**
 * systemd job lines (`Started …`, `Stopping …`): from systemd 249 on they name the unit (`Started anqicms.service -
 * AnQiCMS.`), so only `<app>.service` needs decoding; before, they carry only its description (`Started AnQiCMS.`),
 * tied to the unit after the scan, and every job line is read.
 */
const JOB_LINES: ReadonlySet<EventType> = new Set<EventType>([
  'unit.stopping',
  'unit.stopped',
  'unit.starting',
  'unit.started',
]);

/** A job line naming its unit: the file was written by systemd 249 or later (systemd is upgraded, never the reverse). */
const JOB_NAMING_ITS_UNIT =
  /(?:Started|Starting|Stopped|Stopping) \S+\.(?<type>service|scope|slice|socket|target|timer|mount|path) - /;

/** Of those, the lines that always name their unit: every timer's run ends in one (`x.service: Deactivated
 * successfully.`), so only the app's own are decoded. */
const NAMES_ITS_UNIT: ReadonlySet<EventType> = new Set<EventType>(['unit.deactivated']);

/** Lines a carrier's framer reads for its own state (boot separators in journal text exports). */
const FRAMER_NEEDLES: Readonly<Record<string, readonly string[]>> = {
  'journal-short': ['-- Boot ', '-- Reboot --'],
  'journal-short-precise': ['-- Boot ', '-- Reboot --'],
  'journal-short-iso': ['-- Boot ', '-- Reboot --'],
  'journal-short-full': ['-- Boot ', '-- Reboot --'],
  'journal-short-unix': ['-- Boot ', '-- Reboot --'],
  'journal-short-monotonic': ['-- Boot ', '-- Reboot --'],
  // journalctl writes a MESSAGE it will not show as text as an array of byte values: no guard can be seen in it.
  'journal-json': ['"MESSAGE":['],
};

/** An exec-path line (`2024/07/23 10:04:01 /www/wwwroot/anqicms/`) is told by its last character. */
const EXEC_PATH_NEEDLES = ['/\n', '/\r\n'];

/** The kernel keeps 15 characters of a task name; a syslog tag or journal identifier may be cut the same way. */
const COMM_LENGTH = 15;

/**
 * The needles of a system log's lines the app in focus wrote itself (correlate/app-records.ts tells them apart), by
 * where its name stands in them: its tag (`anqicms[1689]: …`, `anqicms: …`), its unit (`_SYSTEMD_UNIT=anqicms.service`,
 * `anqicms@2.service`, journalctl -o with-unit's `anqicms.service[1689]:`), a journal JSON value
 * (`"SYSLOG_IDENTIFIER":"anqicms"`) and RFC 5424's APP-NAME field (`… host anqicms 1689 - …`). A line that only
 * mentions it (cron's `CMD (/www/wwwroot/anqicms/start.sh)`, nginx's request paths) is not the app's: in a busy log
 * those are most of the lines naming it. Null for other sources or without a focus.
 */
export function ownLineNeedles(kind: SourceKind, format: string, app: string | null): OwnLines | null {
  if (app === null || (kind !== 'system' && kind !== 'kernel')) return null;
  const lifecycle = needlesFor('app', 'app-log', null) ?? [];
  const oom = appTableGuards('app.runtime-oom');
  // A name longer than the kernel keeps may appear whole or cut, followed by anything: the cut name alone finds both.
  if (app.length > COMM_LENGTH)
    return { needles: [app.slice(0, COMM_LENGTH)], tagged: null, lifecycle, oom, lifeSign: isLifeSign };
  // `.s`: the unit types correlate/names.ts reads as the app's — `.service`, `.scope`, `.slice`, `.socket`.
  const needles = [`${app}[`, `${app}:`, `${app}@`, `${app}.s`];
  if (format === 'journal-json') needles.push(`"${app}"`);
  if (format === 'syslog-rfc5424') needles.push(` ${app} `);
  return { needles, tagged: `${app}[`, lifecycle, oom, lifeSign: isLifeSign };
}

/** The guards of the app table's recognisers of one event type. */
function appTableGuards(type: EventType): string[] {
  const guards = tablesReachableFrom('app').flatMap((table) =>
    table.recognisers.filter((r) => r.type === type).map((r) => r.guard),
  );
  return [...new Set(guards)].filter((n) => Buffer.byteLength(n) >= 2);
}

/**
 * Needles for a source of this kind and format, or null when every line must be read (the guardian log: its
 * heartbeat is the evidence, and it is small).
 */
export function needlesFor(
  kind: SourceKind,
  format: string,
  app: string | null,
  /** The file's first lines: they tell whether its systemd names units in job lines. */
  head: readonly string[] = [],
): string[] | null {
  if (kind === 'guardian' || kind === 'unknown') return null;
  const tables = tablesReachableFrom(kind);
  const needles = new Set<string>(FRAMER_NEEDLES[format] ?? []);
  // The app's own lines in a system log (`anqicms[1689]: …`, SYSLOG_IDENTIFIER, `_SYSTEMD_UNIT=anqicms.service`)
  // are its log: every one of them is read, for its lives, its pid changes and its last words.
  for (const n of ownLineNeedles(kind, format, app)?.needles ?? []) needles.add(n);
  const jobsNameUnits = head.some((line) => JOB_NAMING_ITS_UNIT.test(line));
  if (kind === 'kernel' || kind === 'system') needles.add(TASK_TABLE_BLOCK.after);
  for (const table of tables) {
    for (const recogniser of table.recognisers) {
      if (DROPPED.has(recogniser.type)) continue;
      if (APP_FOCUS_ONLY.has(recogniser.type)) {
        if (app === null) continue;
        if (NAMES_ITS_UNIT.has(recogniser.type) || (jobsNameUnits && JOB_LINES.has(recogniser.type))) {
          needles.add(`${app}.service`);
          continue;
        }
      }
      if (recogniser.id === 'app.start.exec-path') {
        for (const n of EXEC_PATH_NEEDLES) needles.add(n);
        continue;
      }
      needles.add(recogniser.guard);
    }
  }
  return [...needles].filter((n) => Buffer.byteLength(n) >= 2);
}
