// The drill's victim: /bin/sh run under the name `oomsleuth-drill` (a symlink: the kernel takes a task's name from
// the path executed), which joins the drill's cgroup by itself before it allocates a byte, then doubles a string
// until the OOM killer ends it. It stops by itself at twice the limit, should the limit somehow not hold.
import { type ChildProcess, spawn } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';

export const HOG_NAME = 'oomsleuth-drill';
const SHELL = '/bin/sh';

/** Doublings of a 16-byte string until it is twice `limitBytes`. */
export function doublingsFor(limitBytes: number): number {
  return Math.ceil(Math.log2((2 * limitBytes) / 16));
}

/** The hog's script: join the cgroup (or exit 3 without allocating), double, and exit 4 if never killed. */
export function hogScript(limitBytes: number): string {
  return [
    'echo $$ > "$OOMSLEUTH_DRILL_CGROUP/cgroup.procs" || exit 3',
    'x=0123456789abcdef',
    'i=0',
    `while [ $i -lt ${doublingsFor(limitBytes)} ]; do x="$x$x"; i=$((i + 1)); done`,
    'exit 4',
  ].join('\n');
}

export interface Hog {
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
  kill(): void;
}

/** Starts the hog from a symlink made in `binDir`; it enters `cgroupDir` at once. */
export async function startHog(binDir: string, cgroupDir: string, limitBytes: number): Promise<Hog> {
  const exe = join(binDir, HOG_NAME);
  await symlink(SHELL, exe);
  const child: ChildProcess = spawn(exe, ['-c', hogScript(limitBytes)], {
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', OOMSLEUTH_DRILL_CGROUP: cgroupDir },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal, atMs: Date.now() }));
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return {
    pid: child.pid!,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
