// `oomsleuth guard logs [-n N] [-f]`: the end of the app log (running.log), then, with -f, each line the app writes,
// followed as watch follows a file (rotation by rename or copytruncate, deletion, re-creation).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { DirectoryWatches } from '../sources/follow/directory-watch.js';
import { FileFollower } from '../sources/follow/file-follower.js';

const BLOCK_BYTES = 64 * 1024;

/** Where the last `lines` lines of the file start (0 when it has fewer); reads backwards, a block at a time. */
export async function lastLinesStart(file: string, lines: number): Promise<{ start: number; size: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (lines === 0) return { start: size, size };
    const buffer = Buffer.allocUnsafe(BLOCK_BYTES);
    let end = size;
    // A last line without its newline is a line too; a final newline ends the last line, it starts none.
    let newlines = 0;
    let skipFinal = true;
    while (end > 0) {
      const from = Math.max(0, end - BLOCK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, end - from, from);
      for (let i = bytesRead - 1; i >= 0; i--) {
        if (buffer[i] !== 0x0a) {
          skipFinal = false;
          continue;
        }
        if (skipFinal) {
          skipFinal = false;
          continue;
        }
        newlines++;
        if (newlines === lines) return { start: from + i + 1, size };
      }
      end = from;
    }
    return { start: 0, size };
  } finally {
    await handle.close();
  }
}

/**
 * Writes the last `lines` lines of `file`; with `follow`, then every new line until `until` is aborted. Throws the
 * file system's error when the file cannot be read at first (the caller says what to do).
 */
export async function printAppLog(
  file: string,
  options: { readonly lines: number; readonly follow: boolean; readonly until?: AbortSignal },
  write: (text: string | Buffer) => Promise<void>,
  warn: (message: string) => void,
): Promise<void> {
  const { start, size } = await lastLinesStart(file, options.lines);
  if (size > start) {
    for await (const chunk of createReadStream(file, { start, end: size - 1 })) await write(chunk as Buffer);
  }
  if (!options.follow) return;
  const watches = new DirectoryWatches();
  // From the end as it is now: the lines printed above are not printed again.
  const follower = new FileFollower({
    path: file,
    displayPath: file,
    sourceId: 0,
    watches,
    initialTailBytes: 0,
  });
  let writing = Promise.resolve();
  await follower.start(null, {
    batch: (batch) => {
      const text = batch.lines.map((line) => `${line.text}\n`).join('');
      writing = writing.then(() => write(text));
    },
    note: (note) => {
      if (note.code !== null) warn(note.message);
    },
    up: () => undefined,
  });
  await new Promise<void>((resolve) => {
    if (options.until?.aborted) return resolve();
    options.until?.addEventListener('abort', () => resolve(), { once: true });
  });
  await follower.stop();
  watches.closeAll();
  await writing;
}
