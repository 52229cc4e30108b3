// Provokes a real kernel OOM kill of a process named `anqicms` inside a throw-away memory
// cgroup, and writes the incident folder an operator would hand to oomsleuth:
//
//   running.log  the process's stdout+stderr (Go-log-style lines, then the cliff)
//   check.log    guardian lines as the old start.sh writes them, at real moments
//   dmesg.txt    the kernel records of the window, as `dmesg` prints them
//   kmsg.txt     the same records as /dev/kmsg delivers them (absent via the dmesg fallback)
//
// Only the child cgroup's members can be chosen by the OOM killer (memcg OOM), so nothing
// else on the machine is touched. The cgroup, the process and the temporary symlink are
// removed in a finally, whatever happens.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  type KernelCapture,
  type KernelRecord,
  type KernelWindow,
  kernelLogAvailable,
  openKernelWindow,
} from './kmsg.js';
import { type Availability, type CgroupVersion, createMemcg, memcgAvailable, memcgName } from './memcg.js';

export const HOG_SCRIPT = fileURLToPath(new URL('./memory-hog.mjs', import.meta.url));
const APP = 'anqicms';
const MIB = 1024 * 1024;

export interface RealOomOptions {
  /** Memory limit of the cgroup (default 64 MiB). */
  limitBytes?: number;
  /** Guardian check period (default 2000 ms; the real cron runs every minute). */
  checkIntervalMs?: number;
  /** Delay between the first (alive) check and releasing the hog (default 1000 ms). */
  releaseAfterMs?: number;
  /** Give up if the process is not dead this long after release (default 20 s). */
  killTimeoutMs?: number;
  /** Force the kernel log reader (default: /dev/kmsg, else `dmesg -r`). */
  kernelLog?: 'kmsg' | 'dmesg';
}

export interface RealOomResult {
  pid: number;
  /** /proc/PID/comm of the hog before it was released. */
  comm: string;
  /** Parsed from the captured `Killed process` line, in kB as the kernel prints them. */
  anonRssKb: number;
  totalVmKb: number;
  killedLine: string;
  /** /proc/stat btime in ms since the epoch. */
  bootTimeMs: number;
  files: { runningLog: string; checkLog: string; dmesg: string; kmsg: string | null };
  kernel: KernelCapture;
  memcg: {
    version: CgroupVersion;
    dir: string;
    cgroupPath: string;
    oomKillsBefore: number;
    oomKillsAfter: number;
  };
  exit: { code: number | null; signal: NodeJS.Signals | null };
  /** Wall-clock ms since the epoch of the moments that matter. */
  timings: {
    spawnedAt: number;
    releasedAt: number;
    exitedAt: number;
    /** Release → exit event. */
    killMs: number;
    /** bootTime + the Killed record's stamp, minus the moment the exit was seen. */
    kernelClockSkewMs: number;
  };
  checks: { at: number; count: number }[];
}

const KILLED =
  /Killed process (?<pid>\d+) \((?<comm>.*)\) total-vm:(?<totalVm>\d+)kB, anon-rss:(?<anonRss>\d+)kB/;

/** The `Killed process` record of `pid`, if captured. */
export function findKilledRecord(records: readonly KernelRecord[], pid: number): KernelRecord | undefined {
  const needle = `Killed process ${pid} (`;
  return records.find((r) => r.text.includes(needle));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `date +'%Y%m%d %H:%M:%S'` in the machine's local zone, as the guardian scripts write it. */
export function guardianStamp(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Everything the real-kernel test needs here, or the first reason it cannot run. */
export async function realOomAvailable(): Promise<Availability> {
  const memcg = await memcgAvailable();
  if (!memcg.ok) return memcg;
  return kernelLogAvailable();
}

// The old start.sh counts `ps -ef | grep '\<anqicms\>'` lines. Counting command lines would
// also count unrelated processes whose arguments mention the word (another test run, an
// editor); the harness needs a deterministic 1/0, so it asks whether its own hog still lives.
async function guardianCount(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) S …`: a zombie (Z) is dead for our purpose; the comm may hold spaces.
    const state = /\) (?<state>\S) /.exec(stat)?.groups?.state;
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
    return comm === APP && state !== 'Z' && state !== 'X' ? 1 : 0;
  } catch {
    return 0;
  }
}

function waitForLine(
  child: ChildProcessWithoutNullStreams,
  needle: string,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => finish(new Error(`hog printed no "${needle}" within ${timeoutMs} ms: ${seen}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes(needle)) finish();
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`hog exited (code ${code}, signal ${signal}) before "${needle}": ${seen}`));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Provokes one real OOM kill and writes the incident folder into `dir` (created if needed). */
export async function provokeRealOomKill(dir: string, options: RealOomOptions = {}): Promise<RealOomResult> {
  const {
    limitBytes = 64 * MIB,
    checkIntervalMs = 2000,
    releaseAfterMs = 1000,
    killTimeoutMs = 20_000,
    kernelLog,
  } = options;
  await mkdir(dir, { recursive: true });
  const files = {
    runningLog: join(dir, 'running.log'),
    checkLog: join(dir, 'check.log'),
    dmesg: join(dir, 'dmesg.txt'),
    kmsg: join(dir, 'kmsg.txt') as string | null,
  };

  // The symlink lives outside `dir`: the incident folder must hold only logs.
  const binDir = await mkdtemp(join(tmpdir(), 'oomsleuth-bin-'));
  const exe = join(binDir, APP);
  let kernel: KernelWindow | undefined;
  let memcg: Awaited<ReturnType<typeof createMemcg>> | undefined;
  let child: ChildProcessWithoutNullStreams | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> | undefined;
  let closed: Promise<void> | undefined;
  const runningLog = createWriteStream(files.runningLog, { flags: 'a' });
  const checks: { at: number; count: number }[] = [];
  let stopGuardian = false;
  let guardian: Promise<void> | undefined;

  const check = async (pid: number): Promise<number> => {
    const now = new Date();
    const count = await guardianCount(pid);
    checks.push({ at: now.getTime(), count });
    await appendFile(files.checkLog, `${guardianStamp(now)} ${APP} PID check: ${count}\n`);
    return count;
  };

  try {
    await symlink(process.execPath, exe);
    kernel = await openKernelWindow(kernelLog);
    memcg = await createMemcg(memcgName('anqicms'), limitBytes);
    const oomKillsBefore = await memcg.oomKillCount();

    const spawnedAt = Date.now();
    // The hog must stay a bare node: no loader hooks or test-runner context inherited from us.
    const { NODE_OPTIONS: _options, NODE_TEST_CONTEXT: _context, ...env } = process.env;
    const hog = spawn(exe, [HOG_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], cwd: binDir, env });
    child = hog;
    exited = new Promise((resolve) =>
      hog.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    // 'close' comes after 'exit', once stdout/stderr are drained into running.log.
    closed = new Promise((resolve) => hog.once('close', () => resolve()));
    // `>> running.log 2>&1`: both streams, in arrival order.
    hog.stdout.on('data', (chunk: Buffer) => runningLog.write(chunk));
    hog.stderr.on('data', (chunk: Buffer) => runningLog.write(chunk));
    hog.stdin.on('error', () => undefined); // EPIPE if it dies before we write

    await waitForLine(hog, 'ready', 10_000);
    const pid = hog.pid;
    if (pid === undefined) throw new Error('spawn gave no pid');
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
    if (comm !== APP) {
      throw new Error(
        `the hog's comm is "${comm}", not "${APP}": the kernel did not take the name from the symlink ${exe}`,
      );
    }

    await memcg.addProcess(pid);
    if (!(await memcg.pids()).includes(pid))
      throw new Error(`pid ${pid} is not in ${memcg.dir}/cgroup.procs after the move`);

    // First guardian check while it is alive, then release it; the guardian keeps checking
    // on its period, independently of the harness, until a check sees the process gone.
    if ((await check(pid)) !== 1)
      throw new Error(`guardian check found no live ${APP} (pid ${pid}) before release`);
    const firstCheckAt = Date.now();
    guardian = (async () => {
      for (let tick = 1; !stopGuardian; tick++) {
        await sleep(Math.max(0, firstCheckAt + tick * checkIntervalMs - Date.now()));
        if (stopGuardian || (await check(pid)) === 0) return;
      }
    })();
    guardian.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
    await sleep(releaseAfterMs);
    const releasedAt = Date.now();
    hog.stdin.write('go\n');

    const exit = await Promise.race([exited, sleep(killTimeoutMs, null, { ref: false })]);
    if (exit === null)
      throw new Error(`${APP} (pid ${pid}) was not killed within ${killTimeoutMs} ms of release`);
    await guardian;

    const captured = await kernel.collect({
      until: (records) => findKilledRecord(records, pid) !== undefined,
      timeoutMs: 5000,
    });
    const killed = findKilledRecord(captured.records, pid);
    if (!killed) {
      throw new Error(
        `no "Killed process ${pid} (" record among ${captured.records.length} kernel records within 5 s ` +
          `(exit code ${exit.code}, signal ${exit.signal}); records: ${captured.dmesgLines.join(' | ')}`,
      );
    }
    const fields = KILLED.exec(killed.text)?.groups;
    if (!fields) throw new Error(`cannot read the Killed process line: ${killed.text}`);

    await writeFile(files.dmesg, captured.dmesgLines.map((l) => `${l}\n`).join(''));
    if (captured.via === 'kmsg')
      await writeFile(files.kmsg ?? '', captured.kmsgLines.map((l) => `${l}\n`).join(''));
    else files.kmsg = null;

    const oomKillsAfter = await memcg.oomKillCount();
    return {
      pid,
      comm,
      anonRssKb: Number(fields.anonRss),
      totalVmKb: Number(fields.totalVm),
      killedLine: killed.text,
      bootTimeMs: captured.bootTimeMs,
      files,
      kernel: captured,
      memcg: {
        version: memcg.version,
        dir: memcg.dir,
        cgroupPath: memcg.cgroupPath,
        oomKillsBefore,
        oomKillsAfter,
      },
      exit: { code: exit.code, signal: exit.signal },
      timings: {
        spawnedAt,
        releasedAt,
        exitedAt: exit.at,
        killMs: exit.at - releasedAt,
        kernelClockSkewMs: Math.round(captured.bootTimeMs + killed.usec / 1000 - exit.at),
      },
      checks,
    };
  } finally {
    stopGuardian = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    if (child) await Promise.race([closed, sleep(5000, undefined, { ref: false })]);
    await guardian?.catch(() => undefined);
    child?.stdin.destroy();
    await new Promise<void>((resolve) => runningLog.end(resolve));
    await kernel?.close().catch(() => undefined);
    try {
      await memcg?.remove();
    } finally {
      await rm(binDir, { recursive: true, force: true });
    }
  }
}
