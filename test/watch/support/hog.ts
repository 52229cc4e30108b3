// A real kernel OOM kill of a process with a name of our own (not `anqicms`: other suites provoke those on the same
// kernel at the same time), in a throw-away memory cgroup (the shared harness's memcg.ts and memory-hog.mjs). The
// cgroup, the process and the temporary folder are removed whatever happens.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemcg, memcgAvailable, memcgName } from '../../support/memcg.js';
import { HOG_SCRIPT } from '../../support/real-oom.js';

export const HOG_NAME = 'oomwatch-e2e';

export interface Kill {
  readonly pid: number;
  /** When the parent saw the SIGKILL (ms since the epoch). */
  readonly exitedAt: number;
  readonly signal: NodeJS.Signals | null;
}

/** Why a real OOM kill cannot be provoked here (not root, no memory cgroup, no readable /dev/kmsg), or null. */
export async function realKillProblem(): Promise<string | null> {
  const memcg = await memcgAvailable();
  if (!memcg.ok) return memcg.reason;
  try {
    await (await import('node:fs/promises')).access('/dev/kmsg', 4);
  } catch {
    return '/dev/kmsg cannot be read (run as root)';
  }
  return null;
}

/** Spawns the hog as `name`, lets it allocate in a 64 MiB memory cgroup until the kernel kills it. */
export async function provokeKill(
  options: { name?: string; appLog?: string; limitBytes?: number } = {},
): Promise<Kill> {
  const name = options.name ?? HOG_NAME;
  const binDir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-hog-'));
  const exe = path.join(binDir, name);
  let child: ChildProcessWithoutNullStreams | undefined;
  const memcg = await createMemcg(memcgName('watch'), options.limitBytes ?? 64 * 1024 * 1024);
  const log = options.appLog ? createWriteStream(options.appLog, { flags: 'a' }) : null;
  try {
    await symlink(process.execPath, exe);
    const { NODE_OPTIONS: _o, NODE_TEST_CONTEXT: _c, ...env } = process.env;
    const hog = spawn(exe, [HOG_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], cwd: binDir, env });
    child = hog;
    const exited = new Promise<{ at: number; signal: NodeJS.Signals | null }>((resolve) =>
      hog.once('exit', (_code, signal) => resolve({ at: Date.now(), signal })),
    );
    hog.stdin.on('error', () => undefined);
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hog not ready: ${out}`)), 10_000);
      hog.stdout.on('data', (chunk: Buffer) => {
        log?.write(chunk);
        out += chunk.toString('utf8');
        if (out.includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await ready;
    const pid = hog.pid!;
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
    if (comm !== name) throw new Error(`the hog runs as "${comm}", not "${name}"`);
    await memcg.addProcess(pid);
    hog.stdin.write('go\n');
    const exit = await Promise.race([exited, sleep(20_000, null)]);
    if (exit === null) throw new Error(`${name} (pid ${pid}) was not OOM-killed within 20 s`);
    return { pid, exitedAt: exit.at, signal: exit.signal };
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
    await memcg.remove().catch(() => undefined);
    await rm(binDir, { recursive: true, force: true });
  }
}
