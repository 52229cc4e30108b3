// Which systemd lines are about the app's unit. Lines that carry the unit's name (`anqicms.service: …`) say so
// themselves; job lines of systemd before 249 carry only the unit's Description= (`Stopped AnQiCMS.`, `Started
// EC_iot service test.`), so the description is learned from the unit's own lines around it: the job lines systemd
// prints right after `x.service: Scheduled restart job …` / `x.service holdoff time over, scheduling restart.` are
// that unit's (systemd/systemd#13574: `iot.service holdoff time over, scheduling restart.` then `Stopping EC_iot service
// test...`), and so is a `Stopping …` right before the unit's `Main process exited` or `Succeeded.`. A description never seen next to
// its unit is the app's when its first word is the app's name (`AnQiCMS` → anqicms).
import type { Event } from '../recognise/event.js';
import { unitNamesApp } from './names.js';
import type { Placed } from './placed.js';

/** systemd prints a job line in the same instant as the unit line it follows. */
const NEIGHBOUR_MS = 1_000;

const UNIT_NAME = /\.(?<type>service|scope|slice|socket|target|timer|mount|automount|swap|path|device)$/;

const JOB_TYPES: ReadonlySet<Event['type']> = new Set([
  'unit.stopping',
  'unit.stopped',
  'unit.starting',
  'unit.started',
]);

/** `anqicms.service`, `session-5.scope`: a unit's name, not a description. */
export function isUnitName(text: string): boolean {
  return UNIT_NAME.test(text);
}

/**
 * False for a systemd job or clean-end line that names another unit by its unit name (`Started session-5.scope - …`,
 * `man-db.service: Deactivated successfully.`): it is never the app's, and no other unit's line is learned from. A
 * system log holds one for every timer run and login, so the scan drops them once the app is known.
 */
export function mayConcernApp(event: Event, app: string): boolean {
  switch (event.type) {
    case 'unit.stopping':
    case 'unit.stopped':
    case 'unit.starting':
    case 'unit.started':
    case 'unit.deactivated':
      return !isUnitName(event.unit) || unitNamesApp(event.unit, app);
    default:
      return true;
  }
}

export interface AppUnit {
  /** True when a systemd line's unit (a unit name, or a description from a job line) is the app's unit. */
  names(unitOrDescription: string): boolean;
}

export function learnAppUnit(systemPlaced: readonly Placed[], app: string): AppUnit {
  const unitOf = new Map<string, string>();
  for (const lines of bySource(systemPlaced)) {
    const units = lines.filter((p) => p.observation.event.type.startsWith('unit.'));
    units.forEach((p, i) => {
      const e = p.observation.event;
      if (!JOB_TYPES.has(e.type) || !('unit' in e) || UNIT_NAME.test(e.unit) || unitOf.has(e.unit)) return;
      const unit =
        unitBefore(p, units[i - 1]) ?? (e.type === 'unit.stopping' ? unitAfter(p, units[i + 1]) : null);
      if (unit !== null) unitOf.set(e.unit, unit);
    });
  }
  const appName = app.toLowerCase();
  return {
    names(unitOrDescription) {
      if (UNIT_NAME.test(unitOrDescription)) return unitNamesApp(unitOrDescription, app);
      const learned = unitOf.get(unitOrDescription);
      if (learned !== undefined) return unitNamesApp(learned, app);
      return firstWord(unitOrDescription) === appName;
    },
  };
}

/** The unit whose restart line `job` follows, when it follows one at once. */
function unitBefore(job: Placed, previous: Placed | undefined): string | null {
  const e = previous?.observation.event;
  if (e?.type !== 'unit.restart-scheduled' || !near(job, previous!)) return null;
  return e.unit;
}

/** The unit whose main process end a `Stopping …` line precedes at once (`Stopping OpenSSH server daemon...` then
 * `sshd.service: Succeeded.`). */
function unitAfter(job: Placed, next: Placed | undefined): string | null {
  const e = next?.observation.event;
  if (
    (e?.type !== 'unit.exited' && e?.type !== 'unit.result' && e?.type !== 'unit.deactivated') ||
    !near(job, next!)
  )
    return null;
  return e.unit;
}

function near(a: Placed, b: Placed): boolean {
  return a.at !== null && b.at !== null && Math.abs(a.at - b.at) <= NEIGHBOUR_MS;
}

const WORD = /^[^\s:,.(]+/u;

function firstWord(description: string): string {
  return (WORD.exec(description)?.[0] ?? '').toLowerCase();
}

/** Each source's lines in file order (placed lines arrive source after source). */
function bySource(placed: readonly Placed[]): Placed[][] {
  const groups = new Map<number, Placed[]>();
  for (const p of placed) {
    const list = groups.get(p.source.id) ?? [];
    list.push(p);
    groups.set(p.source.id, list);
  }
  return [...groups.values()];
}
