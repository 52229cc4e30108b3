// One followed source inside the live pipeline: its lines go through the same carrier, the same per-source scanner and
// the same recognisers as `analyze` (src/analyze/scan-source.ts) into a ScannedSource that only grows at its end, and
// into a ring of whole lines for the evidence bundle. The window of observations is bounded: now and then its oldest
// part is dropped and the scanner is rebuilt over what is kept (with the same framer, so framing state carries on).

import type { SourceKind } from '../contract/analysis.js';
import { appLog } from '../framing/app-log.js';
import type { Carrier, Framer } from '../framing/carrier.js';
import { detectCarrier, looksLikeAppLogName } from '../framing/detect.js';
import { newScannedSource, type PlacedStamp, type ScannedSource } from '../scan/observation.js';
import { createSourceScanner, type SourceScanner } from '../scan/scan-source.js';
import type { FollowBatch, Follower } from '../sources/follow/follower.js';
import type { FollowPosition } from '../sources/follow/position.js';
import { LineRing, type RingLine } from './line-ring.js';
import { localStampOf } from './local-stamp.js';

export interface LiveSourceSpec {
  readonly follower: Follower;
  readonly sourceId: number;
  /** The carrier when known in advance (kmsg, journal-json, check.log, running.log); else detected from content. */
  readonly carrier: Carrier | null;
  /** This machine's own kernel stream (kmsg, journal): read live up to now, placed with this boot's time. */
  readonly live: boolean;
}

/** Where a line that an observation came from sits, for evidence and for replay after a restart. */
export interface LinePlace {
  readonly position: FollowPosition;
  readonly displayLine: number | null;
}

/** Lines looked at before a source with no known format is given up as unknown. */
const DETECT_MAX_LINES = 200;
/** Observations kept in the window when it is trimmed, and the size that triggers the trim. */
const WINDOW_KEEP = 1_500;
const WINDOW_TRIM_AT = 3_000;
const BOOT_PAIRS_KEPT = 64;

const RING_SIZES: Record<SourceKind, { lines: number; bytes: number }> = {
  kernel: { lines: 10_000, bytes: 2 * 1024 * 1024 },
  system: { lines: 10_000, bytes: 2 * 1024 * 1024 },
  app: { lines: 1_000, bytes: 1024 * 1024 },
  guardian: { lines: 500, bytes: 128 * 1024 },
  unknown: { lines: 2_000, bytes: 512 * 1024 },
};

export class LiveSource {
  readonly follower: Follower;
  readonly id: number;
  readonly live: boolean;
  carrier: Carrier | null;
  ring: LineRing;
  up = false;
  /** How far reading has got (the start of the next line). */
  readPosition: FollowPosition | null = null;
  private source: ScannedSource | null = null;
  private scanner: SourceScanner | null = null;
  private framer: Framer | null = null;
  private undetected: RingLine[] = [];
  private readonly places = new Map<number, LinePlace>();
  /** Set once the format could not be told from the first lines. */
  unknownFormat = false;

  constructor(spec: LiveSourceSpec) {
    this.follower = spec.follower;
    this.id = spec.sourceId;
    this.live = spec.live;
    this.carrier = spec.carrier;
    this.ring = new LineRing(RING_SIZES.unknown.lines, RING_SIZES.unknown.bytes);
    if (spec.carrier) this.useCarrier(spec.carrier);
  }

  get key(): string {
    return this.follower.key;
  }

  get displayPath(): string {
    return this.follower.displayPath;
  }

  get kind(): SourceKind {
    return this.carrier?.kind ?? 'unknown';
  }

  /** Takes a batch from the follower; true when the window of observations changed (correlation should run). */
  push(batch: FollowBatch): boolean {
    if (batch.next) this.readPosition = batch.next;
    const ringLines: RingLine[] = batch.lines.map((line, i) => {
      const position = batch.positions[i]!;
      return { lineNo: line.lineNo, text: line.text, position, displayLine: displayLineOf(position) };
    });
    for (const line of ringLines) this.ring.push(line);
    if (!this.scanner) {
      if (this.unknownFormat) return false;
      this.undetected.push(...ringLines);
      const carrier =
        detectCarrier(
          this.undetected.map((l) => l.text),
          this.displayPath,
        ) ?? (looksLikeAppLogName(this.displayPath) ? appLog : null);
      if (!carrier) {
        if (this.undetected.length >= DETECT_MAX_LINES) {
          this.unknownFormat = true;
          this.undetected = [];
        }
        return false;
      }
      this.useCarrier(carrier);
      const held = this.undetected;
      this.undetected = [];
      return this.scan(held.map((l) => ({ sourceId: this.id, lineNo: l.lineNo, text: l.text })));
    }
    return this.scan(batch.lines);
  }

  /** The window as `correlate` takes it: a copy whose notes and problems are fresh, read live up to `nowMs`. */
  snapshot(nowMs: number, zone: string): ScannedSource | null {
    const s = this.source;
    if (!s || s.lines === 0) return null;
    let last = s.last;
    if (this.live && this.up) {
      // Followed live: nothing more was written up to now, so the source covers now.
      last = nowStamp(nowMs, zone, s);
    }
    return { ...s, notes: [], problems: [], last, mtimeMs: nowMs };
  }

  place(lineNo: number): LinePlace | undefined {
    return this.places.get(lineNo);
  }

  /** Where a restart must read again from: the oldest line still held, or an older one still needed. */
  replayPosition(pinnedLineNos: readonly number[]): FollowPosition | null {
    const oldest = this.ring.oldest();
    let best: FollowPosition | null = oldest?.position ?? this.readPosition;
    let bestLineNo = oldest?.lineNo ?? Number.POSITIVE_INFINITY;
    for (const lineNo of pinnedLineNos) {
      if (lineNo >= bestLineNo) continue;
      const place = this.places.get(lineNo);
      if (place) {
        best = place.position;
        bestLineNo = lineNo;
      }
    }
    return best;
  }

  /** Drops the oldest observations once the window is large, keeping those at or after `pinnedFrom`. */
  trim(pinnedFrom: number): void {
    const s = this.source;
    if (!s || !this.carrier || s.observations.length < WINDOW_TRIM_AT) return;
    this.scanner?.end();
    const cut = s.observations.length - WINDOW_KEEP;
    const kept = s.observations.filter((o, i) => i >= cut || o.event.record.lineNo >= pinnedFrom);
    this.source = { ...s, observations: kept, bootPairs: s.bootPairs.slice(-BOOT_PAIRS_KEPT) };
    this.scanner = createSourceScanner(this.source, this.sharedFramerCarrier(this.carrier));
    const oldestKept = Math.min(
      kept[0]?.event.record.lineNo ?? Number.POSITIVE_INFINITY,
      this.ring.oldest()?.lineNo ?? Number.POSITIVE_INFINITY,
    );
    for (const lineNo of this.places.keys()) if (lineNo < oldestKept) this.places.delete(lineNo);
  }

  private useCarrier(carrier: Carrier): void {
    this.carrier = carrier;
    const size = RING_SIZES[carrier.kind];
    const ring = new LineRing(size.lines, size.bytes);
    const held = this.ring.range(0, Number.MAX_SAFE_INTEGER);
    for (const line of held) ring.push(line);
    this.ring = ring;
    this.framer = carrier.createFramer(this.id);
    this.source = newScannedSource({
      id: this.id,
      path: this.displayPath,
      displayPath: this.displayPath,
      kind: carrier.kind,
      format: carrier.format,
      mtimeMs: null,
      live: this.live,
    });
    this.scanner = createSourceScanner(this.source, this.sharedFramerCarrier(carrier));
  }

  /** The carrier with one framer for the source's whole life (a rebuilt scanner must not restart framing). */
  private sharedFramerCarrier(carrier: Carrier): Carrier {
    const framer = this.framer!;
    return { ...carrier, createFramer: () => framer };
  }

  private scan(lines: FollowBatch['lines']): boolean {
    const s = this.source!;
    const before = s.observations.length;
    const lastBefore = s.observations[before - 1];
    this.scanner!.push(lines);
    const obs = s.observations;
    // New observations are at the end; the scanner may also have replaced the last heartbeat of a run in place.
    for (let i = Math.max(0, before - 8); i < obs.length; i++) {
      const lineNo = obs[i]!.event.record.lineNo;
      if (this.places.has(lineNo)) continue;
      const line = this.ring.get(lineNo);
      if (line) this.places.set(lineNo, { position: line.position, displayLine: line.displayLine });
    }
    return obs.length !== before || obs[obs.length - 1] !== lastBefore;
  }
}

function displayLineOf(position: FollowPosition): number | null {
  switch (position.kind) {
    case 'file':
      return position.lineNo;
    case 'kmsg':
      return position.seq;
    case 'journal':
      return null;
  }
}

/** A stamp for "now" in the source's own terms (a yearless source keeps yearless stamps for the clock). */
function nowStamp(nowMs: number, zone: string, s: ScannedSource): PlacedStamp {
  if (s.yearless) {
    return {
      stamp: localStampOf(nowMs, zone, false),
      monotonic: null,
      yearOffset: s.rollovers,
      bootKey: null,
    };
  }
  return { stamp: { kind: 'instant', ms: nowMs }, monotonic: null, yearOffset: s.rollovers, bootKey: null };
}
