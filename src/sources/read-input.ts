// Opens an input as a stream of decoded bytes (plain or gzip, told by magic) and reads it as RawLine batches,
// reporting what the operator should know about it: empty, binary, cut lines, damaged gzip, failed command.

import { createReadStream } from 'node:fs';
import { type FileHandle, open as fsOpen } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type CommandRun, describeEmptyCommand, explainCommandExit, runCommand } from './command-source.js';
import { describeFsError } from './fs-problem.js';
import { type InputFile, isReadOnce, type Reporter } from './input-file.js';
import { readKmsgDevice } from './kmsg-device.js';
import { SelectingSplitter, type Selection } from './prefilter/selecting-splitter.js';
import { MAX_LINE_BYTES, type RawLine } from './raw-line.js';
import { type KeepLine, LineSplitter, type Splitter } from './split-lines.js';

/**
 * Reads for the line-by-line path: big enough to keep syscalls few, small enough that a batch of lines dies young
 * (a batch held across an await is otherwise promoted, and old-generation garbage grows the RSS).
 */
const READ_CHUNK_BYTES = 128 * 1024;
/** Decompressed bytes per gunzip step. */
const GUNZIP_CHUNK_BYTES = 64 * 1024;
/** How much of an input is looked at for NUL bytes. */
const BINARY_SAMPLE_BYTES = 1024 * 1024;
/** Text logs have next to no NUL bytes; 1% in the sample means binary data (or a block zeroed by a crash). */
const BINARY_NUL_RATIO = 0.01;

export interface ReadOptions {
  /** Default MAX_LINE_BYTES. */
  readonly maxLineBytes?: number;
  /** Byte-level prefilter, see LineSplitter. */
  readonly keepLine?: KeepLine;
  /** Decode only the lines holding one of these needles (and their context): see SelectingSplitter. */
  readonly select?: Selection;
}

/** Reads one input as batches of lines (one batch per chunk read). Never throws: every failure is a problem. */
export async function* readLines(
  input: InputFile,
  sourceId: number,
  reporter: Reporter,
  options: ReadOptions = {},
): AsyncGenerator<RawLine[], void, undefined> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const stream = takeHeadStream(input) ?? openInput(input);
  const splitter: Splitter = options.select
    ? new SelectingSplitter({
        sourceId,
        maxLineBytes,
        selection: options.select,
        ...(input.compressed === null && !isReadOnce(input) ? { sizeHint: input.sizeBytes } : {}),
      })
    : new LineSplitter({ sourceId, maxLineBytes, keepLine: options.keepLine });
  const nul = new NulSample();
  let bytes = 0;
  let failure: unknown = null;
  let finished = false;
  try {
    for (;;) {
      // A plain file is read straight into the splitter's own buffer (no copy, no garbage, for gigabytes), and
      // the region read before is scanned while this read runs in the thread pool.
      const target = stream.readInto && splitter.intake ? splitter.intake() : null;
      const reading = target ? stream.readInto!(target) : stream.read();
      // If the consumer stops early, this read may be left behind: its failure must not go unhandled.
      reading.catch(() => {});
      // A few hundred lines at a time (see SelectingSplitter's DRAIN_BATCH_LINES), all before the read is awaited.
      if (splitter.drain)
        for (let lines = splitter.drain(); lines.length > 0; lines = splitter.drain()) yield lines;
      let chunk: Buffer | null;
      try {
        const got = await reading;
        chunk = typeof got === 'number' ? target!.subarray(0, got) : got;
      } catch (error) {
        failure = error;
        break;
      }
      if (chunk === null || (target && chunk.length === 0)) break;
      bytes += chunk.length;
      nul.add(chunk);
      const lines = target ? splitter.commit!(chunk.length) : splitter.push(chunk);
      if (lines.length > 0) yield lines;
    }
    const last = splitter.end(failure !== null);
    if (last.length > 0) yield last;
    finished = true;
  } finally {
    // Stopped early by the consumer (or failed): release the file, kill the command.
    if (!finished || failure !== null) stream.close();
  }

  const lines = splitter.counts.lines;
  let commandFailed = false;
  if (failure !== null)
    reporter.problem(...describeReadFailure(input, failure, lines, stream.gzip, stream.compressedOffset()));
  if (failure === null && stream.command !== null && input.command !== undefined) {
    // Its stdout ended: wait for the exit status rather than killing it.
    const problem = explainCommandExit(input.displayPath, input.command, await stream.command.exit);
    if (problem !== null) {
      commandFailed = true;
      reporter.problem('OOMS_E_SOURCE_COMMAND_FAILED', problem);
    }
  }
  if (bytes === 0 && failure === null && !commandFailed) {
    reporter.problem('OOMS_E_SOURCE_EMPTY', describeEmpty(input, stream.gzip));
  }
  if (nul.looksBinary()) {
    const percent = Math.max(1, Math.round((nul.nulBytes / nul.sampledBytes) * 100));
    reporter.problem(
      'OOMS_E_SOURCE_BINARY',
      `${input.displayPath} looks binary: ${percent}% of its first ${formatBytes(nul.sampledBytes)} are NUL bytes — its text lines were still read; if it is not a log, leave it out (a crash can also zero part of a log)`,
    );
  }
  const { cutLines, firstCutLineNo } = splitter.counts;
  if (cutLines > 0) {
    const size = formatBytes(maxLineBytes);
    reporter.problem(
      'OOMS_E_SOURCE_LINE_TOO_LONG',
      `${input.displayPath}: ${cutLines === 1 ? '1 line' : `${cutLines} lines`} longer than ${size} ${cutLines === 1 ? 'was' : 'were'} cut (the first at line ${firstCutLineNo}) — only the first ${size} of each was read; nothing is lost unless evidence sits past the cut (then split those lines with fold -b ${maxLineBytes} and pass the result)`,
    );
  }
}

/**
 * The first lines of an input, for format sniffing: at most `maxLines` complete lines from the first `maxBytes`
 * decoded bytes (gzip is decompressed). Stdin, pipes and commands are read once: what this takes is kept and
 * handed back to readLines. Never throws: an input that cannot be read gives what was read, maybe nothing.
 */
export async function readHead(input: InputFile, maxLines = 200, maxBytes = 256 * 1024): Promise<string[]> {
  if (isReadOnce(input)) {
    const head = heldHeads.get(input) ?? {
      stream: openInput(input),
      chunks: [],
      bytes: 0,
      ended: false,
      error: null,
    };
    heldHeads.set(input, head);
    while (!head.ended && head.error === null && head.bytes < maxBytes) {
      try {
        const chunk = await head.stream.read();
        if (chunk === null) head.ended = true;
        else {
          head.chunks.push(chunk);
          head.bytes += chunk.length;
        }
      } catch (error) {
        head.error = error;
      }
    }
    return splitHead(head.chunks, head.ended, maxLines, maxBytes);
  }
  const stream = openInput(input);
  const chunks: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  try {
    while (bytes < maxBytes) {
      const chunk = await stream.read();
      if (chunk === null) {
        ended = true;
        break;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    }
  } catch {
    // What was read before the failure is still a head: a recognised input is read again by readLines, which reports
    // the failure; an unrecognised one is skipped with OOMS_E_SOURCE_UNKNOWN_FORMAT (or, with no head, drained by
    // readLines, which reports it).
  } finally {
    stream.close();
  }
  return splitHead(chunks, ended, maxLines, maxBytes);
}

/** Lets go of what readHead holds for a read-once input that will not be read (kills a command, stops stdin). */
export function releaseInput(input: InputFile): void {
  const head = heldHeads.get(input);
  if (head === undefined) return;
  heldHeads.delete(input);
  head.stream.close();
}

function splitHead(chunks: readonly Buffer[], ended: boolean, maxLines: number, maxBytes: number): string[] {
  const splitter = new LineSplitter({ sourceId: -1 });
  const texts: string[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.max(0, maxBytes - bytes));
    bytes += part.length;
    for (const line of splitter.push(part)) texts.push(line.text);
    if (texts.length >= maxLines) return texts.slice(0, maxLines);
    if (bytes >= maxBytes) {
      // A first line longer than the whole sample (a 50 MB line) still shows the file's format in its beginning.
      if (texts.length === 0) for (const line of splitter.end(true)) texts.push(line.text);
      return texts.slice(0, maxLines);
    }
  }
  // Only when the whole input fitted is the last, unterminated line complete.
  if (ended) for (const line of splitter.end()) texts.push(line.text);
  return texts.slice(0, maxLines);
}

/** A decoded byte stream over one input. */
interface InputStream {
  /** The next decoded chunk, or null at the end. Rejects with SourceReadError or a zlib error. */
  read(): Promise<Buffer | null>;
  /** True once the first bytes showed the gzip magic. */
  readonly gzip: boolean;
  /** Compressed bytes consumed so far (where a damaged gzip broke). */
  compressedOffset(): number;
  /** The command behind the stream, if any. */
  readonly command: CommandRun | null;
  /** Plain files only: reads the next bytes into `target`, returning how many (0 at the end). */
  readInto?(target: Buffer): Promise<number>;
  close(): void;
}

/** What readHead took from a read-once input, handed over to readLines. */
interface HeldHead {
  readonly stream: InputStream;
  readonly chunks: Buffer[];
  bytes: number;
  ended: boolean;
  error: unknown;
}

const heldHeads = new WeakMap<InputFile, HeldHead>();

/** The stream readHead started for a read-once input, replaying what it took first. */
function takeHeadStream(input: InputFile): InputStream | null {
  const head = heldHeads.get(input);
  if (head === undefined) return null;
  heldHeads.delete(input);
  const { stream } = head;
  let replayed = 0;
  return {
    async read() {
      if (replayed < head.chunks.length) return head.chunks[replayed++] as Buffer;
      if (head.error !== null) throw head.error;
      if (head.ended) return null;
      return stream.read();
    },
    get gzip() {
      return stream.gzip;
    },
    compressedOffset: () => stream.compressedOffset(),
    command: stream.command,
    close: () => stream.close(),
  };
}

/** A failure of the underlying file, stdin or command (as opposed to damage inside a gzip stream). */
class SourceReadError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original), { cause: original });
  }
}

function openInput(input: InputFile): InputStream {
  if (input.compressed === null && !isReadOnce(input)) return openPlainFile(input);
  let command: CommandRun | null = null;
  let raw: AsyncIterable<Buffer>;
  if (input.command !== undefined) {
    command = runCommand(input.command);
    raw = guarded(command.stdout);
  } else if (input.stdin === true) {
    raw = guarded(process.stdin);
  } else if (input.kmsg === true) {
    // Read to the last record there: a plain read of the device would wait for the next one, forever.
    raw = guarded(readKmsgDevice(input.path));
  } else {
    raw = guarded(createReadStream(input.path, { highWaterMark: READ_CHUNK_BYTES }));
  }
  const state = { gzip: false, offset: () => 0 };
  const iterator = decodeGzip(raw, state)[Symbol.asyncIterator]();
  const running = command;
  return {
    async read() {
      const result = await iterator.next();
      return result.done ? null : result.value;
    },
    get gzip() {
      return state.gzip;
    },
    compressedOffset: () => state.offset(),
    command: running,
    close() {
      running?.stop();
      // Not awaited: a pending read of stdin may never settle, and nothing waits on the close. A read failure was
      // already reported by readLines (or the input was let go unread); a failure to close loses no line.
      iterator.return?.().catch(() => {});
    },
  };
}

/** A regular file known (by its magic bytes) not to be gzip: read with positional reads into the caller's buffers. */
function openPlainFile(input: InputFile): InputStream {
  let handle: Promise<FileHandle> | null = null;
  let closed = false;
  const open = (): Promise<FileHandle> => {
    handle ??= fsOpen(input.path, 'r').catch((error: unknown) => {
      throw new SourceReadError(error);
    });
    return handle;
  };
  const readInto = async (target: Buffer): Promise<number> => {
    if (closed) return 0;
    const file = await open();
    try {
      return (await file.read(target, 0, target.length, null)).bytesRead;
    } catch (error) {
      throw new SourceReadError(error);
    }
  };
  return {
    async read() {
      const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      const n = await readInto(buffer);
      if (n === 0) {
        this.close();
        return null;
      }
      return buffer.subarray(0, n);
    },
    readInto: async (target) => {
      const n = await readInto(target);
      if (n === 0) close();
      return n;
    },
    gzip: false,
    compressedOffset: () => 0,
    command: null,
    close,
  };
  function close(): void {
    if (closed) return;
    closed = true;
    // A failed open was reported by the read that awaited it; a failed close of a file only read loses nothing.
    handle?.then((file) => file.close()).catch(() => {});
  }
}

/** Wraps a raw byte source so that its failures can be told apart from gzip damage. */
async function* guarded(source: AsyncIterable<unknown>): AsyncGenerator<Buffer, void, undefined> {
  try {
    for await (const chunk of source) yield chunk as Buffer;
  } catch (error) {
    throw new SourceReadError(error);
  }
}

/**
 * Passes bytes through, or through gunzip when the first two bytes are the gzip magic (1f 8b) — by content,
 * never by name. Node's gunzip reads multi-member files (`cat a.gz b.gz`) and ignores zero padding.
 */
async function* decodeGzip(
  raw: AsyncIterable<Buffer>,
  state: { gzip: boolean; offset: () => number },
): AsyncGenerator<Buffer, void, undefined> {
  const iterator = raw[Symbol.asyncIterator]();
  try {
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < 2) {
      const result = await iterator.next();
      if (result.done) {
        ended = true;
        break;
      }
      head.push(result.value);
      headBytes += result.value.length;
    }
    const first = head.length === 1 ? (head[0] as Buffer) : Buffer.concat(head);
    if (!(headBytes >= 2 && first[0] === 0x1f && first[1] === 0x8b)) {
      if (headBytes > 0) yield first;
      if (ended) return;
      for (;;) {
        const result = await iterator.next();
        if (result.done) return;
        yield result.value;
      }
    }
    state.gzip = true;
    // 64 KiB out per step: fewer, larger batches. A corrupt block loses at most one step of output before it.
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
    state.offset = () => gunzip.bytesWritten;
    const feed = Readable.from(replay(first, ended ? null : iterator), { objectMode: false });
    // Errors (source failure or gzip damage) reach us through the gunzip iterator below.
    pipeline(feed, gunzip, () => {});
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    // Cleanup of the raw source: its read failures reached the reader through `iterator.next()` above.
    iterator.return?.().catch(() => {});
  }
}

async function* replay(
  first: Buffer,
  rest: AsyncIterator<Buffer> | null,
): AsyncGenerator<Buffer, void, undefined> {
  yield first;
  if (rest === null) return;
  for (;;) {
    const result = await rest.next();
    if (result.done) return;
    yield result.value;
  }
}

/** Counts NUL bytes in the first BINARY_SAMPLE_BYTES of an input. */
class NulSample {
  sampledBytes = 0;
  nulBytes = 0;

  add(chunk: Buffer): void {
    if (this.sampledBytes >= BINARY_SAMPLE_BYTES) return;
    const end = Math.min(chunk.length, BINARY_SAMPLE_BYTES - this.sampledBytes);
    let at = chunk.indexOf(0);
    while (at !== -1 && at < end) {
      this.nulBytes++;
      at = chunk.indexOf(0, at + 1);
    }
    this.sampledBytes += end;
  }

  looksBinary(): boolean {
    return this.sampledBytes > 0 && this.nulBytes / this.sampledBytes >= BINARY_NUL_RATIO;
  }
}

function describeReadFailure(
  input: InputFile,
  failure: unknown,
  lines: number,
  gzip: boolean,
  compressedOffset: number,
): ['OOMS_E_SOURCE_GZIP_TRUNCATED' | 'OOMS_E_SOURCE_UNREADABLE' | 'OOMS_E_SOURCE_NOT_FOUND', string] {
  const after = ` after ${lines === 1 ? '1 line' : `${lines} lines`}`;
  if (failure instanceof SourceReadError || !gzip) {
    const cause = failure instanceof SourceReadError ? failure.original : failure;
    const problem = describeFsError(input.displayPath, cause, lines > 0 ? after : '');
    return [problem.code as 'OOMS_E_SOURCE_UNREADABLE' | 'OOMS_E_SOURCE_NOT_FOUND', problem.message];
  }
  const zlibCode = (failure as { code?: unknown }).code;
  const what = zlibCode === 'Z_BUF_ERROR' ? 'ends early' : 'is corrupt';
  const of = input.sizeBytes > 0 ? ` of ${input.sizeBytes}` : '';
  return [
    'OOMS_E_SOURCE_GZIP_TRUNCATED',
    `${input.displayPath} is truncated${after} (the gzip data ${what} at byte ${compressedOffset}${of}) — the lines before the damage were read; re-copy the file if you need the rest`,
  ];
}

function describeEmpty(input: InputFile, gzip: boolean): string {
  if (input.command !== undefined) return describeEmptyCommand(input.displayPath, input.command);
  if (input.stdin === true) {
    return 'stdin was empty — pipe a log into it (zcat syslog.2.gz | oomsleuth analyze -) or pass the files as PATH';
  }
  const what = gzip ? 'is empty once decompressed' : 'is empty';
  return `${input.displayPath} ${what} — nothing to read; if the service writes its log elsewhere, pass that file`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
