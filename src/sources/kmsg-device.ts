// /dev/kmsg given as a PATH: the kernel's ring buffer, read to its current end (Documentation/ABI/testing/dev-kmsg).
// A plain read of the device blocks once the oldest-to-newest records have been handed out, waiting for the next
// one, so `analyze /dev/kmsg` would never end. Opened O_NONBLOCK, each read(2) returns one record
// (`prio,seq,usec,flag;text\n` plus indented dictionary lines) and EAGAIN when there is none left: that is the end.
// EPIPE means the kernel overwrote records before they were read; the next read goes on with the oldest one left.
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** /dev/kmsg is character device 1:11 on every Linux (Documentation/admin-guide/devices.txt), whatever its path. */
const KMSG_MAJOR = 1;
const KMSG_MINOR = 11;

/** One record is at most ~1 KiB of text plus its dictionary; a buffer smaller than a record gives EINVAL. */
const RECORD_BUFFER_BYTES = 16 * 1024;
/** Records handed on together: one chunk per few hundred records keeps the reader's overhead low. */
const CHUNK_BYTES = 64 * 1024;
/**
 * A kernel that writes records faster than they are read (a flood) would keep the ring from ever running dry. The
 * ring holds at most 32 MiB (CONFIG_LOG_BUF_SHIFT ≤ 25; log_buf_len= is rarely larger), so once twice that much has
 * been read, every record that was there when reading began has been read: stop there. The records' own stamps
 * cannot bound the read: printk's clock drifts from CLOCK_MONOTONIC by up to NTP's 500 ppm (an hour in 3 months).
 */
const MAX_BYTES = 64 * 1024 * 1024;

/** True for the kernel's ring buffer device (/dev/kmsg, or a node made for it under another name). */
export function isKmsgDevice(stats: Stats): boolean {
  if (!stats.isCharacterDevice()) return false;
  const { rdev } = stats;
  // Linux's dev_t encoding (glibc gnu_dev_major/minor); /dev/kmsg's numbers are small, so the low bits decide.
  const major = (rdev >> 8) & 0xfff;
  const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
  return major === KMSG_MAJOR && minor === KMSG_MINOR;
}

/** Reads one record into `buffer`: its length, or null when there is no record left now (EAGAIN). */
export type KmsgRead = (buffer: Buffer) => Promise<number | null>;

/**
 * The records of /dev/kmsg at `path`, oldest first, until none is left, as chunks of newline-terminated lines.
 * Never waits for a record. Open and read failures (EPERM when kernel.dmesg_restrict=1
 * and not root) reject the iteration, and the reader reports them as for any file.
 */
export async function* readKmsgDevice(path: string): AsyncGenerator<Buffer, void, undefined> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    yield* readRecords(nonBlockingRead(handle));
  } finally {
    await handle.close();
  }
}

/** The records `read` hands out until it has none left (or `maxBytes` were read: see MAX_BYTES). */
export async function* readRecords(
  read: KmsgRead,
  maxBytes = MAX_BYTES,
): AsyncGenerator<Buffer, void, undefined> {
  let total = 0;
  const record = Buffer.allocUnsafe(RECORD_BUFFER_BYTES);
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (;;) {
    const length = await read(record);
    if (length === null || length === 0 || total >= maxBytes) break;
    total += length;
    // A record always ends with a newline; its dictionary lines too. Keep them: the kmsg carrier skips them.
    const ends = record[length - 1] === 0x0a;
    const needed = length + (ends ? 0 : 1);
    if (used + needed > chunk.length) {
      yield chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, needed));
      used = 0;
    }
    record.copy(chunk, used, 0, length);
    used += length;
    if (!ends) chunk[used++] = 0x0a;
  }
  if (used > 0) yield chunk.subarray(0, used);
}

function nonBlockingRead(handle: FileHandle): KmsgRead {
  return async (buffer) => {
    for (;;) {
      try {
        // position null = read(2) at the file position: the device hands out the next record per call.
        return (await handle.read(buffer, 0, buffer.length, null)).bytesRead;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return null;
        // Overwritten before we read them: the next read returns the oldest record still there.
        if (code === 'EPIPE') continue;
        throw error;
      }
    }
  };
}
