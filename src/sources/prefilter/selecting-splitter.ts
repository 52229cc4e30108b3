// A line splitter that decodes only the lines that can matter: those holding a needle (every recogniser's
// guard), plus the few around them that the rest of the pipeline reads — the line before each one (dmesg
// continuation lines, the app's last words), the app's last timestamped line before it, the file's first lines
// (format, boot time), one line per region (Dec→Jan rollovers) and its last lines (the source's time span).
// Every other line is only counted, in WebAssembly, without being decoded. A system log's lines the app in focus
// wrote itself are read as running.log is (see Selection.own).
//
// Two areas take turns: while one region is scanned, the next bytes are read into the other, so reading (in the
// thread pool) and scanning (on the main thread) overlap.
import { MAX_LINE_BYTES, type RawLine } from '../raw-line.js';
import { type SplitCounts, type Splitter, utf8Boundary } from '../split-lines.js';
import { LineScan } from './line-scan.js';

/** Which lines to keep besides those holding a needle. */
export interface Selection {
  /** Substrings (UTF-8) a line must contain to be a candidate. */
  readonly needles: readonly string[];
  /** `app`: also keep the last line with an app stamp (Go `log`, ISO, …) before each candidate (its last sign of life). */
  readonly context: 'system' | 'app';
  /** The input's first lines: which byte pairs are rare in it (the scanner looks for needles by rare pairs). */
  readonly sample?: readonly string[];
  /** A system log's lines the app in focus wrote itself (recognise/needles.ts): see OwnLines. */
  readonly own?: OwnLines;
  /**
   * Words of lines that matter only shortly before a death: the app's work lines (recognise/app-work.ts). They are no
   * needles (a busy collector writes thousands): only the WORK_LOOKBACK_LINES lines before a candidate (a start, an
   * end) and before the file's end are looked through for them, and those holding one are decoded.
   */
  readonly work?: readonly string[];
  /** See FollowedBlock. */
  readonly follow?: FollowedBlock;
}

/**
 * Lines after a candidate that are read as a block: the kernel's task table after its header. They hold no needle of
 * their own (a row is `[  2249]     0  2249 …`), so from a line holding `after` every line is decoded up to one holding
 * an `until` (or `maxLines`), across regions.
 */
export interface FollowedBlock {
  readonly after: string;
  readonly until: readonly string[];
  readonly maxLines: number;
}

/** How far before a candidate (or the file's end) work lines are kept; the scan keeps the same (scan-source.ts). */
export const WORK_LOOKBACK_LINES = 400;

/**
 * The needles of a system log's lines the app in focus wrote itself. The scan keeps of them what it keeps of
 * running.log: lines that may start, end or kill a life (one holding a `lifecycle` guard), the first line of a new
 * pid, the app's last line before each of those and before the end, and after a runtime OOM error its next lines
 * (did the JVM live on?). So of a run of `anqicms[1689]: …` lines only those are decoded; none takes the line before
 * it (someone else's). A busy app writes thousands.
 */
export interface OwnLines {
  /** Where the app's name stands in its own lines (also in Selection.needles). */
  readonly needles: readonly string[];
  /** Of those, its tag followed by the writer's pid (`anqicms[`); lines with other needles are all decoded. */
  readonly tagged: string | null;
  /** The app table's guards: needles on the app's own lines only. */
  readonly lifecycle: readonly string[];
  /**
   * The guards of runtime OOM errors: after one, every own line is decoded up to the first that is a sign of life
   * (a JVM may catch the error and go on): see `lifeSign`.
   */
  readonly oom: readonly string[];
  /** True when the scan reads a message under the app's tag as its own words: not blank, not an error report. */
  readonly lifeSign: (message: string) => boolean;
}

/** Bytes per region: a region is scanned once this much is in. */
const REGION_BYTES = 2 * 1024 * 1024;
const MIN_REGION_BYTES = 64 * 1024;
/** The first lines of a file are all kept: they settle its boot time and first stamp, as a full read would. */
const HEAD_LINES = 200;
/** The last lines are all kept: the file's last stamp. */
const TAIL_LINES = 3;
/** How far back to look for the app's last timestamped line before a candidate (a Java stack trace is long). */
const TIMED_LOOKBACK_LINES = 1000;
/**
 * Lines `drain` hands out at once. A reader's batch stays reachable while it awaits its next read (an async generator
 * keeps what it yielded), long enough to outlive two scavenges and be promoted: a region's thousands of lines (a busy
 * app's own lines in syslog) became old-generation garbage, and the prefiltered read took more memory than a full one.
 */
const DRAIN_BATCH_LINES = 256;

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

interface Span {
  readonly start: number;
  readonly end: number;
}

type Pick = (k: number, span: Span) => void;

/** A kept line not decoded yet: its bytes stay in its area until every queued line is handed out. */
interface Queued {
  readonly span: Span;
  readonly lineNo: number;
  readonly cutShort: boolean;
}

/** What the needles found on one line. */
interface LineHits {
  k: number;
  span: Span;
  /** A needle of any line: the line and its context are kept. */
  context: boolean;
  /** The pid in the app's syslog tag (`anqicms[1689]:`): the app wrote the line. */
  pid: number | null;
  /** Where the message after the tag starts. */
  messageAt: number;
  /** Another own-line needle (`anqicms:`, its unit, a journal field): its lines are all decoded. */
  untagged: boolean;
  lifecycle: boolean;
  oom: boolean;
}

/** A region handed over for scanning: `end` bytes of an area, its unfinished last line already moved out. */
interface Region {
  readonly area: 0 | 1;
  readonly end: number;
  readonly final: boolean;
  readonly cutShort: boolean;
}

export class SelectingSplitter implements Splitter {
  readonly #sourceId: number;
  readonly #maxLineBytes: number;
  readonly #context: Selection['context'];
  readonly #scan: LineScan;
  readonly #own: OwnClasses | null;
  readonly #decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  readonly #regionBytes: number;
  readonly #capacity: number;

  /** The area being filled, and how full it is. */
  #current: 0 | 1 = 0;
  #fill = 0;
  #pending: Region | null = null;
  /** Lines completed before the region being scanned. */
  #completed = 0;
  /** The region begins inside a line longer than an area; this many of its bytes came before. */
  #midLineBytes = 0;
  #lastEmitted = 0;
  /** The last line (and last timestamped line) of the previous region, decoded, for candidates at a region start. */
  #previousLast: RawLine | null = null;
  #previousTimed: RawLine | null = null;
  #cutLines = 0;
  #firstCutLineNo: number | null = null;
  /** The kept lines of the region scanned last, in order, decoded as they are handed out (see DRAIN_BATCH_LINES). */
  #queue: (Queued | RawLine)[] = [];
  #queued = 0;
  #queueData: Buffer | null = null;
  #leadingNulBytes = 0;
  /** The area being filled begins at the start of a line (not inside one that filled the area before). */
  #areaStartsLine = true;
  /** The app's last own line (under its tag) in the region being scanned. */
  #ownLast: { readonly k: number; readonly span: Span } | null = null;
  /** The pid of the last tagged own line; after a runtime OOM error, every own line up to a sign of life. */
  #ownPid: number | null = null;
  #ownAll = false;
  readonly #work: readonly Buffer[];
  readonly #follow: {
    readonly after: Buffer;
    readonly until: readonly Buffer[];
    readonly maxLines: number;
  } | null;
  /** Lines of a followed block still to read when the previous region ended inside it. */
  #followLeft = 0;
  /** The work lines among the last WORK_LOOKBACK_LINES lines read so far, decoded: a later region's candidate reaches
   * back into them. */
  #workCarry: RawLine[] = [];

  /**
   * `sizeHint`: the input's size when known — a small file gets small areas (WebAssembly memory is zeroed and
   * held for the whole read). `regionBytes` is for tests: small regions put region boundaries everywhere.
   */
  constructor(options: {
    sourceId: number;
    maxLineBytes?: number;
    selection: Selection;
    sizeHint?: number;
    regionBytes?: number;
  }) {
    this.#sourceId = options.sourceId;
    const hinted =
      options.sizeHint && options.sizeHint > 0
        ? Math.max(MIN_REGION_BYTES, options.sizeHint + 1)
        : REGION_BYTES;
    this.#regionBytes = options.regionBytes ?? Math.min(REGION_BYTES, hinted);
    this.#maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
    // A line that fills a whole area is taken in parts, so it must already be past the cap: then it is cut anyway.
    this.#capacity = Math.max(2 * this.#regionBytes, 2 * (this.#maxLineBytes + 1));
    this.#context = options.selection.context;
    const needles = [...new Set(options.selection.needles)].map((n) => Buffer.from(n, 'utf8'));
    const sample = (options.selection.sample ?? []).map((line) => Buffer.from(line, 'utf8'));
    const own = options.selection.own;
    this.#own = own ? new OwnClasses(options.selection.needles, own) : null;
    this.#work = (options.selection.work ?? []).map((n) => Buffer.from(n, 'utf8'));
    const follow = options.selection.follow;
    this.#follow = follow
      ? {
          after: Buffer.from(follow.after, 'utf8'),
          until: follow.until.map((n) => Buffer.from(n, 'utf8')),
          maxLines: follow.maxLines,
        }
      : null;
    this.#scan = LineScan.acquire(needles, this.#capacity, sample);
  }

  get counts(): SplitCounts {
    return {
      lines: this.#completed,
      cutLines: this.#cutLines,
      firstCutLineNo: this.#firstCutLineNo,
      leadingNulBytes: this.#leadingNulBytes,
    };
  }

  /** Copies a chunk in and returns the lines it completed (for streams that hand out their own buffers). */
  push(input: Uint8Array): RawLine[] {
    const out: RawLine[] = [];
    let offset = 0;
    while (offset < input.length) {
      const take = Math.min(input.length - offset, this.#capacity - this.#fill);
      this.#scan.areas[this.#current].set(input.subarray(offset, offset + take), this.#fill);
      offset += take;
      out.push(...this.commit(take));
      this.#flushInto(out);
    }
    return out;
  }

  /** The free part of the area being filled: read the next bytes into it, then `commit` their count. */
  intake(): Buffer {
    return this.#scan.areas[this.#current].subarray(this.#fill, this.#capacity);
  }

  /**
   * Takes `bytes` more into the area being filled. A complete region is handed over to `drain` (its unfinished
   * last line moved to the other area first), so the next read can run while it is scanned. Lines of the region
   * before that were not drained yet are returned: its area is about to be reused.
   */
  commit(bytes: number): RawLine[] {
    this.#fill = this.#dropLeadingNuls(this.#fill, this.#fill + bytes);
    if (this.#fill < this.#regionBytes) return [];
    const out: RawLine[] = [];
    this.#flushInto(out);
    this.#handOver(false, false);
    return out;
  }

  /**
   * Scans the region handed over, if any, and returns up to DRAIN_BATCH_LINES of the lines it keeps: call again
   * until it returns none.
   */
  drain(): RawLine[] {
    if (this.#queued === this.#queue.length) this.#scanPending();
    return this.#take(DRAIN_BATCH_LINES);
  }

  end(cutShort = false): RawLine[] {
    const out: RawLine[] = [];
    this.#flushInto(out);
    this.#handOver(true, cutShort);
    this.#flushInto(out);
    this.#scan.release();
    this.#own?.release();
    return out;
  }

  /** Every line still to hand out, the region handed over included. */
  #flushInto(out: RawLine[]): void {
    out.push(...this.#take(Number.POSITIVE_INFINITY));
    this.#scanPending();
    out.push(...this.#take(Number.POSITIVE_INFINITY));
  }

  #scanPending(): void {
    const region = this.#pending;
    if (region === null) return;
    this.#pending = null;
    this.#region(region);
  }

  /** Hands out up to `limit` queued lines, decoding them. */
  #take(limit: number): RawLine[] {
    const out: RawLine[] = [];
    const data = this.#queueData;
    while (this.#queued < this.#queue.length && out.length < limit) {
      const item = this.#queue[this.#queued++]!;
      out.push('span' in item ? this.#decode(data!, item.span, item.lineNo, item.cutShort) : item);
    }
    if (this.#queued === this.#queue.length) {
      this.#queue = [];
      this.#queued = 0;
      this.#queueData = null;
    }
    return out;
  }

  /**
   * Drops the NUL runs that start a line from the bytes just read into `[from, to)` of the area being filled, as a
   * full read skips them (LineSplitter); returns where the kept bytes end. A block a crash zeroed is one "line" of
   * megabytes to the scan: left in, it made the line behind it an over-long line cut before its text.
   */
  #dropLeadingNuls(from: number, to: number): number {
    const data = this.#scan.areas[this.#current];
    let write = from;
    let read = from;
    while (read < to) {
      const nul = data.subarray(read, to).indexOf(NUL);
      const stop = nul < 0 ? to : read + nul;
      if (write !== read) data.copy(data, write, read, stop);
      write += stop - read;
      if (nul < 0) break;
      let run = stop;
      while (run < to && data[run] === NUL) run++;
      const lineStart = write === 0 ? this.#areaStartsLine : data[write - 1] === LF;
      if (lineStart) {
        this.#leadingNulBytes += run - stop;
      } else {
        if (write !== stop) data.copy(data, write, stop, run);
        write += run - stop;
      }
      read = run;
    }
    return write;
  }

  /** Ends the region at its last line feed (or takes a line that fills the whole area in parts). */
  #handOver(final: boolean, cutShort: boolean): void {
    const data = this.#scan.areas[this.#current];
    const fill = this.#fill;
    const lastLf = fill > 0 ? data.lastIndexOf(LF, fill - 1) : -1;
    let end: number;
    if (final) end = fill;
    else if (lastLf >= 0) end = lastLf + 1;
    else if (fill >= this.#capacity) end = fill;
    else return;
    const next: 0 | 1 = this.#current === 0 ? 1 : 0;
    if (end > 0) this.#areaStartsLine = data[end - 1] === LF;
    this.#scan.areas[next].set(data.subarray(end, fill), 0);
    this.#pending = { area: this.#current, end, final, cutShort };
    this.#current = next;
    this.#fill = fill - end;
  }

  #region({ area, end, final, cutShort }: Region): void {
    const data = this.#scan.areas[area];
    this.#queueData = data;
    const midLine = this.#midLineBytes > 0;
    const result = this.#scan.scan(area, end, -this.#midLineBytes, this.#maxLineBytes);
    // Line k of the region (0-based) is line number base + k; with midLine, k = 0 is the rest of an earlier line.
    const base = this.#completed + 1;
    // A last line without a line feed — possibly the tail of a line that already filled earlier regions.
    const unterminated = (end > 0 && data[end - 1] !== LF) || (final && end === 0 && midLine);
    const segments = result.feeds + (unterminated ? 1 : 0);
    const picked = new Map<number, Span>();
    const pick: Pick = (k, span) => {
      if (k === 0 && midLine) return; // its beginning was handled with the region that held it
      if (!picked.has(k)) picked.set(k, span);
    };

    let hitOnFirstLine = false;
    const carried: RawLine[] = [];
    // The work lines before each candidate (see Selection.work); reaching past the region's start, the carried ones.
    let reachedBack: number | null = null;
    // Lines below this were looked through by an earlier candidate's walk: candidates close together (a task table,
    // a burst of kills) would otherwise look through the same lines again and again.
    let walkedTo = 0;
    const takeWorkBefore = (k: number, span: Span): void => {
      const from = k - WORK_LOOKBACK_LINES;
      if (from < 0) reachedBack = Math.min(reachedBack ?? Number.POSITIVE_INFINITY, base + from);
      const lowest = k >= walkedTo ? Math.max(0, from, walkedTo) : Math.max(0, from);
      let line: Span | null = span.start === 0 ? null : lineEndingAt(data, span.start - 1);
      for (let j = k - 1; j >= lowest && line !== null; j--) {
        if (this.#isWorkLine(data, line)) pick(j, line);
        line = line.start === 0 ? null : lineEndingAt(data, line.start - 1);
      }
      walkedTo = Math.max(walkedTo, k);
    };
    const takeLine = (line: LineHits): void => {
      if (line.k === 0 && midLine) return; // its beginning was handled with the region that held it
      if (line.pid !== null || line.untagged) this.#ownLine(line, data, pick);
      if (!line.context) return;
      if (this.#work.length > 0) takeWorkBefore(line.k, line.span);
      pick(line.k, line.span);
      if (line.k === (midLine ? 1 : 0)) hitOnFirstLine = true;
      if (line.k > 0) {
        const before = lineEndingAt(data, line.span.start - 1);
        pick(line.k - 1, before);
        if (this.#context === 'app') pickTimedBefore(data, line.k - 1, before, pick);
      }
    };
    // Hits come in byte order, so a line's hits come together.
    const lines: LineHits[] = [];
    let line = null as LineHits | null;
    for (const hit of result.hits) {
      if (line?.k !== hit.feedsBefore) {
        if (line !== null) lines.push(line);
        const span = lineAround(data, hit.offset, end);
        line = {
          k: hit.feedsBefore,
          span,
          context: false,
          pid: null,
          messageAt: 0,
          untagged: false,
          lifecycle: false,
          oom: false,
        };
      }
      if (this.#own === null) line.context = true;
      else this.#own.note(line, data, hit.offset);
    }
    if (line !== null) lines.push(line);
    this.#own?.findGuards(lines, data);
    for (const l of lines) takeLine(l);
    if (this.#follow !== null) this.#followBlocks(data, lines, end, segments, midLine, pick);
    if (this.#work.length > 0) {
      const endSpan = segments > 0 ? lineEndingAt(data, unterminated ? end : end - 1) : null;
      if (final && endSpan !== null) {
        // The file's end is the last life's death: its last line and the work lines before it.
        if (this.#isWorkLine(data, endSpan)) pick(segments - 1, endSpan);
        takeWorkBefore(segments - 1, endSpan);
      }
      if (reachedBack !== null) carried.push(...this.#workCarry.filter((l) => l.lineNo >= reachedBack!));
      this.#keepWorkCarry(data, endSpan, base, segments);
    }
    // The region's last own line is kept too: it may be the one before a line that matters in a later region, or the
    // file's last (the scan keeps what is pending at the end), and later lines may not be handed out before it.
    if (this.#ownLast !== null) pick(this.#ownLast.k, this.#ownLast.span);
    this.#ownLast = null;
    // The file's first lines, one line per region, and (at the end) its last lines.
    if (base <= HEAD_LINES) pickFirst(data, Math.min(segments, HEAD_LINES - base + 1), end, pick);
    else pickFirst(data, Math.min(segments, midLine ? 2 : 1), end, pick);
    const tailFound = final && segments > 0 && pickLast(data, segments, end, this.#context, pick);

    // Candidates on the region's first line need the previous region's last lines as context, and so does the file's
    // end when its last region holds too few of its last lines (the last read ended the region before at a line feed).
    if (hitOnFirstLine || (final && !tailFound)) {
      if (this.#context === 'app' && this.#previousTimed) carried.push(this.#previousTimed);
      if (this.#previousLast) carried.push(this.#previousLast);
    }
    for (const l of carried.sort((a, b) => a.lineNo - b.lineNo)) this.#queueCarried(l);
    for (const k of [...picked.keys()].sort((a, b) => a - b)) {
      const lineNo = base + k;
      if (lineNo <= this.#lastEmitted) continue;
      const isLast = k === segments - 1;
      this.#queue.push({
        span: picked.get(k)!,
        lineNo,
        cutShort: isLast && unterminated && (cutShort || !final),
      });
      this.#lastEmitted = lineNo;
    }

    this.#countLongLines(data, result.longLines, base, end, midLine);
    if (final && unterminated && !cutShort) {
      const span = lineEndingAt(data, end);
      const length = span.end - span.start + (segments === 1 ? this.#midLineBytes : 0);
      if (length > this.#maxLineBytes) this.#noteCut(base + segments - 1);
    }
    this.#rememberLastLines(data, end, base, segments, unterminated);

    if (unterminated && !final) {
      // No line feed in a full area: the line goes on into the next region.
      this.#completed += result.feeds;
      this.#midLineBytes += end;
      return;
    }
    this.#completed += segments;
    this.#midLineBytes = 0;
  }

  /**
   * Decides on one of the app's own lines (see OwnLines): decoded when it may matter, and then with the tagged own
   * line before it (what the scan holds as the app's last words when this line turns out to be a start, an end or a
   * new pid). Only a line under the app's tag counts as that line: the others (`anqicms:`) may be mentions.
   */
  #ownLine(line: LineHits, data: Buffer, pick: Pick): void {
    // Another needle on the line may have hidden a guard found at the same bytes: look for them all.
    if (line.context) this.#own!.lookForGuards(line, data);
    const pidChanged = line.pid !== null && line.pid !== this.#ownPid;
    if (pidChanged) this.#ownPid = line.pid;
    const all = this.#ownAll;
    // After a runtime OOM error the scan waits for the app's next own words (the JVM lived on): all lines up to them.
    if (line.oom) this.#ownAll = true;
    else if (all && line.pid !== null && !line.lifecycle) this.#ownAll = !this.#own!.isLifeSign(line, data);
    if (line.context || line.untagged || pidChanged || line.lifecycle || line.oom || all) {
      // The one before, in this region: an earlier region kept its last.
      if (this.#ownLast !== null) pick(this.#ownLast.k, this.#ownLast.span);
      pick(line.k, line.span);
    }
    if (line.pid !== null) this.#ownLast = { k: line.k, span: line.span };
  }

  /** Picks the lines of each followed block (Selection.follow) begun in this region or carried into it. */
  #followBlocks(
    data: Buffer,
    lines: readonly LineHits[],
    end: number,
    segments: number,
    midLine: boolean,
    pick: Pick,
  ): void {
    const follow = this.#follow!;
    const run = (k: number, start: number, left: number): number => {
      while (left > 0 && k < segments && start < end) {
        const lf = data.indexOf(LF, start);
        const span = { start, end: lf === -1 || lf >= end ? end : lf };
        const bytes = data.subarray(span.start, span.end);
        if (follow.until.some((u) => bytes.includes(u))) return 0;
        pick(k, span);
        left--;
        k++;
        start = span.end + 1;
      }
      return k >= segments ? left : 0;
    };
    let left = this.#followLeft;
    if (left > 0) left = run(midLine ? 1 : 0, midLine ? data.indexOf(LF) + 1 : 0, left);
    for (const line of lines) {
      if (!data.subarray(line.span.start, line.span.end).includes(follow.after)) continue;
      left = run(line.k + 1, line.span.end + 1, follow.maxLines);
    }
    this.#followLeft = left;
  }

  /** True when the line holds a work word (Selection.work). */
  #isWorkLine(data: Buffer, span: Span): boolean {
    const bytes = data.subarray(span.start, span.end);
    return this.#work.some((w) => bytes.includes(w));
  }

  /** Decodes the work lines among the region's last WORK_LOOKBACK_LINES lines (with the carry they do not cover), for
   * a candidate early in a later region. */
  #keepWorkCarry(data: Buffer, last: Span | null, base: number, segments: number): void {
    const found: RawLine[] = [];
    let span: Span | null = last;
    for (let k = segments - 1; k >= 0 && k >= segments - WORK_LOOKBACK_LINES && span !== null; k--) {
      if (this.#isWorkLine(data, span)) found.push(this.#decode(data, span, base + k, false));
      span = span.start === 0 ? null : lineEndingAt(data, span.start - 1);
    }
    const reach = base + segments - WORK_LOOKBACK_LINES;
    this.#workCarry = [
      ...this.#workCarry.filter((l) => l.lineNo >= reach && l.lineNo < base),
      ...found.reverse(),
    ];
  }

  #queueCarried(line: RawLine): void {
    if (line.lineNo <= this.#lastEmitted) return;
    this.#queue.push(line);
    this.#lastEmitted = line.lineNo;
  }

  /** Keeps the region's last complete line (and last timestamped one) for a candidate at the next region's start. */
  #rememberLastLines(data: Buffer, end: number, base: number, segments: number, unterminated: boolean): void {
    const complete = unterminated ? segments - 1 : segments;
    if (complete <= 0) return;
    const lastLf = unterminated ? data.lastIndexOf(LF, end - 1) : end - 1;
    let span = lineEndingAt(data, lastLf);
    this.#previousLast = this.#decode(data, span, base + complete - 1, false);
    if (this.#context !== 'app') return;
    for (let i = 0; i < TIMED_LOOKBACK_LINES && complete - 1 - i >= 0; i++) {
      if (hasAppStamp(data, span.start, span.end)) {
        this.#previousTimed = this.#decode(data, span, base + complete - 1 - i, false);
        return;
      }
      if (span.start === 0) return;
      span = lineEndingAt(data, span.start - 1);
    }
  }

  #countLongLines(data: Buffer, longLines: number, base: number, end: number, midLine: boolean): void {
    if (longLines === 0) return;
    this.#cutLines += longLines;
    if (this.#firstCutLineNo !== null) return;
    // Rare: find which line it was, for the message.
    if (midLine) {
      this.#firstCutLineNo = base;
      return;
    }
    let start = 0;
    for (let k = 0; start < end; k++) {
      const lf = data.indexOf(LF, start);
      if (lf === -1 || lf >= end) break;
      if (lf - start > this.#maxLineBytes) {
        this.#firstCutLineNo = base + k;
        return;
      }
      start = lf + 1;
    }
  }

  #noteCut(lineNo: number): void {
    this.#cutLines++;
    this.#firstCutLineNo ??= lineNo;
  }

  /** The same text a full read gives for this line: leading NULs skipped, CR dropped, cut at the cap. */
  #decode(data: Buffer, span: Span, lineNo: number, cutShort: boolean): RawLine {
    let start = span.start;
    let stop = span.end;
    while (start < stop && data[start] === NUL) start++;
    this.#leadingNulBytes += start - span.start;
    if (stop > start && data[stop - 1] === CR) stop--;
    const tooLong = stop - start > this.#maxLineBytes;
    if (tooLong) stop = utf8Boundary(data, start, start + this.#maxLineBytes);
    let text = this.#decoder.decode(data.subarray(start, stop));
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { sourceId: this.#sourceId, lineNo, text, truncated: tooLong || cutShort };
  }
}

/**
 * OwnLines' needles by what a hit of each tells. The scanner reports one needle per byte where its anchor (three of
 * its bytes) is found, so two needles that can share three bytes may hide one behind the other: an own-line needle
 * that can share them with another needle is taken as a needle of any line, which is always safe. The guards are
 * looked for in a second pass over the app's own lines alone: among every line's bytes, their candidates would cost
 * the scanner four times what the other needles do.
 */
class OwnClasses {
  readonly #tagged: Buffer | null;
  readonly #untagged: readonly Buffer[];
  readonly #guards: readonly { readonly bytes: Buffer; readonly oom: boolean }[];
  /** What the guard scanner looks for: a line holding a guard holds one of these (`out of memory` is in three). */
  readonly #detect: readonly Buffer[];
  readonly #lifeSign: (message: string) => boolean;
  readonly #decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  #guardScan: LineScan | null = null;

  constructor(needles: readonly string[], own: OwnLines) {
    const ownNeedles = new Set(own.needles);
    const any = needles.filter((n) => !ownNeedles.has(n)).map((n) => Buffer.from(n, 'utf8'));
    const alone = (n: string): Buffer | null => {
      const bytes = Buffer.from(n, 'utf8');
      return any.some((o) => canOverlap(bytes, o)) ? null : bytes;
    };
    this.#tagged = own.tagged === null ? null : alone(own.tagged);
    this.#untagged = own.needles.filter((n) => n !== own.tagged).flatMap((n) => alone(n) ?? []);
    const oom = new Set(own.oom);
    const guards = [...new Set([...own.lifecycle, ...own.oom])];
    this.#guards = guards.map((n) => ({ bytes: Buffer.from(n, 'utf8'), oom: oom.has(n) }));
    this.#detect = guards
      .filter((g) => !guards.some((other) => other !== g && g.includes(other)))
      .map((n) => Buffer.from(n, 'utf8'));
    this.#lifeSign = own.lifeSign;
  }

  /** True when the message under the app's tag is a sign of life (see OwnLines.lifeSign). */
  isLifeSign(line: LineHits, data: Buffer): boolean {
    return this.#lifeSign(this.#decoder.decode(data.subarray(line.messageAt, line.span.end)));
  }

  /** Notes what the needle found at `at` tells of its line. */
  note(line: LineHits, data: Buffer, at: number): void {
    if (this.#tagged !== null && startsWith(data, at, line.span.end, this.#tagged)) {
      // Anywhere but where a syslog tag stands, the name is a mention (`grep anqicms[1689]:`): a line of any other.
      const tag = syslogTag(data, at, this.#tagged.length, line.span);
      if (tag === null) line.context = true;
      else if (line.pid === null) {
        line.pid = tag.pid;
        line.messageAt = tag.messageAt;
      }
      return;
    }
    if (this.#untagged.some((n) => startsWith(data, at, line.span.end, n))) line.untagged = true;
    else line.context = true;
  }

  /**
   * Marks the app's own lines that hold a guard (#ownLine looks on lines with other needles itself): their bytes, one
   * line after another, go through a scanner of the guards alone.
   */
  findGuards(lines: readonly LineHits[], data: Buffer): void {
    const own = lines.filter((l) => (l.pid !== null || l.untagged) && !l.context);
    if (own.length === 0 || this.#guards.length === 0) return;
    // No sample: the app's lines are not the file's first lines, and anchors chosen by shape alone cost little.
    this.#guardScan ??= LineScan.acquire(this.#detect, GUARD_SCAN_BYTES);
    const scan = this.#guardScan;
    const area = scan.areas[0];
    for (let i = 0; i < own.length; ) {
      const batch: LineHits[] = [];
      let fill = 0;
      for (; i < own.length; i++) {
        const line = own[i]!;
        // With its line feed: `/\n` ends an exec-path line.
        const bytes = line.span.end - line.span.start + 1;
        if (bytes > GUARD_SCAN_BYTES) {
          this.lookForGuards(line, data);
          continue;
        }
        if (fill + bytes > GUARD_SCAN_BYTES) break;
        data.copy(area, fill, line.span.start, line.span.end);
        area[fill + bytes - 1] = LF;
        fill += bytes;
        batch.push(line);
      }
      for (const hit of scan.scan(0, fill, 0, GUARD_SCAN_BYTES).hits)
        this.lookForGuards(batch[hit.feedsBefore]!, data);
    }
  }

  /** Looks for every guard on the line. */
  lookForGuards(line: LineHits, data: Buffer): void {
    const text = data.subarray(line.span.start, Math.min(data.length, line.span.end + 1));
    for (const guard of this.#guards) {
      if (text.indexOf(guard.bytes) < 0) continue;
      if (guard.oom) line.oom = true;
      else line.lifecycle = true;
    }
  }

  release(): void {
    this.#guardScan?.release();
    this.#guardScan = null;
  }
}

/** The guard scanner's area: the app's lines of a region go through it this many bytes at a time. */
const GUARD_SCAN_BYTES = 256 * 1024;

function startsWith(data: Buffer, at: number, end: number, needle: Buffer): boolean {
  if (at + needle.length > end) return false;
  for (let i = 0; i < needle.length; i++) if (data[at + i] !== needle[i]) return false;
  return true;
}

/**
 * The pid of the syslog tag `␠anqicms[1689]: ` whose name starts at `at`, and where the message after it starts; null
 * when these bytes are not the line's tag: a tag is the first word that ends in `: ` (hosts and stamps hold none).
 */
function syslogTag(
  data: Buffer,
  at: number,
  nameBytes: number,
  span: Span,
): { readonly pid: number; readonly messageAt: number } | null {
  if (at === span.start || data[at - 1] !== 0x20) return null;
  const from = at + nameBytes;
  let pid = 0;
  let i = from;
  for (; i < span.end && i - from < 10; i++) {
    const digit = (data[i] as number) - 0x30;
    if (digit < 0 || digit > 9) break;
    pid = pid * 10 + digit;
  }
  if (i === from || data[i] !== 0x5d || data[i + 1] !== 0x3a) return null;
  const after = i + 2;
  if (after < span.end && data[after] !== 0x20 && data[after] !== CR) return null;
  for (let c = span.start; c < at; c++) if (data[c] === 0x3a && data[c + 1] === 0x20) return null;
  return { pid, messageAt: Math.min(after + 1, span.end) };
}

/**
 * True when `b` can stand over as many bytes of `a` as an anchor holds (three, two for a needle of two), inside it or
 * across one of its ends.
 */
function canOverlap(a: Buffer, b: Buffer): boolean {
  const least = Math.min(3, a.length, b.length);
  for (let shift = least - b.length; shift <= a.length - least; shift++) {
    const from = Math.max(0, shift);
    const to = Math.min(a.length, shift + b.length);
    let same = true;
    for (let i = from; i < to && same; i++) same = a[i] === b[i - shift];
    if (same) return true;
  }
  return false;
}

/** The line holding byte `at`, without its line feed. */
function lineAround(data: Buffer, at: number, end: number): Span {
  const start = at > 0 ? data.lastIndexOf(LF, at - 1) + 1 : 0;
  const lf = data.indexOf(LF, at);
  return { start, end: lf === -1 || lf >= end ? end : lf };
}

/** The line whose line feed is at `lf` (or that ends at `lf` when it is the region's unterminated tail). */
function lineEndingAt(data: Buffer, lf: number): Span {
  const start = lf > 0 ? data.lastIndexOf(LF, lf - 1) + 1 : 0;
  return { start, end: lf };
}

function pickTimedBefore(data: Buffer, k: number, span: Span, pick: Pick): void {
  let line = span;
  for (let i = 0; i < TIMED_LOOKBACK_LINES && k - i >= 0; i++) {
    if (hasAppStamp(data, line.start, line.end)) {
      pick(k - i, line);
      return;
    }
    if (line.start === 0) return;
    line = lineEndingAt(data, line.start - 1);
  }
}

function pickFirst(data: Buffer, count: number, end: number, pick: Pick): void {
  let start = 0;
  for (let k = 0; k < count && start < end; k++) {
    const lf = data.indexOf(LF, start);
    const stop = lf === -1 || lf >= end ? end : lf;
    pick(k, { start, end: stop });
    start = stop + 1;
  }
}

/** Picks the region's last lines and (app context) its last timestamped line: true when the region held them all. */
function pickLast(
  data: Buffer,
  segments: number,
  end: number,
  context: Selection['context'],
  pick: Pick,
): boolean {
  let stop = data[end - 1] === LF ? end - 1 : end;
  let timedFound = context !== 'app';
  for (let i = 0; i < TIMED_LOOKBACK_LINES && segments - 1 - i >= 0; i++) {
    const span = lineEndingAt(data, stop);
    const k = segments - 1 - i;
    const timed = !timedFound && hasAppStamp(data, span.start, span.end);
    if (i < TAIL_LINES || timed) pick(k, span);
    if (timed) timedFound = true;
    if (i >= TAIL_LINES - 1 && timedFound) return true;
    if (span.start === 0) return false;
    stop = span.start - 1;
  }
  return false;
}

/** The offset of the `]` closing a short `[prefix]` at the start of the line; -1 when there is none. */
function bracketEnd(data: Buffer, start: number, end: number): number {
  for (let i = 1; i <= 33 && start + i < end; i++) if (data[start + i] === 0x5d) return i;
  return -1;
}

/**
 * An application's stamp at the start of the line (framing/app-stamp.ts has the full forms): Go's `log`
 * `2006/01/02 15:04:05` (also behind a `[prefix] `, and gin's `[GIN] 2006/01/02 - 15:04:05`), ISO
 * `2024-03-05 13:02:11` / `2024-03-05T13:02:11` (logback, log4j, Spring Boot, Jetty), the same in brackets or after
 * logrus's `time="`, and Tomcat's `05-Mar-2024 13:02:11`. Bytes only: no decoding.
 */
function hasAppStamp(data: Buffer, start: number, end: number): boolean {
  if (end - start < 19) return false;
  const at = (i: number): number => data[start + i] as number;
  const digit = (i: number): boolean => at(i) >= 0x30 && at(i) <= 0x39;
  // `yyyy?mm?dd?HH:MM:SS` from offset o, with `sep` between the date's parts and `gap` more bytes before the time.
  const dateTime = (o: number, sep: number, gap = 0): boolean =>
    end - start >= o + gap + 19 &&
    digit(o) &&
    digit(o + 3) &&
    at(o + 4) === sep &&
    at(o + 7) === sep &&
    (at(o + 10) === 0x20 || at(o + 10) === 0x54) &&
    at(o + gap + 13) === 0x3a &&
    at(o + gap + 16) === 0x3a;
  const first = at(0);
  if (first === 0x5b) {
    if (dateTime(1, 0x2d)) return true; // [2024-03-05 13:02:11,123]
    // `[app] 2024/07/23 10:04:01` (Go log with a prefix), `[GIN] 2024/07/23 - 10:04:01`.
    const o = bracketEnd(data, start, end) + 2;
    return o > 2 && (dateTime(o, 0x2f) || (dateTime(o, 0x2f, 2) && at(o + 11) === 0x2d));
  }
  if (first === 0x74) return at(5) === 0x22 && dateTime(6, 0x2d); // time="
  if (at(2) === 0x2d) return digit(0) && at(6) === 0x2d && at(11) === 0x20 && at(14) === 0x3a; // dd-Mon-yyyy
  return dateTime(0, 0x2f) || dateTime(0, 0x2d);
}
