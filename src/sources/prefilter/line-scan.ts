// The WebAssembly line scanner (line-scan.wat): counts line feeds and long lines and finds needle positions in
// a chunk at memory speed, so that only the lines that can matter are ever decoded.
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
/** The teddy filter has eight buckets (one bit each in the nibble tables). */
const BUCKETS = 8;

interface Exports {
  readonly memory: WebAssembly.Memory;
  readonly lineFeeds: WebAssembly.Global;
  readonly longLines: WebAssembly.Global;
  readonly lastFeed: WebAssembly.Global;
  readonly resumeAt: WebAssembly.Global;
  scan(from: number, end: number, max: number, cap: number, floor: number): number;
}

let compiled: WebAssembly.Module | null = null;

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
  /** The chunk area: callers write the bytes to scan here (offset 0 = start of a chunk). */
  readonly data: Buffer;

  /**
   * @param needles byte strings of at least 2 bytes; a line holding any of them is a candidate.
   * @param capacity bytes the chunk area must hold (plus 32 bytes of padding the scan may read past the end).
   */
  constructor(needles: readonly Uint8Array[], capacity: number) {
    compiled ??= new WebAssembly.Module(Buffer.from(LINE_SCAN_WASM_BASE64, 'base64'));
    const instance = new WebAssembly.Instance(compiled, {});
    this.#exports = instance.exports as unknown as Exports;
    const { memory } = this.#exports;
    const need = DATA + capacity + 32;
    const pages = Math.ceil(need / PAGE) - memory.buffer.byteLength / PAGE;
    if (pages > 0) memory.grow(pages);
    // Views are taken after growing: growth detaches older ones.
    this.#writeNeedles(new Uint8Array(memory.buffer), needles);
    this.data = Buffer.from(memory.buffer, DATA, capacity + 32);
  }

  /**
   * Scans `data[from, end)`. `lineStart` is where the line open at `from` began (negative when it began in an
   * earlier chunk), so a line longer than `maxLineBytes` is counted even across chunks.
   */
  scan(from: number, end: number, lineStart: number, maxLineBytes: number): ScanResult {
    const e = this.#exports;
    e.lineFeeds.value = 0;
    e.longLines.value = 0;
    e.lastFeed.value = DATA + lineStart - 1;
    const hits: NeedleHit[] = [];
    let at = DATA + from;
    const stop = DATA + end;
    const records = new Int32Array(e.memory.buffer, RECORDS, MAX_RECORDS * 2);
    while (at < stop) {
      const count = e.scan(at, stop, MAX_RECORDS, maxLineBytes, DATA);
      for (let i = 0; i < count; i++) {
        hits.push({ offset: (records[2 * i] as number) - DATA, feedsBefore: records[2 * i + 1] as number });
      }
      at = e.resumeAt.value as number;
    }
    return { hits, feeds: e.lineFeeds.value as number, longLines: e.longLines.value as number };
  }

  /** Needle bytes, their table, and the nibble masks of each needle's anchor pair, grouped into buckets. */
  #writeNeedles(memory: Uint8Array, needles: readonly Uint8Array[]): void {
    const view = new DataView(memory.buffer);
    memory.fill(0, TABLES, NEEDLE_BYTES_END);
    // Needles sharing their anchor pair share a bucket, so the nibble filter stays as exact as it can be.
    const buckets = new Map<number, number>();
    let offset = NEEDLE_BYTES;
    needles.forEach((needle, k) => {
      if (needle.length < 2) throw new RangeError(`needle ${k} is shorter than 2 bytes`);
      if (offset + needle.length > NEEDLE_BYTES_END) throw new RangeError('needles exceed 4 KiB');
      const anchor = rarestPair(needle);
      const b0 = needle[anchor] as number;
      const b1 = needle[anchor + 1] as number;
      const key = (b0 << 8) | b1;
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = buckets.size % BUCKETS;
        buckets.set(key, bucket);
      }
      const bit = 1 << bucket;
      memory[TABLES + (b0 & 15)]! |= bit;
      memory[TABLES + 16 + (b0 >> 4)]! |= bit;
      memory[TABLES + 32 + (b1 & 15)]! |= bit;
      memory[TABLES + 48 + (b1 >> 4)]! |= bit;
      memory.set(needle, offset);
      view.setInt32(NEEDLE_ENTRIES + k * 16, offset, true);
      view.setInt32(NEEDLE_ENTRIES + k * 16 + 4, needle.length, true);
      view.setInt32(NEEDLE_ENTRIES + k * 16 + 8, bit, true);
      view.setInt32(NEEDLE_ENTRIES + k * 16 + 12, anchor, true);
      offset += needle.length;
    });
    view.setInt32(NEEDLE_COUNT, needles.length, true);
  }
}

/**
 * How rarely a byte occurs in log text, roughly: lowercase letters and spaces are everywhere, so a pair of them
 * would send most blocks to the slow check; capitals, punctuation and UTF-8 lead bytes are far rarer.
 */
function rarity(byte: number): number {
  if (byte === 0x20) return 0;
  if (byte >= 0x61 && byte <= 0x7a) return 'jkqxzvwyfgbp'.includes(String.fromCharCode(byte)) ? 2 : 1;
  if (byte >= 0x30 && byte <= 0x39) return 2;
  if (byte >= 0x41 && byte <= 0x5a) return 4;
  if (byte >= 0x80) return 3;
  return byte === 0x2e || byte === 0x2c ? 2 : 4;
}

/** Offset of the needle's two adjacent bytes least likely to occur in ordinary text. */
export function rarestPair(needle: Uint8Array): number {
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i + 1 < needle.length; i++) {
    const score = rarity(needle[i] as number) + rarity(needle[i + 1] as number);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}
