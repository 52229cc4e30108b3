// The WebAssembly line scanner (line-scan.wat): counts line feeds and long lines and finds needle positions in
// a chunk at memory speed, so that only the lines that can matter are ever decoded.
import { chooseAnchors, countGrams } from './anchors.js';
import { LINE_SCAN_WASM_BASE64 } from './line-scan-wasm.js';

const TABLES = 0;
const NEEDLE_COUNT = 128;
const NEEDLE_ENTRIES = 132;
const NEEDLE_BYTES = 4096;
const NEEDLE_BYTES_END = 8192;
const RECORDS = 65536;
/** Records one scan call may write before it stops to let the caller drain them. */
const MAX_RECORDS = 65536;
/** Where chunks go: after the records. */
const DATA = RECORDS + MAX_RECORDS * 8;
const PAGE = 65536;

interface Exports {
  readonly memory: WebAssembly.Memory;
  readonly lineFeeds: WebAssembly.Global;
  readonly longLines: WebAssembly.Global;
  readonly lastFeed: WebAssembly.Global;
  readonly resumeAt: WebAssembly.Global;
  scan(from: number, end: number, max: number, cap: number, floor: number): number;
}

let compiled: WebAssembly.Module | null = null;
/** Scanners given back, ready for the next input; as many as inputs are scanned at once. */
const idle: LineScan[] = [];
const MAX_IDLE = 2;

/** One needle match: where it starts in the chunk, and how many line feeds precede it there. */
export interface NeedleHit {
  readonly offset: number;
  readonly feedsBefore: number;
}

export interface ScanResult {
  readonly hits: NeedleHit[];
  /** Line feeds in the scanned range. */
  readonly feeds: number;
  /** Lines that ended in the range and were longer than the cap. */
  readonly longLines: number;
}

export class LineScan {
  readonly #exports: Exports;
  /**
   * Two chunk areas: callers read the next bytes into one while the other is scanned. Offset 0 of each is the
   * start of a chunk.
   */
  readonly areas: readonly [Buffer, Buffer];
  readonly #areaBase: readonly [number, number];

  readonly capacity: number;

  /**
   * A scanner for these needles: an idle one is reused when it is big enough (its WebAssembly memory is freed
   * only when the garbage collector gets to it, which a small heap rarely asks for: one per file of a rotated set
   * would pile up), else a new one is made. Give it back with `release()`.
   * @param needles byte strings of at least 2 bytes; a line holding any of them is a candidate.
   * @param capacity bytes each chunk area must hold (plus 32 bytes of padding the scan may read past the end).
   * @param sample lines of the input (its first ones) telling which byte triples are rare in it.
   */
  static acquire(
    needles: readonly Uint8Array[],
    capacity: number,
    sample: readonly Uint8Array[] = [],
  ): LineScan {
    const index = idle.findIndex((scan) => scan.capacity >= capacity && scan.capacity <= 2 * capacity);
    const scan = index >= 0 ? idle.splice(index, 1)[0]! : new LineScan(capacity);
    scan.#writeNeedles(new Uint8Array(scan.#exports.memory.buffer), needles, sample);
    return scan;
  }

  /** Hands the scanner back for the next input. */
  release(): void {
    if (idle.length < MAX_IDLE && !idle.includes(this)) idle.push(this);
  }

  private constructor(capacity: number) {
    this.capacity = capacity;
    compiled ??= new WebAssembly.Module(Buffer.from(LINE_SCAN_WASM_BASE64, 'base64'));
    const instance = new WebAssembly.Instance(compiled, {});
    this.#exports = instance.exports as unknown as Exports;
    const { memory } = this.#exports;
    const stride = capacity + 32;
    const need = DATA + 2 * stride;
    const pages = Math.ceil(need / PAGE) - memory.buffer.byteLength / PAGE;
    if (pages > 0) memory.grow(pages);
    // Views are taken after growing: growth detaches older ones.
    this.#areaBase = [DATA, DATA + stride];
    this.areas = [
      Buffer.from(memory.buffer, DATA, stride),
      Buffer.from(memory.buffer, DATA + stride, stride),
    ];
  }

  /**
   * Scans `areas[area][0, end)`. `lineStart` is where the line open at 0 began (negative when it began in an
   * earlier chunk), so a line longer than `maxLineBytes` is counted even across chunks.
   */
  scan(area: 0 | 1, end: number, lineStart: number, maxLineBytes: number): ScanResult {
    const e = this.#exports;
    const base = this.#areaBase[area];
    e.lineFeeds.value = 0;
    e.longLines.value = 0;
    e.lastFeed.value = base + lineStart - 1;
    const hits: NeedleHit[] = [];
    let at = base;
    const stop = base + end;
    const records = new Int32Array(e.memory.buffer, RECORDS, MAX_RECORDS * 2);
    while (at < stop) {
      const count = e.scan(at, stop, MAX_RECORDS, maxLineBytes, base);
      for (let i = 0; i < count; i++) {
        hits.push({ offset: (records[2 * i] as number) - base, feedsBefore: records[2 * i + 1] as number });
      }
      at = e.resumeAt.value as number;
    }
    return { hits, feeds: e.lineFeeds.value as number, longLines: e.longLines.value as number };
  }

  /** Needle bytes, their table, and the nibble masks of each needle's anchor pair in its bucket. */
  #writeNeedles(memory: Uint8Array, needles: readonly Uint8Array[], sample: readonly Uint8Array[]): void {
    const view = new DataView(memory.buffer);
    memory.fill(0, TABLES, NEEDLE_BYTES_END);
    const anchors = chooseAnchors(needles, countGrams(sample));
    let offset = NEEDLE_BYTES;
    needles.forEach((needle, k) => {
      if (needle.length < 2) throw new RangeError(`needle ${k} is shorter than 2 bytes`);
      if (offset + needle.length > NEEDLE_BYTES_END) throw new RangeError('needles exceed 4 KiB');
      const anchor = anchors[k]!;
      const bit = 1 << anchor.bucket;
      for (let p = 0; p < 3; p++) {
        const low = TABLES + 32 * p;
        const high = low + 16;
        if (p < anchor.length) {
          const byte = needle[anchor.offset + p] as number;
          memory[low + (byte & 15)]! |= bit;
          memory[high + (byte >> 4)]! |= bit;
        } else {
          // A two-byte anchor: its third stage lets every byte through.
          for (let n = 0; n < 16; n++) {
            memory[low + n]! |= bit;
            memory[high + n]! |= bit;
          }
        }
      }
      memory.set(needle, offset);
      view.setInt32(NEEDLE_ENTRIES + k * 16, offset, true);
      view.setInt32(NEEDLE_ENTRIES + k * 16 + 4, needle.length, true);
      view.setInt32(NEEDLE_ENTRIES + k * 16 + 8, bit, true);
      view.setInt32(NEEDLE_ENTRIES + k * 16 + 12, anchor.offset, true);
      offset += needle.length;
    });
    view.setInt32(NEEDLE_COUNT, needles.length, true);
  }
}
