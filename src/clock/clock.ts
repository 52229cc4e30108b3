// Places every stamp in wall-clock time: zone for zoneless stamps, year for yearless ones, boot time for monotonic
// ones — each inferred once per source or per boot, and each inference written into the source's notes.
import { problemLine } from '../errors.js';
import type { Observation, PlacedStamp, ScannedSource } from '../scan/observation.js';
import { formatIso, type WallFields, wallOf, wallToMs } from './zone.js';

export interface ClockOptions {
  readonly zone: string;
  /** `--year`: year of each yearless file's first stamp. */
  readonly year: number | null;
  /** `--boot-time`, ms since the epoch. */
  readonly bootTimeMs: number | null;
  /** /proc/stat btime when this machine's own kernel log is read live. */
  readonly liveBootTimeMs: number | null;
  readonly nowMs: number;
}

const MS_PER_YEAR = 365.25 * 24 * 3600 * 1000;
/**
 * How far a yearless file's last stamp may lie after its modification time: its stamps are read in --tz, which may
 * be up to a day ahead of the zone that wrote them; yearFromReference allows the rest of the next day too.
 */
const ZONE_SLACK_MS = 48 * 3600 * 1000;
/** A kernel line received this much after the kernel wrote it was read from a backlog, not live. */
const LATE_RECEIVE_MS = 10_000;

export class Clock {
  private readonly baseYear = new Map<number, number>();
  private readonly bootMs = new Map<string, number>();

  private constructor(
    readonly options: ClockOptions,
    private readonly sources: readonly ScannedSource[],
  ) {}

  /** Infers years (per source) and boot times (per boot) from everything scanned, noting each inference. */
  static build(sources: readonly ScannedSource[], options: ClockOptions): Clock {
    const clock = new Clock(options, sources);
    clock.inferYears();
    clock.inferBootTimes();
    return clock;
  }

  /** Milliseconds since the epoch, or null when the stamp cannot be placed (no stamp, unknown boot time). */
  timeOf(placed: PlacedStamp, sourceId: number): number | null {
    const wall = this.wallTime(placed, sourceId);
    if (placed.monotonic !== null && placed.bootKey !== null) {
      const boot = this.bootMs.get(placed.bootKey);
      if (boot !== undefined) {
        const kernel = boot + placed.monotonic * 1000;
        // A carrier's stamp is its receive time: normally the line's own time (and what the operator sees in the
        // file), but journald or rsyslog reading the kernel's backlog late stamps old lines with the read time.
        if (wall === null || wall - kernel > LATE_RECEIVE_MS) return kernel;
      }
    }
    return wall;
  }

  /** Wall time from the carrier's own stamp only (no monotonic correction). */
  private wallTime(placed: PlacedStamp, sourceId: number): number | null {
    const { stamp } = placed;
    switch (stamp.kind) {
      case 'instant':
        return stamp.ms;
      case 'local': {
        const year = stamp.year ?? this.yearFor(sourceId, placed.yearOffset);
        return year === null ? null : wallToMs({ ...stamp, year }, this.options.zone);
      }
      default:
        return null;
    }
  }

  observationTime(observation: Observation): number | null {
    return this.timeOf(placedOf(observation), observation.event.record.sourceId);
  }

  iso(ms: number | null): string | null {
    return ms === null ? null : formatIso(ms, this.options.zone);
  }

  private yearFor(sourceId: number, yearOffset: number): number | null {
    const base = this.baseYear.get(sourceId);
    return base === undefined ? null : base + yearOffset;
  }

  private inferYears(): void {
    const yearless = this.sources.filter((s) => s.yearless);
    if (yearless.length === 0) return;
    const { year } = this.options;
    if (year !== null) {
      for (const s of yearless) {
        this.baseYear.set(s.id, year);
        s.notes.push(`year ${year} given by --year`);
      }
      return;
    }
    const anchors = this.anchorSpan();
    for (const s of yearless) {
      // No line is written after its file was last modified, nor after now: a year that would put the file's last
      // line (and its kills) later than that is not the file's year, however well it fits the other sources.
      const latestMs = Math.min(s.mtimeMs ?? this.options.nowMs, this.options.nowMs);
      const fromMtime = this.yearFromReference(s, latestMs);
      let laterThanFile: number | null = null;
      if (anchors && s.first && s.last) {
        let best: { year: number; gap: number } | null = null;
        const lo = new Date(anchors.min).getUTCFullYear() - 1;
        const hi = new Date(anchors.max).getUTCFullYear() + 1;
        for (let y = lo; y <= hi; y++) {
          const first = this.wallWithBase(s.first, y);
          const last = this.wallWithBase(s.last, y);
          if (first === null || last === null) continue;
          const gap = Math.max(0, anchors.min - last, first - anchors.max);
          if (last > latestMs + ZONE_SLACK_MS) {
            if (gap < MS_PER_YEAR / 2) laterThanFile = y;
            continue;
          }
          const better =
            !best ||
            gap < best.gap ||
            (gap === best.gap && Math.abs(y - fromMtime) < Math.abs(best.year - fromMtime));
          if (better) best = { year: y, gap };
        }
        if (best && best.gap < MS_PER_YEAR / 2) {
          this.baseYear.set(s.id, best.year);
          s.notes.push(`year ${best.year} inferred from ${anchors.names.join(', ')}`);
          continue;
        }
      }
      this.baseYear.set(s.id, fromMtime);
      const refused =
        laterThanFile === null
          ? ''
          : ` (${laterThanFile}, the other sources' year, would date its lines after the file was last written)`;
      s.notes.push(
        s.mtimeMs !== null
          ? `year ${fromMtime} inferred from the file's modification time${refused}`
          : `year ${fromMtime} assumed (current year; pass --year to set it)${refused}`,
      );
    }
  }

  /** Base year such that the file's last stamp is the latest date not after `referenceMs`. */
  private yearFromReference(s: ScannedSource, referenceMs: number): number {
    const ref = wallOf(referenceMs, this.options.zone);
    const last = s.last?.stamp;
    if (last?.kind !== 'local') return ref.year - s.rollovers;
    const lastAfterRef = last.month > ref.month || (last.month === ref.month && last.day > ref.day + 1);
    return (lastAfterRef ? ref.year - 1 : ref.year) - s.last!.yearOffset;
  }

  private wallWithBase(placed: PlacedStamp, baseYear: number): number | null {
    const { stamp } = placed;
    if (stamp.kind !== 'local') return null;
    const fields: WallFields = { ...stamp, year: stamp.year ?? baseYear + placed.yearOffset };
    return wallToMs(fields, this.options.zone);
  }

  /** The span covered by sources whose stamps carry a year on their own. */
  private anchorSpan(): { min: number; max: number; names: string[] } | null {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const names: string[] = [];
    for (const s of this.sources) {
      if (s.yearless || !s.first || !s.last) continue;
      const first = this.standaloneTime(s.first);
      const last = this.standaloneTime(s.last);
      if (first === null || last === null) continue;
      min = Math.min(min, first);
      max = Math.max(max, last);
      names.push(s.displayPath);
    }
    return names.length ? { min, max, names } : null;
  }

  private standaloneTime(placed: PlacedStamp): number | null {
    const { stamp } = placed;
    if (stamp.kind === 'instant') return stamp.ms;
    if (stamp.kind === 'local' && stamp.year !== null)
      return wallToMs({ ...stamp, year: stamp.year }, this.options.zone);
    return null;
  }

  private inferBootTimes(): void {
    // 1. Each boot that some carrier stamped with both clocks: wall − monotonic, minimised over lines, since a
    //    line is never received before it is written and live lines arrive within milliseconds. A stamp cut to the
    //    whole second (classic syslog) only says the line came before the next second: its bound is a second later.
    //    Failing that, the kernel's audit records: their own stamp is made just before the line is printed, so the
    //    largest wins.
    const received = new Map<string, number>();
    const audited = new Map<string, { ms: number; source: ScannedSource }>();
    for (const s of this.sources) {
      for (const pair of s.bootPairs) {
        const wall = this.wallTime(pair.wall, s.id);
        if (wall === null) continue;
        const boot = wall - pair.monotonic * 1000;
        if (pair.from === 'receive') {
          const { stamp } = pair.wall;
          const bound = boot + (stamp.kind === 'local' && stamp.millis === 0 ? 1000 : 0);
          const known = received.get(pair.bootKey);
          if (known === undefined || bound < known) received.set(pair.bootKey, bound);
        } else {
          const known = audited.get(pair.bootKey);
          if (known === undefined || boot > known.ms) audited.set(pair.bootKey, { ms: boot, source: s });
        }
      }
    }
    for (const [key, ms] of received) this.bootMs.set(key, ms);
    for (const [key, { ms, source }] of audited) {
      if (this.bootMs.has(key)) continue;
      this.bootMs.set(key, ms);
      pushOnce(
        source.notes,
        `boot time ${this.iso(ms)} learned from the kernel's audit records (their audit(…) stamps)`,
      );
    }

    // 2. Boots seen only through monotonic stamps (dmesg, kmsg): given, live, or learned from the same kernel line
    //    in another carrier.
    for (const s of this.sources) {
      const keys = new Set<string>();
      for (const o of s.observations) if (o.bootKey && !this.bootMs.has(o.bootKey)) keys.add(o.bootKey);
      if (s.first?.bootKey && !this.bootMs.has(s.first.bootKey)) keys.add(s.first.bootKey);
      for (const key of keys) {
        if (this.options.bootTimeMs !== null) {
          this.bootMs.set(key, this.options.bootTimeMs);
          pushOnce(s.notes, `boot time ${this.iso(this.options.bootTimeMs)} given by --boot-time`);
        } else if (s.live && this.options.liveBootTimeMs !== null) {
          this.bootMs.set(key, this.options.liveBootTimeMs);
          pushOnce(s.notes, `boot time ${this.iso(this.options.liveBootTimeMs)} from /proc/stat btime`);
        } else {
          const matched = this.bootFromOtherCarrier(s, key);
          const shared = matched ? null : this.bootFromSharedLines(s, key);
          if (matched) {
            this.bootMs.set(key, matched.ms);
            pushOnce(
              s.notes,
              `boot time ${this.iso(matched.ms)} learned from the same kernel line in ${matched.from}`,
            );
          } else if (shared) {
            this.bootMs.set(key, shared.ms);
            pushOnce(
              s.notes,
              `boot time ${this.iso(shared.ms)} learned from ${shared.from}: ${shared.lines} kernel line(s) of this boot are in both files`,
            );
          } else {
            pushOnce(
              s.problems,
              problemLine(
                'OOMS_E_CLOCK_NO_BOOT_TIME',
                `${s.displayPath} has boot-relative stamps and no boot time could be learned — pass --boot-time (the boot's wall-clock time, e.g. from \`uptime -s\` or /proc/stat btime)`,
              ),
            );
          }
        }
      }
    }
    for (const s of this.sources) {
      if (s.format === 'dmesg-ctime' || s.format === 'dmesg-iso') {
        pushOnce(
          s.notes,
          'times were computed by dmesg from the boot time; they drift after a suspend/resume',
        );
      }
    }
  }

  /**
   * The boot time of another file's boot when both files hold the same kernel lines (same stamp to the microsecond,
   * same text): a dmesg capture and a syslog file of the same boot whose kernel lines carry `[mono]`, rotated or not.
   * The boot the most shared lines point to wins.
   */
  private bootFromSharedLines(
    s: ScannedSource,
    bootKey: string,
  ): { ms: number; from: string; lines: number } | null {
    const votes = new Map<string, { lines: number; from: string }>();
    for (const [micros, line] of s.anchors.lines) {
      if (line.bootKey !== bootKey) continue;
      for (const other of this.sources) {
        if (other === s) continue;
        const twin = other.anchors.lines.get(micros);
        if (twin === undefined || twin.hash !== line.hash || !this.bootMs.has(twin.bootKey)) continue;
        const vote = votes.get(twin.bootKey) ?? { lines: 0, from: other.displayPath };
        vote.lines += 1;
        votes.set(twin.bootKey, vote);
      }
    }
    let best: { key: string; lines: number; from: string } | null = null;
    for (const [key, vote] of votes) if (!best || vote.lines > best.lines) best = { key, ...vote };
    return best ? { ms: this.bootMs.get(best.key)!, from: best.from, lines: best.lines } : null;
  }

  private bootFromOtherCarrier(s: ScannedSource, bootKey: string): { ms: number; from: string } | null {
    const offsets: number[] = [];
    let from = '';
    for (const o of s.observations) {
      if (o.bootKey !== bootKey) continue;
      const monotonic = placedOf(o).monotonic;
      if (monotonic === null) continue;
      const message = o.event.record.message;
      for (const other of this.sources) {
        if (other === s) continue;
        for (const p of other.observations) {
          if (p.event.record.message !== message) continue;
          const wall = this.wallTime(placedOf(p), other.id);
          if (wall === null) continue;
          offsets.push(wall - monotonic * 1000);
          from = other.displayPath;
        }
      }
    }
    if (offsets.length === 0) return null;
    offsets.sort((a, b) => a - b);
    return { ms: offsets[Math.floor(offsets.length / 2)]!, from };
  }
}

export function placedOf(observation: Observation): PlacedStamp {
  const { record } = observation.event;
  const monotonic = record.monotonic ?? (record.stamp.kind === 'monotonic' ? record.stamp.seconds : null);
  return { stamp: record.stamp, monotonic, yearOffset: observation.yearOffset, bootKey: observation.bootKey };
}

function pushOnce(list: string[], text: string): void {
  if (!list.includes(text)) list.push(text);
}
