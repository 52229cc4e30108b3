// The recognisers' entry point: routes one framed record to the tables its source kind and ident can hold.

import type { SourceKind } from '../contract/analysis.js';
import type { LogRecord } from '../framing/record.js';
import { appTable, recogniseAppRecord } from './app.js';
import type { Event } from './event.js';
import { guardianTable } from './guardian.js';
import { kernelAuditTable } from './kernel-audit.js';
import { kernelCrashTable } from './kernel-crash.js';
import { kernelMemInfoTable } from './kernel-mem-info.js';
import { kernelOomTable } from './kernel-oom.js';
import { earlyoomTable, fbOomdTable, systemdOomdTable } from './oom-daemons.js';
import { systemdTable } from './systemd.js';
import { type RecogniserTable, recogniseWith } from './table.js';
import { upstartTable } from './upstart.js';

/** Every table, for the registry check and for docs. */
export const RECOGNISER_TABLES: readonly RecogniserTable[] = [
  kernelOomTable,
  kernelMemInfoTable,
  kernelCrashTable,
  kernelAuditTable,
  fbOomdTable,
  systemdTable,
  systemdOomdTable,
  earlyoomTable,
  upstartTable,
  guardianTable,
  appTable,
];

// facebook oomd writes its kill line into the kernel log, and upstart 1.x its job lines (`init: x main process …`),
// so they travel with the kernel tables; audit records also tell the clock when the boot was.
const KERNEL_TABLES: readonly RecogniserTable[] = [
  kernelOomTable,
  kernelMemInfoTable,
  kernelCrashTable,
  fbOomdTable,
  upstartTable,
  kernelAuditTable,
];

// In a system log the ident says who wrote the line: an app printing `Out of memory: Killed process` is not the kernel.
const TABLES_BY_IDENT: ReadonlyMap<string, readonly RecogniserTable[]> = new Map([
  ['kernel', KERNEL_TABLES],
  ['systemd', [systemdTable]],
  ['systemd-oomd', [systemdOomdTable]],
  ['earlyoom', [earlyoomTable]],
  ['oomd', [fbOomdTable]],
  // upstart 0.6 (Ubuntu 10.x) logs through syslog as `init`; the journal renders audit records under `audit`.
  ['init', [upstartTable]],
  ['audit', [kernelCrashTable]],
]);

/** True for a sender whose lines go to a system table (`kernel`, `systemd`, the OOM daemons): never an app's output. */
export function isSystemIdent(ident: string): boolean {
  return TABLES_BY_IDENT.has(ident);
}

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

/** The event one record states, or null. App records that match nothing become `app.line` (last-activity markers). */
export function recognise(record: LogRecord, kind: SourceKind): Event | null {
  if (kind === 'app') return recogniseAppRecord(record);
  for (const table of tablesFor(record, kind)) {
    const event = recogniseWith(table, record);
    if (event !== null) return event;
  }
  return null;
}
