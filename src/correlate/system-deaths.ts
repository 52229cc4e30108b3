// The app's deaths as its service manager and the kernel recorded them, with no guardian or app log needed: systemd's
// `Main process exited, code=…, status=…`, upstart's `main process (N) killed by SEGV signal`, the kernel's segfault
// and traps lines and audit's ANOM_ABEND record. Each is a death of the app, as a kernel OOM kill is. The records of
// one death are grouped (a segfault, its audit record, the core dump, then the exit), with what the service manager
// did next: a deliberate stop before it (`Stopping …`), the restart after it (`Scheduled restart job`, `Started …`).
import type { Event } from '../recognise/event.js';
import type { AppUnit } from './app-unit.js';
import { sameProcessName } from './names.js';
import type { Placed } from './placed.js';

/** A core dump is written before the parent reaps the process: the exit may follow the segfault by this much. */
const CORE_DUMP_MS = 60_000;
/** systemd's default TimeoutStopSec is 90 s: a stop's SIGKILL may come this long after `Stopping …`. */
const STOP_TIMEOUT_MS = 120_000;
/** The kernel prints the segfault line and the audit record in the same instant. */
const SAME_INSTANT_MS = 2_000;

export interface SystemDeath {
  /** The first record of the death. */
  readonly at: number;
  /** The last record that marks the death itself (not the restart). */
  end: number;
  /** The process id, from a record that names the process (upstart's exit line, audit's ANOM_ABEND). */
  pid: number | null;
  /** The number in an app-named segfault line: the process id, or one of its threads' ids. */
  crashPid: number | null;
  /** How the parent saw it end: systemd's `Main process exited`, upstart's `main process (N) …`. */
  exit: Placed | null;
  /** systemd's `Deactivated successfully.`: it ended in a way systemd calls clean, status unsaid. */
  clean: Placed | null;
  /** The kernel's segfault / traps lines and audit's ANOM_ABEND record. */
  readonly crashes: Placed[];
  /** A deliberate stop: `Stopping …` before the death, and its `Stopped …`. */
  readonly stops: Placed[];
  /** systemd's result line and the restart it scheduled: the service manager's word on the death. */
  readonly restartRecords: Placed[];
  readonly others: Placed[];
  /** The next start: `Starting`/`Started` the unit, upstart respawning it. */
  restart: Placed | null;
}

/** What decides which system lines are the app's. */
export interface AppRecords {
  readonly app: string;
  readonly unit: AppUnit;
}

type Role = 'crash' | 'exit' | 'clean' | 'result' | 'stopping' | 'stopped' | 'restart-scheduled' | 'start';

/** The app's deaths in its system lines (sorted by time), oldest first. */
export function findSystemDeaths(systemPlaced: readonly Placed[], records: AppRecords): SystemDeath[] {
  const timed = systemPlaced.filter((p) => p.at !== null);
  const mine = appLines(timed, records);
  const deaths: SystemDeath[] = [];
  let open: SystemDeath | null = null;
  const close = (): void => {
    if (open && recordsADeath(open)) deaths.push(open);
    open = null;
  };
  for (const { placed: p, role } of mine) {
    const at = p.at!;
    const current: SystemDeath | null = open;
    const dying = current !== null && current.restart === null;
    switch (role) {
      case 'crash':
        if (!dying || ended(current) || at - current.end > CORE_DUMP_MS || !samePid(current, p)) {
          close();
          open = newDeath(at);
        }
        addCrash(open!, p, records.app);
        break;
      case 'exit': {
        const wait = current?.stops.length && !current.crashes.length ? STOP_TIMEOUT_MS : CORE_DUMP_MS;
        if (!dying || ended(current) || at - current.end > wait || !samePid(current, p)) {
          close();
          open = newDeath(at);
        }
        open!.exit = p;
        open!.end = at;
        const pid = processPid(p.observation.event);
        if (pid !== null) open!.pid = pid;
        break;
      }
      case 'clean': {
        // After `Stopping …` (the stop's SIGTERM answered), or on its own: the process ended by itself with exit 0
        // or of a stop signal someone else sent.
        const wait = current?.stops.length ? STOP_TIMEOUT_MS : CORE_DUMP_MS;
        if (!dying || ended(current) || at - current.end > wait) {
          close();
          open = newDeath(at);
        }
        open!.clean = p;
        open!.end = at;
        break;
      }
      case 'result':
        if (!dying || at - current.end > CORE_DUMP_MS) {
          close();
          open = newDeath(at);
        }
        open!.restartRecords.push(p);
        break;
      case 'stopping':
        if (dying && (ended(current) || current.crashes.length > 0)) {
          // After the exit: systemd 219 stopping what is left of a unit it is about to restart.
          current.others.push(p);
          break;
        }
        close();
        open = newDeath(at);
        open.stops.push(p);
        break;
      case 'stopped':
        if (dying && at - current.end <= STOP_TIMEOUT_MS) {
          // A stop's own end, or (after the exit and a scheduled restart) part of the restart.
          const deliberate = current.stops.length > 0 && current.restartRecords.every(isResult);
          (deliberate ? current.stops : current.others).push(p);
          if (deliberate) current.end = Math.max(current.end, at);
          break;
        }
        close();
        open = newDeath(at);
        open.stops.push(p);
        break;
      case 'restart-scheduled':
        if (dying) current.restartRecords.push(p);
        break;
      case 'start':
        if (dying) {
          current.restart = p;
          close();
        }
        break;
    }
  }
  close();
  return deaths;
}

function newDeath(at: number): SystemDeath {
  return {
    at,
    end: at,
    pid: null,
    crashPid: null,
    exit: null,
    clean: null,
    crashes: [],
    stops: [],
    restartRecords: [],
    others: [],
    restart: null,
  };
}

function addCrash(death: SystemDeath, p: Placed, app: string): void {
  death.crashes.push(p);
  death.end = Math.max(death.end, p.at!);
  const e = p.observation.event;
  if (e.type === 'kernel.abend') death.pid = e.pid;
  else if (e.type === 'kernel.segfault' && death.crashPid === null && sameProcessName(e.process, app))
    death.crashPid = e.pid;
}

/** An end, a crash, a stop or a failure the service manager recorded; a restart line alone is none. */
function recordsADeath(death: SystemDeath): boolean {
  return (
    ended(death) || death.crashes.length > 0 || death.stops.length > 0 || death.restartRecords.length > 0
  );
}

/** The service manager already saw the main process end: a further end is another death. */
function ended(death: SystemDeath): boolean {
  return death.exit !== null || death.clean !== null;
}

function isResult(p: Placed): boolean {
  return p.observation.event.type === 'unit.result';
}

/** The process id a record names for sure (a segfault line names a thread). */
function processPid(e: Event): number | null {
  return e.type === 'upstart.exited' || e.type === 'kernel.abend' ? e.pid : null;
}

/** Two records with different process ids are two deaths. */
function samePid(death: SystemDeath, p: Placed): boolean {
  const pid = processPid(p.observation.event);
  return pid === null || death.pid === null || pid === death.pid;
}

/** The app's records among the system lines, each with the part it plays. */
function appLines(timed: readonly Placed[], { app, unit }: AppRecords): { placed: Placed; role: Role }[] {
  const out: { placed: Placed; role: Role }[] = [];
  timed.forEach((p, i) => {
    const e = p.observation.event;
    let role: Role | null = null;
    switch (e.type) {
      case 'unit.exited':
        if (unit.names(e.unit)) role = 'exit';
        break;
      case 'unit.result':
        if (unit.names(e.unit)) role = 'result';
        break;
      case 'unit.deactivated':
        if (unit.names(e.unit)) role = 'clean';
        break;
      case 'unit.restart-scheduled':
        if (unit.names(e.unit)) role = 'restart-scheduled';
        break;
      case 'unit.stopping':
        if (unit.names(e.unit)) role = 'stopping';
        break;
      case 'unit.stopped':
        if (unit.names(e.unit)) role = 'stopped';
        break;
      case 'unit.starting':
      case 'unit.started':
        if (unit.names(e.unit)) role = 'start';
        break;
      case 'upstart.exited':
        if (jobNamesApp(e.job, app)) role = 'exit';
        break;
      case 'upstart.respawning':
        if (jobNamesApp(e.job, app)) role = 'start';
        break;
      case 'kernel.abend':
        if (abendIsApp(e, app)) role = 'crash';
        break;
      case 'kernel.segfault':
        if (segfaultIsApp(p, timed, i, { app, unit })) role = 'crash';
        break;
      default:
        break;
    }
    if (role !== null) out.push({ placed: p, role });
  });
  return out;
}

/** upstart names a job by its file (`anqicms`), with its instance for multi-instance jobs (`anqicms (site1)`). */
export function jobNamesApp(job: string, app: string): boolean {
  const name = job.split(' ')[0] ?? job;
  return name === app || sameProcessName(name, app);
}

function abendIsApp(e: Extract<Event, { type: 'kernel.abend' }>, app: string): boolean {
  const binary = e.exe.slice(e.exe.lastIndexOf('/') + 1);
  return (binary !== '' && sameProcessName(binary, app)) || sameProcessName(e.process, app);
}

/**
 * A segfault line is the app's when it names the app, when the fault lies in the app's binary (a named thread of it),
 * or when the audit record printed with it names the app's binary (a named thread faulting in a library), or when the
 * app's service manager saw its main process die of a fault signal within the core dump time after it.
 */
function segfaultIsApp(
  p: Placed,
  timed: readonly Placed[],
  index: number,
  { app, unit }: AppRecords,
): boolean {
  const e = p.observation.event;
  if (e.type !== 'kernel.segfault') return false;
  if (sameProcessName(e.process, app)) return true;
  if (e.object !== null && sameProcessName(e.object, app)) return true;
  for (let j = index + 1; j < timed.length; j++) {
    const next = timed[j]!;
    if (next.at! - p.at! > CORE_DUMP_MS) break;
    const n = next.observation.event;
    if (n.type === 'kernel.abend' && next.at! - p.at! <= SAME_INSTANT_MS && n.process === e.process)
      return abendIsApp(n, app);
    // A thread's id is allocated after its process's: a main process id above the thread id is another process.
    if (n.type === 'upstart.exited' && jobNamesApp(n.job, app) && n.pid <= e.pid)
      return n.signal !== null && FAULT_SIGNAL_NAMES.has(n.signal);
    if (
      n.type === 'unit.exited' &&
      unit.names(n.unit) &&
      n.code !== 'exited' &&
      FAULT_SIGNAL_NAMES.has(`SIG${statusName(n.status)}`)
    )
      return true;
  }
  return false;
}

/** `11/SEGV` → `SEGV`. */
export function statusName(status: string): string {
  return status.slice(status.indexOf('/') + 1);
}

/** The signals the kernel's fault lines end a process with (segfault, general protection: SEGV; traps: ILL, FPE, BUS). */
const FAULT_SIGNAL_NAMES: ReadonlySet<string> = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE']);
