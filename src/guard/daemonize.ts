// `--daemon`: the guard re-runs itself in the background, in a session of its own, and the command line returns once
// the background guard says the app is up — or says why it could not be, so cron mail and the terminal still see
// errors. The background guard talks back over an IPC channel it drops once it is up.
import { spawn } from 'node:child_process';
import { isSingleExecutable } from '../embedded.js';
import { type ErrorCode, OomsleuthError } from '../errors.js';

/** Set in the background guard's environment (and removed before it starts the app). */
export const DAEMON_ENV = 'OOMSLEUTH_GUARD_DAEMON';
const READY_TIMEOUT_MS = 30_000;

export type DaemonMessage =
  | { readonly kind: 'ready'; readonly guardPid: number; readonly childPid: number }
  | { readonly kind: 'held' }
  | { readonly kind: 'error'; readonly code: ErrorCode; readonly message: string };

/** True in the background guard. */
export function isDaemonChild(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[DAEMON_ENV] === '1';
}

/** Tells the command line how it went (no-op in a guard run in the foreground), then lets go of it. */
export function reportToParent(message: DaemonMessage): void {
  if (!process.send || !process.connected) return;
  process.send(message, () => {
    if (process.connected) process.disconnect();
  });
}

/**
 * Starts the background guard with the same arguments and waits for its word. Resolves with the message; throws
 * OOMS_E_GUARD_DAEMON_FAILED when it ended or stayed silent.
 */
export function startDaemon(argv: readonly string[] = process.argv): Promise<DaemonMessage> {
  const [, script, ...args] = argv;
  return new Promise((resolve, reject) => {
    // The single executable is its own script: Node puts its path in argv[1] again at every start, so it is not given.
    const self = isSingleExecutable() ? args : [...process.execArgv, script ?? '', ...args];
    const child = spawn(process.execPath, self, {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: { ...process.env, [DAEMON_ENV]: '1' },
    });
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(
        new OomsleuthError(
          'OOMS_E_GUARD_DAEMON_FAILED',
          `guard --daemon: the background guard ${why} — run the same command without --daemon to see why`,
        ),
      );
    };
    const timer = setTimeout(() => {
      child.disconnect?.();
      child.unref();
      fail(`did not report within ${READY_TIMEOUT_MS / 1000}s`);
    }, READY_TIMEOUT_MS);
    child.once('message', (message: DaemonMessage) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.unref();
      // The channel would keep this process alive; the background guard closes its end too.
      if (child.connected) child.disconnect();
      resolve(message);
    });
    child.once('error', (error) => fail(`could not be started: ${error.message}`));
    child.once('exit', (code, signal) =>
      fail(`ended (${signal ?? `exit code ${code}`}) before the app was up`),
    );
  });
}
