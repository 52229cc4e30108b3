// Runs the built `oomsleuth guard` (dist/, as an operator would) against the test child, and cleans up after it:
// every guard, child and memory cgroup a test starts is gone when the test ends, whatever happened.
import { type ChildProcess, spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, readFile, rm, rmdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { findOwnMemcg } from '../../src/guard/memcg.js';
import { CLI, NEUTRAL_LOCALE } from '../helpers/cli.js';

export const CHILD_SCRIPT = fileURLToPath(new URL('./fixtures/child.mjs', import.meta.url));

export interface GuardRun {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export interface Sandbox {
  /** The incident folder: check.log and running.log only (what `analyze` is pointed at). */
  readonly logs: string;
  /** Symlinks named like the app, the child's state file, the incidents file: everything else. */
  readonly work: string;
  readonly checkLog: string;
  readonly appLog: string;
  readonly incidents: string;
  readonly state: string;
  /** `<work>/bin/<name>`, a symlink to node: the kernel names the process after it. */
  app(name: string): Promise<string>;
  /** Starts `oomsleuth guard` with the sandbox's files; `args` go before `-- COMMAND`. */
  guard(
    command: readonly string[],
    args?: readonly string[],
    options?: {
      env?: NodeJS.ProcessEnv;
      plan?: string;
      uid?: number;
      gid?: number;
      /** The CLI to run: a copy another user can read when `uid` drops root (test/helpers/other-user.ts). */
      cli?: string;
    },
  ): GuardRun;
  /** Pids to SIGKILL at cleanup if still there (children the test learnt of). */
  track(pid: number): void;
  cleanup(): Promise<void>;
}

export async function assertBuilt(): Promise<void> {
  await access(CLI).catch(() => {
    throw new Error(`${CLI} is missing: build the CLI first (npx tsc -p tsconfig.build.json)`);
  });
}

/** The guard's environment: a bare node for the child (no test-runner context, no loader hooks). */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _o, NODE_TEST_CONTEXT: _c, ...env } = process.env;
  return { ...env, ...NEUTRAL_LOCALE, ...extra };
}

export async function makeSandbox(label: string): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), `oomsleuth-guard-${label}-`));
  const logs = join(root, 'logs');
  const work = join(root, 'work');
  await mkdir(logs);
  await mkdir(join(work, 'bin'), { recursive: true });
  const runs: GuardRun[] = [];
  const pids = new Set<number>();
  const sandbox: Sandbox = {
    logs,
    work,
    checkLog: join(logs, 'check.log'),
    appLog: join(logs, 'running.log'),
    incidents: join(work, 'incidents.jsonl'),
    state: join(work, 'child-state'),
    async app(name) {
      const path = join(work, 'bin', name);
      await symlink(process.execPath, path).catch(() => undefined);
      return path;
    },
    guard(command, args = [], options = {}) {
      const child = spawn(
        process.execPath,
        [
          options.cli ?? CLI,
          'guard',
          '--check-log',
          sandbox.checkLog,
          '--app-log',
          sandbox.appLog,
          '--incidents',
          sandbox.incidents,
          '--check-interval',
          '1s',
          '--sample-interval',
          '200ms',
          ...args,
          '--',
          ...command,
        ],
        {
          cwd: work,
          env: cleanEnv({ CHILD_STATE: sandbox.state, CHILD_PLAN: options.plan ?? 'idle', ...options.env }),
          stdio: ['ignore', 'ignore', 'pipe'],
          ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
        },
      );
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      const run = { process: child, exited, stderr: () => stderr };
      runs.push(run);
      return run;
    },
    track(pid) {
      pids.add(pid);
    },
    async cleanup() {
      for (const run of runs) {
        if (run.process.exitCode === null && run.process.signalCode === null) run.process.kill('SIGKILL');
        await Promise.race([run.exited, sleep(5000)]);
        if (run.process.pid !== undefined) await removeGuardCgroups(run.process.pid);
      }
      for (const pid of [...pids, ...(await childPidsIn(sandbox))]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      await rm(root, { recursive: true, force: true });
    },
  };
  return sandbox;
}

// Children named in check.log (`started: pid N`, `restarted: pid N`) that may still run after a failed test.
async function childPidsIn(sandbox: Sandbox): Promise<number[]> {
  const text = await readFile(sandbox.checkLog, 'utf8').catch(() => '');
  return [...text.matchAll(/ (?:started|restarted|adopted|running outside the guard): pid (?<pid>\d+)/g)].map(
    (m) => Number(m.groups?.pid),
  );
}

// A guard killed by the test cannot remove its cgroup: do it for it (members first).
async function removeGuardCgroups(guardPid: number): Promise<void> {
  const own = await findOwnMemcg().catch(() => null);
  if (own === null) return;
  const parents = own.version === 1 ? [own.dir] : [own.dir, join(own.dir, '..')];
  for (const parent of parents) {
    const entries = await readdir(parent).catch(() => [] as string[]);
    for (const entry of entries.filter((e) => e.startsWith(`oomsleuth-guard-${guardPid}-`))) {
      const dir = join(parent, entry);
      for (let attempt = 0; attempt < 50; attempt++) {
        const procs = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => ''))
          .split('\n')
          .filter(Boolean);
        for (const pid of procs) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {}
        }
        if (
          await rmdir(dir).then(
            () => true,
            (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
          )
        )
          break;
        await sleep(100);
      }
    }
  }
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export async function readLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

// biome-ignore lint/suspicious/noExplicitAny: incidents are JSON read back; tests assert on their fields.
export type Json = any;

/** The incident lines of a guard's --incidents file (its early-warning records, `"type": "warning"`, left out). */
export async function readIncidents(path: string): Promise<Json[]> {
  return (await readRecords(path)).filter((r) => r.type === undefined);
}

/** Every line of a guard's --incidents file: incidents and warnings. */
export async function readRecords(path: string): Promise<Json[]> {
  return (await readLines(path)).map((l) => JSON.parse(l));
}

/** The check.log line of `kind` (`died`, `restarted`, …) once it is there. */
export function lineWith(lines: readonly string[], needle: string): string | undefined {
  return lines.find((l) => l.includes(needle));
}

/** VmRSS of a process in kB, or null. */
export async function rssKb(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status === null ? undefined : /^VmRSS:\s+(?<kb>\d+) kB$/m.exec(status)?.groups?.kb;
  return kb === undefined ? null : Number(kb);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const CHECK_LINE = /^(?<date>\d{8}) (?<time>\d{2}:\d{2}:\d{2}) (?<name>\S+) PID check: (?<count>\d+)$/;
