// `oomsleuth guard`: from the validated options to a running supervisor and back to an exit status. Owns the
// process-wide parts: the lock, the pid file, the memory cgroup's creation and removal, the kernel log, signals.
import { appendFile, readFile, rm } from 'node:fs/promises';
import { OomsleuthError } from '../errors.js';
import type { WarningRecord } from '../forecast/warning-record.js';
import { printableLines } from '../report/printable.js';
import { CheckLog, guardExitText } from './check-log.js';
import { controlListener, type GuardStatusReport, writeControlKey } from './control.js';
import { isDaemonChild, reportToParent, startDaemon } from './daemonize.js';
import { type GuardConfig, loadGuardConfig } from './guard-config.js';
import { GUARD_WORDS } from './guard-words.js';
import type { GuardIncident } from './incident.js';
import { openKernelLog } from './kernel-log.js';
import { acquireLock, type GuardLock, isLockHeld } from './lock.js';
import { LOG_FILE_MODE, prepareLogFile } from './log-files.js';
import { createMemcg, findOwnMemcg, type Memcg, memcgName } from './memcg.js';
import { parseProcStatus } from './memory-sampler.js';
import { keyFileFor, readChildRecord, removeGuardFiles, writePidFile } from './pid-file.js';
import { isSameProcessAlive } from './proc-stat.js';
import { Supervisor } from './supervisor.js';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** Runs the guard; resolves with the exit status. Usage and start-up problems throw an OomsleuthError (exit 2). */
export async function runGuard(
  commandLine: readonly string[],
  flags: Record<string, unknown>,
): Promise<number> {
  const daemonChild = isDaemonChild();
  let config: GuardConfig;
  try {
    config = await loadGuardConfig(commandLine, flags);
  } catch (error) {
    if (daemonChild && error instanceof OomsleuthError)
      reportToParent({ kind: 'error', code: error.code, message: error.message });
    throw error;
  }

  if (config.daemon && !daemonChild) {
    // The crontab habit starts a guard every minute: when one already runs, say nothing and succeed.
    if (await isLockHeld(config.pidFile)) return 0;
    const message = await startDaemon();
    if (message.kind === 'error') throw new OomsleuthError(message.code, message.message);
    if (message.kind === 'ready') {
      process.stderr.write(
        `oomsleuth: ${GUARD_WORDS[config.language].background(message.guardPid, config.name, message.childPid)}\n`,
      );
    }
    return 0;
  }
  if (daemonChild) delete process.env.OOMSLEUTH_GUARD_DAEMON;

  const lock = await acquireLock(config.pidFile);
  if (lock === null) {
    reportToParent({ kind: 'held' });
    return 0;
  }
  try {
    return await superviseLocked(config, daemonChild, lock);
  } catch (error) {
    if (daemonChild) {
      const code = error instanceof OomsleuthError ? error.code : 'OOMS_E_GUARD_DAEMON_FAILED';
      reportToParent({ kind: 'error', code, message: (error as Error).message });
    }
    throw error;
  } finally {
    await lock.release();
  }
}

async function superviseLocked(config: GuardConfig, daemonChild: boolean, lock: GuardLock): Promise<number> {
  const words = GUARD_WORDS[config.language];
  const say = (message: string) => {
    if (!daemonChild) process.stderr.write(`oomsleuth guard: ${printableLines(message)}\n`);
  };
  // A closed terminal must not turn a write on stderr into the guard's death.
  process.stderr.on('error', () => undefined);
  // Made before anything is written: 0640, in the app's group with --user/--group; others' write access taken away.
  const tightened: string[] = [];
  for (const [flag, path] of [
    ['--check-log', config.checkLog],
    ['--app-log', config.appLog],
    ['--incidents', config.incidents],
  ] as const) {
    if (path === null) continue;
    const note = await prepareLogFile(flag, path, config.runAs?.gid ?? null);
    if (note !== null) tightened.push(note);
  }
  // check.log's lines are echoed as written (English); only the guard's own messages speak --lang.
  const checkLog = new CheckLog(config.checkLog, say, (line) => say(line), words.cannotWriteCheckLog);
  await writePidFile(config.pidFile, process.pid);
  for (const note of tightened) await checkLog.append(Date.now(), `${config.name} guard: warning: ${note}`);

  let memcg: { cgroup: Memcg; homeDir: string } | null = null;
  if (config.memoryLimitBytes !== null) {
    try {
      const home = await findOwnMemcg();
      memcg = {
        cgroup: await createMemcg(memcgName(config.name), config.memoryLimitBytes),
        homeDir: home.dir,
      };
    } catch (error) {
      await removeGuardFiles(config.pidFile);
      throw new OomsleuthError(
        'OOMS_E_GUARD_CGROUP_UNAVAILABLE',
        `guard: --memory-limit cannot be applied: ${(error as Error).message}`,
      );
    }
  }
  const kernelLog = await openKernelLog();
  if (kernelLog.problem !== null) {
    await checkLog.append(Date.now(), `${config.name} guard: warning: ${kernelLog.problem}`);
  }

  const supervisor = new Supervisor({
    config,
    checkLog,
    kernelLog,
    memcg,
    say,
    appendIncident: (incident: GuardIncident) =>
      config.incidents === null
        ? Promise.resolve()
        : appendFile(config.incidents, `${JSON.stringify(incident)}\n`, { mode: LOG_FILE_MODE }),
    appendWarning: (warning: WarningRecord) =>
      config.incidents === null
        ? Promise.resolve()
        : appendFile(config.incidents, `${JSON.stringify(warning)}\n`, { mode: LOG_FILE_MODE }),
    onStarted: (childPid) => reportToParent({ kind: 'ready', guardPid: process.pid, childPid }),
  });
  const startedAtMs = Date.now();
  /** What stopped the guard: a signal, or `oomsleuth guard stop`. */
  let stopSignal: string | null = null;
  const key = await writeControlKey(config.pidFile).catch((error: Error) => {
    say(
      `cannot write ${keyFileFor(config.pidFile)} [OOMS_E_GUARD_LOG_UNWRITABLE]: ${error.message} — \`oomsleuth guard status|stop|restart\` will not reach this guard`,
    );
    return null;
  });
  if (key !== null) {
    lock.serve(
      controlListener(key, {
        status: async (): Promise<GuardStatusReport> => {
          const now = supervisor.status();
          const rssKbNow =
            now.life === null
              ? null
              : await readFile(`/proc/${now.life.pid}/status`, 'utf8').then(
                  (text) => parseProcStatus(text).rssKb,
                  // Gone between the two reads: its death is being judged; the last sample is in the report.
                  () => null,
                );
          return {
            ...now,
            name: config.name,
            guardPid: process.pid,
            guardStartedAtMs: startedAtMs,
            command: config.commandLine,
            checkLog: config.checkLog,
            appLog: config.appLog,
            pidFile: config.pidFile,
            rssKbNow,
          };
        },
        stop: (why) => {
          const appPid = supervisor.status().life?.pid ?? null;
          stopSignal ??= why;
          // After the reply is on its way: the stop ends this process.
          setImmediate(() => supervisor.requestStop(why));
          return { appPid, stopTimeoutMs: config.stopTimeoutMs };
        },
        restart: (why) => supervisor.requestRestart(why),
      }),
    );
  }
  const onSignal = (signal: NodeJS.Signals) => {
    stopSignal ??= signal;
    supervisor.requestStop(`the guard got ${signal}`);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  let status: number;
  try {
    status = await supervisor.run();
  } catch (error) {
    // The supervisor's error is the one thrown; what its cleanup leaves behind is said too.
    await memcg?.cgroup.remove().catch((left: Error) => say(`[OOMS_E_GUARD_CGROUP_LEFT] ${left.message}`));
    await removeGuardFiles(config.pidFile).catch((left: Error) =>
      say(words.cannotRemove(config.pidFile, left.message)),
    );
    throw error;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    // Closing /dev/kmsg, which was only read: nothing is lost if that fails.
    await kernelLog.close().catch(() => undefined);
  }

  const why =
    stopSignal !== null
      ? `stopped by ${stopSignal}`
      : config.once
        ? `--once: the child ended, exit status ${status}`
        : status === 1
          ? 'gave up (--max-restarts)'
          : 'done';
  await checkLog.append(Date.now(), guardExitText(config.name, why));
  await checkLog.flush();
  if (status === 1 && !config.once && stopSignal === null) {
    say(words.gaveUp(config.name, config.checkLog));
  }
  if (memcg !== null) {
    await memcg.cgroup.remove().catch((error: Error) => say(`[OOMS_E_GUARD_CGROUP_LEFT] ${error.message}`));
  }
  // A child that outlives us (stopping it failed) keeps its record, so the next guard adopts it.
  const record = await readChildRecord(config.pidFile);
  const orphaned =
    record !== null &&
    record.guardPid === process.pid &&
    (await isSameProcessAlive(record.childPid, record.childStartTicks));
  const cannotRemove = (error: Error) => say(words.cannotRemove(config.pidFile, error.message));
  if (orphaned) await rm(config.pidFile, { force: true }).catch(cannotRemove);
  else await removeGuardFiles(config.pidFile).catch(cannotRemove);
  return status;
}
