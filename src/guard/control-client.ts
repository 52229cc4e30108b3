// The other end of control.ts: what `oomsleuth guard status|stop|restart|logs` do once their flags are read. A guard
// that answers nothing on its socket (one started before the control channel existed) can still be stopped through
// its pid file.
import { join, resolve } from 'node:path';
import { OomsleuthError } from '../errors.js';
import type { OptionSpecs } from '../options/option-spec.js';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { printAppLog } from './app-log-print.js';
import { sendControl } from './control.js';
import { LOGS_OPTIONS } from './control-options.js';
import { type GuardTarget, locateGuard } from './locate-guard.js';
import { isLockHeld } from './lock.js';
import { readPidFile } from './pid-file.js';
import { statusText } from './status-text.js';

const ANSWER_TIMEOUT_MS = 5_000;
/** A restart waits for the stop (the guard's --stop-timeout, 10 s by default) and the start of the next life. */
const RESTART_TIMEOUT_MS = 120_000;
/** Beyond the guard's grace period: the death's verdict (up to 2 s) and the files' last writes. */
const STOP_MARGIN_MS = 10_000;

/** Validates a control command's flags and finds its guard; every problem at once (exit 2). */
export async function loadControlTarget<S extends OptionSpecs>(
  command: string,
  folder: string | undefined,
  specs: S,
  flags: Record<string, unknown>,
): Promise<GuardTarget & { values: Record<string, unknown> }> {
  const problems = new Problems(`guard ${command}`);
  const { values } = await validateOptions(specs, flags, problems);
  const which = values as { name?: string; pidFile?: string };
  const target = problems.isEmpty ? await locateGuard(folder, which, problems) : null;
  problems.throwIfAny();
  return { ...target!, values: values as Record<string, unknown> };
}

/** The status as text (or JSON); throws OOMS_E_GUARD_NOT_RUNNING when no guard runs. */
export async function queryStatus(pidFile: string, json: boolean, nowMs = Date.now()): Promise<string> {
  const reply = await sendControl(pidFile, 'status', ANSWER_TIMEOUT_MS);
  if (reply === null) {
    const pid = await readPidFile(pidFile);
    const text = `a guard runs (pid ${pid ?? 'unknown'}), started before \`guard status\` existed: it cannot tell more — restart it with this version (guard stop, then start it as before)`;
    return json ? `${JSON.stringify({ guardPid: pid, answered: false })}\n` : `${text}\n`;
  }
  if (reply.ok !== true || reply.op !== 'status') throw unexpected(reply);
  return json ? `${JSON.stringify(reply.status, null, 2)}\n` : statusText(reply.status, nowMs);
}

/** Stops the guard (and so the app) and waits until it has exited; returns what to print. */
export async function stopGuard(pidFile: string, sleep: (ms: number) => Promise<unknown>): Promise<string> {
  const reply = await sendControl(pidFile, 'stop', ANSWER_TIMEOUT_MS);
  let waitMs = 10_000 + STOP_MARGIN_MS;
  let said: string;
  if (reply === null) {
    // A guard without the control channel stops on SIGTERM just the same.
    const pid = await readPidFile(pidFile);
    if (pid === null) throw new OomsleuthError('OOMS_E_GUARD_CONTROL_FAILED', `${pidFile} holds no pid`);
    process.kill(pid, 'SIGTERM');
    said = `sent SIGTERM to the guard (pid ${pid})`;
  } else {
    if (reply.ok !== true || reply.op !== 'stop') throw unexpected(reply);
    waitMs = reply.stopTimeoutMs + STOP_MARGIN_MS;
    said = reply.appPid === null ? 'the app was not running' : `the app (pid ${reply.appPid}) stopped`;
  }
  const deadline = Date.now() + waitMs;
  while (await isLockHeld(pidFile)) {
    if (Date.now() > deadline) {
      throw new OomsleuthError(
        'OOMS_E_GUARD_CONTROL_FAILED',
        `the guard of ${pidFile} still runs ${Math.round(waitMs / 1000)}s after it was told to stop — see its check.log`,
      );
    }
    await sleep(100);
  }
  return `guard stopped; ${said}\n`;
}

export async function restartApp(pidFile: string): Promise<string> {
  const reply = await sendControl(pidFile, 'restart', RESTART_TIMEOUT_MS);
  if (reply === null) {
    throw new OomsleuthError(
      'OOMS_E_GUARD_CONTROL_FAILED',
      `the guard of ${pidFile} was started before \`guard restart\` existed: restart the guard itself (guard stop, then start it as before)`,
    );
  }
  if (reply.ok !== true || reply.op !== 'restart') throw unexpected(reply);
  return `restarted: pid ${reply.oldPid} stopped, pid ${reply.newPid} running\n`;
}

export interface LogsTarget {
  readonly appLog: string;
  readonly lines: number;
  readonly follow: boolean;
}

/** The app log to print: --app-log, else the running guard's, else FOLDER/running.log. */
export async function loadLogsTarget(
  folder: string | undefined,
  flags: Record<string, unknown>,
): Promise<LogsTarget> {
  const problems = new Problems('guard logs');
  const { values } = await validateOptions(LOGS_OPTIONS, flags, problems);
  problems.throwIfAny();
  const settings = { lines: values.lines, follow: values.follow };
  if (values.appLog !== undefined) return freezeConfig({ appLog: values.appLog, ...settings });
  const located = new Problems('guard logs');
  const target = await locateGuard(folder, values, located);
  if (target === null) {
    try {
      located.throwIfAny();
    } catch (error) {
      // No guard's pid file in the folder: its running.log, as start.sh wrote it. Any other problem is said.
      if (!(error instanceof OomsleuthError) || error.code !== 'OOMS_E_GUARD_NOT_RUNNING') throw error;
    }
  }
  const reply =
    target === null
      ? null
      : await sendControl(target.pidFile, 'status', ANSWER_TIMEOUT_MS).catch((error: unknown) => {
          if (error instanceof OomsleuthError && error.code === 'OOMS_E_GUARD_NOT_RUNNING') return null;
          throw error;
        });
  const dir = target?.dir ?? resolve(folder ?? '.');
  const appLog = reply?.ok === true && reply.op === 'status' ? reply.status.appLog : join(dir, 'running.log');
  return freezeConfig({ appLog, ...settings });
}

export async function printLogs(target: LogsTarget, until: AbortSignal): Promise<void> {
  await printAppLog(
    target.appLog,
    { lines: target.lines, follow: target.follow, until },
    (text) =>
      new Promise((resolve) =>
        process.stdout.write(text) ? resolve() : process.stdout.once('drain', resolve),
      ),
    (message) => process.stderr.write(`oomsleuth guard logs: ${message}\n`),
  ).catch((error: NodeJS.ErrnoException) => {
    if (error instanceof OomsleuthError) throw error;
    throw new OomsleuthError(
      'OOMS_E_SOURCE_UNREADABLE',
      `guard logs: cannot read ${target.appLog}: ${error.message} — give the app's folder, or --app-log`,
      { cause: error },
    );
  });
}

function unexpected(reply: unknown): Error {
  return new OomsleuthError(
    'OOMS_E_GUARD_CONTROL_FAILED',
    `the guard answered something else: ${JSON.stringify(reply)}`,
  );
}
