// The recognisers' entry point: routes one framed record to the tables its source kind and ident can hold.

import type { SourceKind } from '../contract/analysis.js';
import type { LogRecord } from '../framing/record.js';
import { appTable } from './app.js';
import type { Event } from './event.js';
import { guardianTable } from './guardian.js';
import { kernelAuditTable } from './kernel-audit.js';
import { kernelCrashTable } from './kernel-crash.js';
import { kernelOomTable } from './kernel-oom.js';
import { earlyoomTable, fbOomdTable, systemdOomdTable } from './oom-daemons.js';
import { systemdTable } from './systemd.js';
import { type RecogniserTable, recogniseWith } from './table.js';

/** Every table, for the registry check and for docs. */
export const RECOGNISER_TABLES: readonly RecogniserTable[] = [
  kernelOomTable,
  kernelCrashTable,
  kernelAuditTable,
  fbOomdTable,
  systemdTable,
  systemdOomdTable,
  earlyoomTable,
  guardianTable,
  appTable,
];

// facebook oomd writes its kill line into the kernel log, so it travels with the kernel tables; audit records only
// tell the clock when the boot was.
const KERNEL_TABLES: readonly RecogniserTable[] = [
  kernelOomTable,
  kernelCrashTable,
  fbOomdTable,
  kernelAuditTable,
];

// In a system log the ident says who wrote the line: an app printing `Out of memory: Killed process` is not the kernel.
const TABLES_BY_IDENT: ReadonlyMap<string, readonly RecogniserTable[]> = new Map([
  ['kernel', KERNEL_TABLES],
  ['systemd', [systemdTable]],
  ['systemd-oomd', [systemdOomdTable]],
  ['earlyoom', [earlyoomTable]],
  ['oomd', [fbOomdTable]],
]);

const GUARDIAN_TABLES: readonly RecogniserTable[] = [guardianTable];
const APP_TABLES: readonly RecogniserTable[] = [appTable];
const NOTHING: readonly RecogniserTable[] = [];

function tablesFor(record: LogRecord, kind: SourceKind): readonly RecogniserTable[] {
  switch (kind) {
    case 'kernel':
      return KERNEL_TABLES;
    case 'system':
      // No ident (a carrier without tags): only the kernel writes bare lines into these files.
      return record.ident === null ? KERNEL_TABLES : (TABLES_BY_IDENT.get(record.ident) ?? NOTHING);
    case 'guardian':
      return GUARDIAN_TABLES;
    case 'app':
      return APP_TABLES;
    case 'unknown':
      return NOTHING;
  }
}

/** Every table a record of a source of this kind can be routed to (the prefilter takes its needles from them). */
export function tablesReachableFrom(kind: SourceKind): readonly RecogniserTable[] {
  switch (kind) {
    case 'system':
      return [...new Set([...KERNEL_TABLES, ...[...TABLES_BY_IDENT.values()].flat()])];
    case 'unknown':
      return NOTHING;
    default:
      return tablesFor({ ident: null } as LogRecord, kind);
  }
}

const NON_BLANK = /(?<char>\S)/;

/** The event one record states, or null. App records that match nothing become `app.line` (last-activity markers). */
export function recognise(record: LogRecord, kind: SourceKind): Event | null {
  for (const table of tablesFor(record, kind)) {
    const event = recogniseWith(table, record);
    if (event !== null) return event;
  }
  if (kind === 'app' && NON_BLANK.test(record.message)) return { type: 'app.line', record };
  return null;
}
