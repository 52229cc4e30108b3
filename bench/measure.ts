// Runs one command and measures it: wall time around the child, and peak RSS from the kernel's accounting of the
// child — GNU time's `%M` (ru_maxrss from wait4) when /usr/bin/time exists, else VmHWM polled from /proc/PID/status
// every 20 ms (can miss a peak reached in the last 20 ms before exit; the report says which method was used).
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  readonly wallMs: number;
  /** Peak resident set of the child in KiB; null when it could not be read. */
  readonly peakRssKb: number | null;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type RssMethod = 'gnu-time' | 'proc-vmhwm';

export async function rssMethod(): Promise<RssMethod> {
  try {
    await access(GNU_TIME, constants.X_OK);
    return 'gnu-time';
  } catch {
    return 'proc-vmhwm';
  }
}

let counter = 0;

/** Runs `argv` with stdout to a temp file (so a big answer costs no pipe round trips), stderr captured. */
export async function measure(argv: readonly string[], method: RssMethod): Promise<Measured> {
  const id = `${process.pid}-${++counter}`;
  const stdoutPath = join(tmpdir(), `oomsleuth-bench-${id}.out`);
  const rssPath = join(tmpdir(), `oomsleuth-bench-${id}.rss`);
  const out = await open(stdoutPath, 'w');
  const command = method === 'gnu-time' ? [GNU_TIME, '-f', '%M', '-o', rssPath, ...argv] : [...argv];
  const polled = { kb: null as number | null };
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', out.fd, 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    if (stderr.length < 64 * 1024) stderr += text;
  });
  const poller =
    method === 'proc-vmhwm' && child.pid !== undefined
      ? pollPeak(child.pid, (kb) => {
          polled.kb = kb;
        })
      : null;
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const wallMs = performance.now() - started;
  if (poller) clearInterval(poller);
  await out.close();
  const stdout = await readFile(stdoutPath, 'utf8');
  let peakRssKb: number | null = polled.kb;
  if (method === 'gnu-time') {
    // GNU time writes "Command exited with non-zero status N" before the figure when the command fails
    const lines = (await readFile(rssPath, 'utf8').catch(() => '')).trim().split('\n');
    const value = Number(lines[lines.length - 1]);
    peakRssKb = Number.isFinite(value) && value > 0 ? value : null;
  }
  await rm(stdoutPath, { force: true });
  await rm(rssPath, { force: true });
  return { wallMs, peakRssKb, exitCode, stdout, stderr };
}

function pollPeak(pid: number, report: (kb: number) => void): NodeJS.Timeout {
  return setInterval(() => {
    readFile(`/proc/${pid}/status`, 'utf8')
      .then((status) => {
        const match = /^VmHWM:\s+(?<kb>\d+) kB/m.exec(status);
        if (match?.groups?.kb) report(Number(match.groups.kb));
      })
      .catch(() => {}); // the child has exited between two polls
  }, 20);
}

/** Reads every file once so that all runs start with a warm page cache. */
export async function warm(files: readonly string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('cat', [...files], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
