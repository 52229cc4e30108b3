// The substrings a line must contain for any recogniser to claim it: every guard of the tables a source's kind
// can reach. The sources' prefilter decodes only lines holding one (plus their context), so a recogniser added
// to a table is found by the fast path with no second list to keep in step.
import type { SourceKind } from '../contract/analysis.js';
import type { EventType } from './event.js';
import { tablesReachableFrom } from './index.js';

/** Events the scan drops anyway (the task table): their lines need not be decoded. */
const DROPPED: ReadonlySet<EventType> = new Set<EventType>(['oom.task', 'oom.task-header']);

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

/**
 * Needles for a source of this kind and format, or null when every line must be read (the guardian log: its
 * heartbeat is the evidence, and it is small).
 */
// systemd job lines (`Started …`, `Stopping …`) are read whole, not only those naming `<app>.service`: before systemd
// 249 they carry only the unit's description (`Started AnQiCMS.`), tied to the unit after the scan.
export function needlesFor(kind: SourceKind, format: string, _app: string | null): string[] | null {
  if (kind === 'guardian' || kind === 'unknown') return null;
  const tables = tablesReachableFrom(kind);
  const needles = new Set<string>(FRAMER_NEEDLES[format] ?? []);
  for (const table of tables) {
    for (const recogniser of table.recognisers) {
      if (DROPPED.has(recogniser.type)) continue;
      if (recogniser.id === 'app.start.exec-path') {
        for (const n of EXEC_PATH_NEEDLES) needles.add(n);
        continue;
      }
      needles.add(recogniser.guard);
    }
  }
  return [...needles].filter((n) => Buffer.byteLength(n) >= 2);
}
