// Runs one source's lines through its carrier and the recognisers, keeping only what correlation needs:
// recognised events, compressed guardian heartbeats, the app's last line before each cliff, and clock hints.
// A system log's lines that the app wrote itself (its syslog tag, its journal unit) are read as its own log.
import type { Carrier, DroppedLines, Framer } from '../framing/carrier.js';
import type { LogRecord } from '../framing/record.js';
import { workOf } from '../recognise/app-work.js';
import type { Event, OomTask, OomTaskSummary } from '../recognise/event.js';
import { recognise } from '../recognise/index.js';
import { WORK_LOOKBACK_LINES } from '../sources/prefilter/selecting-splitter.js';
import type { RawLine } from '../sources/raw-line.js';
import type {
  BootPair,
  MonotonicAnchors,
  Observation,
  PlacedStamp,
  ScannedSource,
  WorkMark,
} from './observation.js';

/** Enough wall/monotonic pairs to learn a boot time; live lines make the minimum exact, a few suffice. */
const BOOT_PAIRS_PER_SOURCE = 32;
/** Monotonic anchors kept per source (see MonotonicAnchors): enough to find a few lines two captures share. */
const ANCHORS_PER_SOURCE = 4096;
/** Audit records kept per boot: the latest ones, made after the clock was synchronised (AppArmor denials can be many). */
const AUDIT_PAIRS_PER_BOOT = 16;

/** The biggest holders of an OOM report's task table kept in its summary ("anqicms 3.4 GiB, mysqld 0.4 GiB"). */
const TOP_HOLDERS = 5;
/** Work lines kept per life of the app (see WorkMark): more than the diagnosis's window ever holds on a quiet app. */
const WORK_MARKS_PER_LIFE = 200;

/** A month falling by this much between consecutive yearless stamps is Dec→Jan, not lines out of order. */
const ROLLOVER_MONTH_DROP = 6;

/** A task-table summary while its rows are read. */
interface FoldingTable extends OomTaskSummary {
  tasks: number;
  totalRssPages: number;
  readonly top: { pid: number; process: string; rssPages: number }[];
}

export interface SourceScanner {
  push(lines: readonly RawLine[]): void;
  end(): void;
  /** Lines the carrier's framer dropped as damaged (see Framer.dropped), for the source's problems. */
  dropped(): DroppedLines | null;
}

export interface ScanOptions {
  /**
   * True for a record of a kernel/system source that the app in focus wrote itself (`anqicms[1689]: panic: …`,
   * `_SYSTEMD_UNIT=anqicms.service`): it is recognised as an app-log line. Absent: no focus, none is.
   */
  readonly isAppRecord?: (record: LogRecord) => boolean;
  /**
   * False for a kernel/system event that cannot concern the app in focus (another unit's `Started …`, `Deactivated
   * successfully.`): it is not kept. A system log prints one for every timer run and login. Absent: every event is.
   */
  readonly mayConcernApp?: (event: Event) => boolean;
}

export function createSourceScanner(
  source: ScannedSource,
  carrier: Carrier,
  options: ScanOptions = {},
): SourceScanner {
  const framer: Framer = carrier.createFramer(source.id);
  const carriesAppRecords = source.kind === 'kernel' || source.kind === 'system';
  const isAppRecord = carriesAppRecords ? options.isAppRecord : undefined;
  const mayConcernApp = carriesAppRecords ? options.mayConcernApp : undefined;
  let lastMonth = 0;
  let bootSegment = 0;
  let lastMonotonic = -1;
  // Guardian heartbeat run-length compression: only the first and last check of each run of equal values matter.
  let runKey: string | null = null;
  let runFirst = -1;
  let runLast = -1;
  const auditPairs = new Map<string, BootPair[]>();
  // The app's last words before a cliff: kept until the next lifecycle event shows it mattered.
  let pendingLine: Observation | null = null;
  let pendingTimedLine: Observation | null = null;
  // The pids the app's lines carried (system logs give one): a pid not seen before is a new process, whose first line
  // is kept. The first time an earlier pid writes again (two copies writing in turn) that line is kept too, so
  // correlation sees the pids interleave; after that nothing more is, so memory stays bounded.
  const appPids = new Set<number>();
  const returnedPids = new Set<number>();
  let currentPid: number | null = null;
  // After an OutOfMemoryError the JVM may survive: its first own line after the error (not the report) is kept.
  let awaitingLifeSign = false;
  // The OOM report's task table being read: folded into one summary when the next event ends it.
  let table: {
    summary: FoldingTable;
    observation: Observation;
    /** Rows summed by name; bounded by the names in one table, dropped when it ends. */
    byName: Map<string, { pid: number; rssPages: number; biggest: number }>;
  } | null = null;
  // This life's work lines, the oldest dropped past the cap; handed to the source when the life ends.
  let workRing: WorkMark[] = [];
  let lastTimedApp: PlacedStamp | null = null;

  const keep = (observation: Observation): void => {
    source.observations.push(observation);
  };

  /** `boundary`: the line that ends the life (its next start, its end, the file's last line). */
  const flushPendingLines = (boundary: number): void => {
    if (pendingTimedLine && pendingTimedLine !== pendingLine) keep(pendingTimedLine);
    if (pendingLine) keep(pendingLine);
    pendingLine = null;
    pendingTimedLine = null;
    if (workRing.length > 0) {
      // Only what the prefilter decodes too (the lines just before a start or the end): a full read says the same.
      for (const mark of workRing)
        if (mark.lineNo >= boundary - WORK_LOOKBACK_LINES) source.workMarks.push(mark);
      workRing = [];
    }
  };

  const noteWork = (event: Event, placed: PlacedStamp, timed: boolean): void => {
    if (timed) lastTimedApp = placed;
    const work = workOf(event.record.message);
    if (work === null) return;
    workRing.push({ work, lineNo: event.record.lineNo, stamp: lastTimedApp });
    if (workRing.length > WORK_MARKS_PER_LIFE) workRing.shift();
  };

  const foldTask = (event: OomTask, observation: Observation): void => {
    if (table === null) openTable(observation);
    const t = table!;
    t.summary.tasks++;
    const rss = event.rssPages ?? 0;
    t.summary.totalRssPages += rss;
    // By name: php-fpm's or nginx's workers hold the memory together, each one little.
    const held = t.byName.get(event.process);
    if (held === undefined) t.byName.set(event.process, { pid: event.pid, rssPages: rss, biggest: rss });
    else {
      held.rssPages += rss;
      if (rss > held.biggest) {
        held.biggest = rss;
        held.pid = event.pid;
      }
    }
  };

  const openTable = (observation: Observation): void => {
    closeTable();
    const summary: FoldingTable = {
      type: 'oom.task-summary',
      record: observation.event.record,
      tasks: 0,
      totalRssPages: 0,
      top: [],
    };
    table = { summary, observation: { ...observation, event: summary }, byName: new Map() };
  };

  const closeTable = (): void => {
    if (table === null) return;
    if (table.summary.tasks > 0) {
      const top = [...table.byName]
        .map(([process, held]) => ({ pid: held.pid, process, rssPages: held.rssPages }))
        .sort((a, b) => b.rssPages - a.rssPages)
        .slice(0, TOP_HOLDERS);
      table.summary.top.push(...top);
      keep(table.observation);
    }
    table = null;
  };

  const keepCheck = (observation: Observation, key: string, timed: boolean): void => {
    if (key === runKey && runFirst >= 0) {
      // An untimed repeat (cron's output echoed into check.log) says nothing the run's stamped checks do not: as the
      // run's last check it would be placed at the previous stamp and pull the last sign of life back.
      if (!timed) return;
      if (runLast >= 0) source.observations[runLast] = observation;
      else {
        runLast = source.observations.length;
        keep(observation);
      }
      return;
    }
    runKey = key;
    runFirst = source.observations.length;
    runLast = -1;
    keep(observation);
  };

  const place = (record: LogRecord): PlacedStamp => {
    const { stamp } = record;
    if (stamp.kind === 'local' && stamp.year === null) {
      source.yearless = true;
      if (lastMonth - stamp.month >= ROLLOVER_MONTH_DROP) source.rollovers++;
      lastMonth = stamp.month;
    }
    let bootKey: string | null = null;
    const monotonic = record.monotonic ?? (stamp.kind === 'monotonic' ? stamp.seconds : null);
    if (monotonic !== null) {
      if (record.bootId) bootKey = record.bootId;
      else {
        // A stamp smaller than the previous one means the counter restarted: a new boot.
        if (monotonic + 1 < lastMonotonic) bootSegment++;
        bootKey = `${source.id}#${bootSegment}`;
      }
      lastMonotonic = monotonic;
    }
    return { stamp, monotonic, yearOffset: source.rollovers, bootKey };
  };

  const onRecord = (record: LogRecord): void => {
    const placed = place(record);
    if (placed.stamp.kind !== 'none') {
      if (!source.first) source.first = placed;
      source.last = placed;
    }
    const hasWall = placed.stamp.kind === 'local' || placed.stamp.kind === 'instant';
    if (
      placed.monotonic !== null &&
      placed.bootKey !== null &&
      (record.ident === null || record.ident === 'kernel')
    )
      keepAnchor(source.anchors, placed.monotonic, record.message, placed.bootKey);
    const event = isAppRecord?.(record) === true ? recognise(record, 'app') : recognise(record, source.kind);
    if (placed.monotonic !== null && hasWall && placed.bootKey !== null) {
      if (event || source.bootPairs.length < BOOT_PAIRS_PER_SOURCE) {
        source.bootPairs.push({
          bootKey: placed.bootKey,
          wall: placed,
          monotonic: placed.monotonic,
          from: 'receive',
        });
      }
    }
    if (!event) return;
    if (event.type === 'kernel.audit') {
      // Its stamp is all it says: a clock hint, not an observation.
      if (placed.monotonic !== null && placed.bootKey !== null) {
        const pairs = auditPairs.get(placed.bootKey) ?? [];
        pairs.push({
          bootKey: placed.bootKey,
          wall: {
            stamp: { kind: 'instant', ms: event.epochMs },
            monotonic: null,
            yearOffset: 0,
            bootKey: null,
          },
          monotonic: placed.monotonic,
          from: 'audit',
        });
        if (pairs.length > AUDIT_PAIRS_PER_BOOT) pairs.shift();
        auditPairs.set(placed.bootKey, pairs);
      }
      return;
    }
    if (mayConcernApp?.(event) === false) return;
    const observation: Observation = { event, yearOffset: placed.yearOffset, bootKey: placed.bootKey };
    onEvent(event, observation, hasWall || placed.stamp.kind === 'monotonic', placed);
  };

  const onEvent = (event: Event, observation: Observation, timed: boolean, placed: PlacedStamp): void => {
    if (table !== null && event.type !== 'oom.task') closeTable();
    switch (event.type) {
      case 'oom.task':
        // Candidates, not victims: the verdict never needs them and an OOM storm prints thousands. Folded into one
        // summary per report (its biggest holders) for the diagnosis.
        foldTask(event, observation);
        return;
      case 'oom.task-header':
        openTable(observation);
        return;
      case 'guardian.check':
        keepCheck(observation, `${event.name}\u0000${event.value}`, timed);
        return;
      case 'app.line': {
        noteWork(event, placed, timed);
        const newProcess = changesAppPid(event.record.pid);
        if (newProcess || (awaitingLifeSign && !event.report)) {
          awaitingLifeSign = false;
          flushPendingLines(event.record.lineNo);
          keep(observation);
          return;
        }
        pendingLine = observation;
        if (timed) pendingTimedLine = observation;
        return;
      }
      case 'app.runtime-oom':
        awaitingLifeSign = !event.fatal;
        changesAppPid(event.record.pid);
        flushPendingLines(event.record.lineNo);
        keep(observation);
        return;
      case 'app.start':
      case 'app.shutdown':
      case 'app.restart-in-place':
      case 'app.panic':
      case 'app.port-in-use':
        changesAppPid(event.record.pid);
        flushPendingLines(event.record.lineNo);
        keep(observation);
        return;
      default:
        // Any other guardian line breaks a heartbeat run, so the checks around it stay visible.
        if (source.kind === 'guardian') runKey = null;
        keep(observation);
    }
  };

  /** Notes the pid of an app line; true when its line must be kept (see appPids). A pid of null says nothing. */
  const changesAppPid = (pid: number | null): boolean => {
    if (pid === null || pid === currentPid) return false;
    const first = currentPid === null;
    currentPid = pid;
    if (!appPids.has(pid)) {
      appPids.add(pid);
      return !first;
    }
    if (returnedPids.has(pid)) return false;
    returnedPids.add(pid);
    return true;
  };

  return {
    push(lines) {
      for (const line of lines) {
        source.lines = line.lineNo;
        const record = framer.frame(line);
        if (record) onRecord(record);
      }
    },
    end() {
      closeTable();
      flushPendingLines(source.lines + 1);
      // What the framer took off or inferred (grep prefixes, minute-only times) is said with the source.
      for (const note of framer.notes?.() ?? []) if (!source.notes.includes(note)) source.notes.push(note);
      for (const pairs of auditPairs.values()) source.bootPairs.push(...pairs);
    },
    dropped: () => framer.dropped?.() ?? null,
  };
}

/** Keeps the line when its µs stamp is a multiple of the modulus; past the cap, doubles it and drops what no longer is. */
function keepAnchor(anchors: MonotonicAnchors, monotonic: number, message: string, bootKey: string): void {
  const micros = Math.round(monotonic * 1e6);
  if (micros % anchors.modulus !== 0) return;
  anchors.lines.set(micros, { hash: messageHash(message), bootKey });
  if (anchors.lines.size <= ANCHORS_PER_SOURCE) return;
  anchors.modulus *= 2;
  for (const key of anchors.lines.keys()) if (key % anchors.modulus !== 0) anchors.lines.delete(key);
}

/** FNV-1a over the message's UTF-16 code units: equal lines hash equal, and a 32-bit clash between two lines that
 * also share a stamp to the microsecond does not happen in practice. */
function messageHash(message: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < message.length; i++) {
    hash ^= message.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
