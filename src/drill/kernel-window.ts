// The kernel records written during the drill, straight from /dev/kmsg (Documentation/ABI/testing/dev-kmsg): opened
// O_NONBLOCK, every read() hands out one record `prio,seq,usec,flag;text` plus dictionary lines, EAGAIN says there is
// none left, EPIPE that the ring overwrote some before they were read. Opening reads to the end, so only what the
// kernel writes afterwards is collected. Where /dev/kmsg cannot be opened (a container without it), `dmesg --raw` is
// read instead: what follows the last record it printed when the window opened.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { readKmsgRecord } from '../guard/kernel-log.js';

export const KMSG_PATH = '/dev/kmsg';
// A record is at most ~1 KiB of text plus its dictionary; a smaller buffer gives EINVAL.
const RECORD_BYTES = 16 * 1024;
const RECORD = /^(?<prio>\d+),(?<seq>\d+),(?<usec>\d+),[^;]*;(?<text>.*)$/;

export interface KernelRecord {
  /** kmsg's sequence number; through dmesg, the record's position in its output. */
  readonly seq: number;
  /** Microseconds since boot (the printk clock). */
  readonly usec: number;
  /** The record's first line as it was read: `prio,seq,usec,flag;text` (kmsg) or `[  881.600778] text` (dmesg). */
  readonly raw: string;
  readonly text: string;
}

export interface KernelWindow {
  /** Where the records are read: `/dev/kmsg` or `dmesg`. */
  readonly via: string;
  /** Records written since the window opened; waits up to `timeoutMs` until `until` holds. */
  collect(until: (records: readonly KernelRecord[]) => boolean, timeoutMs: number): Promise<KernelRecord[]>;
  close(): Promise<void>;
}

/** `[  881.600778] text`, as dmesg prints a record. */
export function dmesgLine(record: KernelRecord): string {
  const seconds = (record.usec / 1e6).toFixed(6);
  return `[${seconds.padStart(12)}] ${record.text}`;
}

export function parseRecord(chunk: string): KernelRecord | null {
  const newline = chunk.indexOf('\n');
  const raw = newline < 0 ? chunk : chunk.slice(0, newline);
  const groups = RECORD.exec(raw)?.groups;
  if (!groups) return null;
  // Facility 0 is the kernel's: a user process writing into /dev/kmsg gets another one, and cannot fake a kill.
  if (Number(groups.prio) >> 3 !== 0) return null;
  return { seq: Number(groups.seq), usec: Number(groups.usec), raw, text: groups.text! };
}

export async function openKernelWindow(path = KMSG_PATH): Promise<KernelWindow> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const buffer = Buffer.alloc(RECORD_BYTES);
  const records: KernelRecord[] = [];
  const readAll = async (keep: boolean) => {
    for (;;) {
      const chunk = await readKmsgRecord(handle, buffer);
      if (chunk === null) return;
      const record = keep ? parseRecord(chunk) : null;
      if (record) records.push(record);
    }
  };
  try {
    await readAll(false);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    via: path,
    async collect(until, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await readAll(true);
        if (until(records) || Date.now() >= deadline) return [...records];
        await sleep(50);
      }
    },
    close: () => handle.close(),
  };
}

const DMESG_RAW = /^<(?<prio>\d+)>\[\s*(?<sec>\d+)\.(?<frac>\d{6})\] (?<text>.*)$/;

/** The kernel's records of `dmesg --raw` output (`<6>[ 2149.522434] text`), numbered by position. */
export function parseDmesgRaw(output: string): KernelRecord[] {
  const records: KernelRecord[] = [];
  output.split('\n').forEach((line, index) => {
    const groups = DMESG_RAW.exec(line)?.groups;
    // Facility 0 only, as for kmsg: `<12>` is a user's write.
    if (!groups || Number(groups.prio) >> 3 !== 0) return;
    const record = {
      seq: index,
      usec: Number(groups.sec) * 1e6 + Number(groups.frac),
      text: groups.text!,
      raw: '',
    };
    records.push({ ...record, raw: dmesgLine(record) });
  });
  return records;
}

/** Runs `dmesg --raw` and gives its output. */
export type DmesgRunner = () => Promise<string>;

const runDmesg: DmesgRunner = () =>
  new Promise((resolve, reject) => {
    execFile('dmesg', ['--raw'], { maxBuffer: 64 * 2 ** 20 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });

/** The window through `dmesg --raw`: the records after the last one printed when it opened. */
export async function openDmesgWindow(run: DmesgRunner = runDmesg): Promise<KernelWindow> {
  const before = parseDmesgRaw(await run());
  const last = before[before.length - 1];
  const after = (records: KernelRecord[]) => {
    if (last === undefined) return records;
    // Matched by stamp and text, not position: the ring may have dropped old records since.
    const at = records.findLastIndex((r) => r.usec === last.usec && r.text === last.text);
    return at < 0 ? records.filter((r) => r.usec > last.usec) : records.slice(at + 1);
  };
  return {
    via: 'dmesg',
    async collect(until, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const records = after(parseDmesgRaw(await run()));
        if (until(records) || Date.now() >= deadline) return records;
        await sleep(100);
      }
    },
    close: async () => undefined,
  };
}
