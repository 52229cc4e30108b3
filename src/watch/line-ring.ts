// The last lines of one followed source, whole (the scanner keeps only events): what an evidence bundle is cut from
// — the OOM block with its task table, the app's last 200 lines, the guardian lines around a death — and where a
// restarted watch reads again from. Bounded in lines and in bytes.
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

export class LineRing {
  private lines: RingLine[] = [];
  private start = 0;
  private bytes = 0;

  constructor(
    private readonly maxLines: number,
    private readonly maxBytes: number,
  ) {}

  push(line: RingLine): void {
    const kept =
      line.text.length > MAX_KEPT_CHARS ? { ...line, text: `${line.text.slice(0, MAX_KEPT_CHARS)}…` } : line;
    this.lines.push(kept);
    this.bytes += kept.text.length;
    while (this.size > this.maxLines || (this.bytes > this.maxBytes && this.size > 1)) {
      this.bytes -= this.lines[this.start]!.text.length;
      this.start++;
    }
    // Compact now and then: amortised O(1) per line.
    if (this.start > 1024 && this.start * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.start);
      this.start = 0;
    }
  }

  get size(): number {
    return this.lines.length - this.start;
  }

  oldest(): RingLine | undefined {
    return this.lines[this.start];
  }

  newest(): RingLine | undefined {
    return this.size > 0 ? this.lines[this.lines.length - 1] : undefined;
  }

  /** The line with this number, if still held (line numbers are consecutive, so this is an index). */
  get(lineNo: number): RingLine | undefined {
    const first = this.oldest();
    if (!first) return undefined;
    const line = this.lines[this.start + (lineNo - first.lineNo)];
    return line?.lineNo === lineNo ? line : undefined;
  }

  /** Lines numbered from..to (inclusive) that are still held. */
  range(from: number, to: number): RingLine[] {
    const first = this.oldest();
    if (!first || to < from) return [];
    const lo = Math.max(this.start, this.start + (from - first.lineNo));
    const hi = Math.min(this.lines.length - 1, this.start + (to - first.lineNo));
    return lo > hi ? [] : this.lines.slice(lo, hi + 1);
  }

  /** The last `count` lines numbered at most `upTo`. */
  lastUpTo(upTo: number, count: number): RingLine[] {
    return this.range(upTo - count + 1, upTo);
  }
}
