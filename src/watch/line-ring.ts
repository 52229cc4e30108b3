// The last lines of one followed source, whole (the scanner keeps only events): what an evidence bundle is cut from
// — the OOM block with its task table, the app's last 200 lines, the guardian lines around a death — and where a
// restarted watch reads again from. Bounded in lines and in bytes.
//
// Held without a JS object per line: the texts in one circular byte buffer, positions in typed arrays. Every line of a
// catch-up passes through the ring and stays in it for thousands of lines — long enough for the garbage collector to
// promote each line's objects to the old generation, where a million lines of them piled up (67 → 151 MiB, issue 13).
// Lines are made into objects again only when asked for (a bundle, a replay position).
import type { FollowPosition } from '../sources/follow/position.js';

export interface RingLine {
  /** The follower's running line number (unique for the source's life). */
  readonly lineNo: number;
  readonly text: string;
  readonly position: FollowPosition;
  /** What evidence shows as the line: its number in the file, the kmsg sequence number, or null (journal). */
  readonly displayLine: number | null;
}

/** Characters of a line kept in the ring; the bundle notes nothing more (a 64 KiB line is not evidence). */
const MAX_KEPT_CHARS = 8 * 1024;
/** Room for a file position's head (base64 of at most 64 bytes). */
const HEAD_CHARS = 88;

const FILE = 0;
const KMSG = 1;
const OTHER = 2;

export class LineRing {
  private readonly text: Buffer;
  /** Per slot: where the line's text starts in `text`, and its length in bytes. */
  private readonly textAt: Int32Array;
  private readonly textLength: Int32Array;
  private readonly kind: Uint8Array;
  /** File: dev, ino, offset, line number (NaN: null); kmsg: the sequence number in `offset`. */
  private readonly dev: Float64Array;
  private readonly ino: Float64Array;
  private readonly offset: Float64Array;
  private readonly fileLineNo: Float64Array;
  private readonly display: Float64Array;
  private readonly heads: Buffer;
  private readonly headLength: Uint8Array;
  /** kmsg boot ids (one string shared by a boot's lines) and journal positions. */
  private readonly refs: (FollowPosition | string | null)[];
  /** Slot of the oldest line, lines held, the oldest's number, where the next text goes. */
  private first = 0;
  private count = 0;
  private firstLineNo = 0;
  private writeAt = 0;

  constructor(
    private readonly maxLines: number,
    maxBytes: number,
  ) {
    this.text = Buffer.alloc(maxBytes);
    this.textAt = new Int32Array(maxLines);
    this.textLength = new Int32Array(maxLines);
    this.kind = new Uint8Array(maxLines);
    this.dev = new Float64Array(maxLines);
    this.ino = new Float64Array(maxLines);
    this.offset = new Float64Array(maxLines);
    this.fileLineNo = new Float64Array(maxLines);
    this.display = new Float64Array(maxLines);
    this.heads = Buffer.alloc(maxLines * HEAD_CHARS);
    this.headLength = new Uint8Array(maxLines);
    this.refs = new Array(maxLines).fill(null);
  }

  push(line: RingLine): void {
    // Line numbers are consecutive; a gap (never seen) starts the ring afresh rather than mis-numbering it.
    if (this.count > 0 && line.lineNo !== this.firstLineNo + this.count) this.clear();
    const text = line.text.length > MAX_KEPT_CHARS ? `${line.text.slice(0, MAX_KEPT_CHARS)}…` : line.text;
    const bytes = Math.min(Buffer.byteLength(text), this.text.length >> 2);
    if (this.count === this.maxLines) this.dropOldest();
    let at = this.writeAt;
    if (at + bytes > this.text.length) {
      // The rest of this lap is too short: the lines still in it (the oldest, ahead of the write point) go first.
      while (this.count > 0 && this.textAt[this.first]! >= this.writeAt) this.dropOldest();
      at = 0;
    }
    // The oldest lines whose bytes the new text would overwrite go (they lie ahead of the write point, in order).
    while (this.count > 0 && this.overlapsOldest(at, bytes)) this.dropOldest();
    if (this.count === 0) {
      this.first = 0;
      this.firstLineNo = line.lineNo;
      at = 0;
    }
    const slot = (this.first + this.count) % this.maxLines;
    // Cut to its room, a text ends at a whole character (write() leaves a character that does not fit out).
    const written = this.text.write(text, at, bytes, 'utf8');
    this.textAt[slot] = at;
    this.textLength[slot] = written;
    this.writeAt = at + written;
    this.display[slot] = line.displayLine ?? Number.NaN;
    this.store(slot, line.position);
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  oldest(): RingLine | undefined {
    return this.count > 0 ? this.line(0) : undefined;
  }

  newest(): RingLine | undefined {
    return this.count > 0 ? this.line(this.count - 1) : undefined;
  }

  /** The line with this number, if still held. */
  get(lineNo: number): RingLine | undefined {
    const index = lineNo - this.firstLineNo;
    return index >= 0 && index < this.count ? this.line(index) : undefined;
  }

  /** Lines numbered from..to (inclusive) that are still held. */
  range(from: number, to: number): RingLine[] {
    const lo = Math.max(0, from - this.firstLineNo);
    const hi = Math.min(this.count - 1, to - this.firstLineNo);
    const out: RingLine[] = [];
    for (let i = lo; i <= hi; i++) out.push(this.line(i));
    return out;
  }

  /** The last `count` lines numbered at most `upTo`. */
  lastUpTo(upTo: number, count: number): RingLine[] {
    return this.range(upTo - count + 1, upTo);
  }

  private clear(): void {
    this.count = 0;
    this.first = 0;
    this.writeAt = 0;
    this.refs.fill(null);
  }

  private dropOldest(): void {
    this.refs[this.first] = null;
    this.first = (this.first + 1) % this.maxLines;
    this.firstLineNo++;
    this.count--;
  }

  private overlapsOldest(at: number, bytes: number): boolean {
    const start = this.textAt[this.first]!;
    // An empty line counts as one byte: lines after it start where it does, and must be looked at too.
    const end = start + Math.max(1, this.textLength[this.first]!);
    return at < end && start < at + Math.max(1, bytes);
  }

  private store(slot: number, position: FollowPosition): void {
    switch (position.kind) {
      case 'file': {
        this.kind[slot] = FILE;
        this.dev[slot] = position.dev;
        this.ino[slot] = position.ino;
        this.offset[slot] = position.offset;
        this.fileLineNo[slot] = position.lineNo ?? Number.NaN;
        const written = this.heads.write(position.head, slot * HEAD_CHARS, HEAD_CHARS, 'latin1');
        this.headLength[slot] = written;
        this.refs[slot] = written < position.head.length ? position : null;
        return;
      }
      case 'kmsg':
        this.kind[slot] = KMSG;
        this.offset[slot] = position.seq;
        this.refs[slot] = position.bootId;
        return;
      case 'journal':
        this.kind[slot] = OTHER;
        this.refs[slot] = position;
        return;
    }
  }

  private line(index: number): RingLine {
    const slot = (this.first + index) % this.maxLines;
    const at = this.textAt[slot]!;
    const display = this.display[slot]!;
    return {
      lineNo: this.firstLineNo + index,
      text: this.text.toString('utf8', at, at + this.textLength[slot]!),
      position: this.position(slot),
      displayLine: Number.isNaN(display) ? null : display,
    };
  }

  private position(slot: number): FollowPosition {
    const ref = this.refs[slot] ?? null;
    switch (this.kind[slot]) {
      case FILE: {
        if (ref !== null && typeof ref !== 'string') return ref;
        const lineNo = this.fileLineNo[slot]!;
        return {
          kind: 'file',
          dev: this.dev[slot]!,
          ino: this.ino[slot]!,
          offset: this.offset[slot]!,
          lineNo: Number.isNaN(lineNo) ? null : lineNo,
          head: this.heads.toString('latin1', slot * HEAD_CHARS, slot * HEAD_CHARS + this.headLength[slot]!),
        };
      }
      case KMSG:
        return { kind: 'kmsg', seq: this.offset[slot]!, bootId: typeof ref === 'string' ? ref : null };
      default:
        return ref as FollowPosition;
    }
  }
}
