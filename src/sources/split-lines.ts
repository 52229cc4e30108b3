// Byte-level line splitting: Buffer chunks in, RawLine batches out. The partial last line is carried across
// chunks; a line longer than the cap keeps its beginning and the rest streams past without being buffered.

import { MAX_LINE_BYTES, type RawLine } from './raw-line.js';

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

/**
 * A byte-level prefilter: sees a line's bytes (`bytes[start, end)`, terminator and trailing CR removed, already cut)
 * before it is decoded and returns false to drop it. Dropped lines still count for line numbers.
 */
export type KeepLine = (bytes: Uint8Array, start: number, end: number) => boolean;

export interface LineSplitterOptions {
  readonly sourceId: number;
  /** Cap in bytes (default MAX_LINE_BYTES); tests use small caps. */
  readonly maxLineBytes?: number;
  readonly keepLine?: KeepLine;
}

/** Counters a reader turns into problems once the input ends. */
export interface SplitCounts {
  /** Lines seen, kept or dropped (the last line number given). */
  readonly lines: number;
  /** Lines longer than the cap, cut. */
  readonly cutLines: number;
  readonly firstCutLineNo: number | null;
  /** NUL bytes skipped at the start of lines (a block zeroed by a crash must not swallow the next line). */
  readonly leadingNulBytes: number;
}

/** What readers need of a splitter: chunks in, completed lines out, counters at the end. */
export interface Splitter {
  push(chunk: Uint8Array): RawLine[];
  end(cutShort?: boolean): RawLine[];
  readonly counts: SplitCounts;
  /** Where the next bytes may be read to directly (splitters that own a buffer); then `commit` how many came. */
  intake?(): Buffer;
  commit?(bytes: number): RawLine[];
  /** Lines of work handed over by `commit` and not yet done (done here, while the next read runs). */
  drain?(): RawLine[];
}

/** Splits a byte stream into lines: `push` each chunk, then `end` once; both return the lines they completed. */
export class LineSplitter implements Splitter {
  readonly #sourceId: number;
  readonly #maxLineBytes: number;
  readonly #keepLine: KeepLine | undefined;
  // Non-fatal: invalid UTF-8 (or GBK, Latin-1…) becomes U+FFFD instead of throwing. BOM handled by hand (line 1 only).
  readonly #decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  // The open line: copies of its first maxLineBytes + 1 bytes (the +1 tells a cut line from one ending in CR).
  #carry: Buffer[] = [];
  #carryBytes = 0;
  /** Bytes of the open line seen so far, leading NULs excluded; may exceed what is carried. */
  #lineBytes = 0;
  #lineOpen = false;
  #atLineStart = true;

  #lineNo = 0;
  #cutLines = 0;
  #firstCutLineNo: number | null = null;
  #leadingNulBytes = 0;

  constructor(options: LineSplitterOptions) {
    this.#sourceId = options.sourceId;
    this.#maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.#keepLine = options.keepLine;
  }

  /** Bytes held for the open line: never more than maxLineBytes + 1, however long the line. */
  get bufferedBytes(): number {
    return this.#carryBytes;
  }

  get counts(): SplitCounts {
    return {
      lines: this.#lineNo,
      cutLines: this.#cutLines,
      firstCutLineNo: this.#firstCutLineNo,
      leadingNulBytes: this.#leadingNulBytes,
    };
  }

  /** Feeds one chunk; returns the lines it completed (often empty for tiny chunks). */
  push(input: Uint8Array): RawLine[] {
    const chunk = Buffer.isBuffer(input)
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const out: RawLine[] = [];
    const length = chunk.length;
    let pos = 0;
    while (pos < length) {
      // Buffer#indexOf is memchr: far faster than a JS loop over the bytes.
      const nl = chunk.indexOf(LF, pos);
      const end = nl === -1 ? length : nl;
      let start = pos;
      if (this.#atLineStart) {
        while (start < end && chunk[start] === NUL) start++;
        this.#leadingNulBytes += start - pos;
        if (start < end) this.#atLineStart = false;
      }
      if (nl === -1) {
        this.#lineOpen = true;
        this.#append(chunk, start, end);
        break;
      }
      if (this.#lineBytes === 0) {
        // The whole line sits in this chunk: no copy.
        this.#emit(out, chunk, start, end, end - start, false);
      } else {
        this.#append(chunk, start, end);
        const bytes = this.#takeCarry();
        this.#emit(out, bytes, 0, bytes.length, this.#lineBytes, false);
      }
      this.#closeLine();
      pos = nl + 1;
    }
    return out;
  }

  /**
   * Ends the input; returns the last line when it had no final newline. `cutShort` marks that line `truncated`
   * (the input broke off mid-line, e.g. a damaged gzip) without counting it as an over-long line.
   */
  end(cutShort = false): RawLine[] {
    const out: RawLine[] = [];
    if (this.#lineOpen) {
      const bytes = this.#takeCarry();
      this.#emit(out, bytes, 0, bytes.length, this.#lineBytes, cutShort);
      this.#closeLine();
    }
    return out;
  }

  #append(chunk: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n === 0) return;
    this.#lineBytes += n;
    const room = this.#maxLineBytes + 1 - this.#carryBytes;
    if (room <= 0) return; // past the cap: the rest of the line is only counted
    const take = Math.min(n, room);
    // A copy: producers may reuse their buffers, and only this bounded prefix is kept.
    this.#carry.push(Buffer.from(chunk.subarray(start, start + take)));
    this.#carryBytes += take;
  }

  #takeCarry(): Buffer {
    const bytes =
      this.#carry.length === 1 ? (this.#carry[0] as Buffer) : Buffer.concat(this.#carry, this.#carryBytes);
    this.#carry = [];
    this.#carryBytes = 0;
    return bytes;
  }

  #closeLine(): void {
    this.#lineBytes = 0;
    this.#lineOpen = false;
    this.#atLineStart = true;
  }

  /** `bytes[start, end)` holds the first min(total, cap + 1) bytes of a line whose full length is `total`. */
  #emit(out: RawLine[], bytes: Buffer, start: number, end: number, total: number, cutShort: boolean): void {
    const lineNo = ++this.#lineNo;
    let contentBytes = total;
    // A trailing CR can only be seen when the whole line is held; otherwise the line is cut anyway.
    if (end - start === total && total > 0 && bytes[end - 1] === CR) contentBytes--;
    const tooLong = contentBytes > this.#maxLineBytes;
    const stop = tooLong ? utf8Boundary(bytes, start, start + this.#maxLineBytes) : start + contentBytes;
    if (tooLong) {
      this.#cutLines++;
      this.#firstCutLineNo ??= lineNo;
    }
    if (this.#keepLine !== undefined && !this.#keepLine(bytes, start, stop)) return;
    let text = this.#decoder.decode(bytes.subarray(start, stop));
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Always the same object shape: keeps the consumers' property access monomorphic.
    out.push({ sourceId: this.#sourceId, lineNo, text, truncated: tooLong || cutShort });
  }
}

/** Moves a cut back to a character boundary so a cut line does not end in a broken character. */
export function utf8Boundary(bytes: Uint8Array, start: number, cutAt: number): number {
  const floor = Math.max(start, cutAt - 3);
  let p = cutAt;
  // bytes[cutAt] is the first byte left out; while it is a continuation byte, its character started earlier.
  while (p > floor && ((bytes[p] as number) & 0xc0) === 0x80) p--;
  return p;
}

/** Splits an async byte stream into batches of lines, one batch per chunk (empty batches are not yielded). */
export async function* splitChunks(
  chunks: AsyncIterable<Uint8Array>,
  splitter: LineSplitter,
): AsyncGenerator<RawLine[], void, undefined> {
  for await (const chunk of chunks) {
    const lines = splitter.push(chunk);
    if (lines.length > 0) yield lines;
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}
