// `oomsleuth guard status|stop|restart|logs`: argument parsing and printing only; the talking is src/guard/control.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { OomsleuthError } from '../errors.js';
import { LOGS_OPTIONS, RESTART_OPTIONS, STATUS_OPTIONS, STOP_OPTIONS } from '../guard/control-options.js';
import { registerOptions } from '../options/register.js';

/** The words after `guard` that drive a running guard instead of starting one. */
export const CONTROL_WORDS = ['status', 'stop', 'restart', 'logs'] as const;

/** Exit status of `guard status` when no guard runs (as `systemctl status` says "inactive"). */
const EXIT_NOT_RUNNING = 3;
const WHICH = "the app's folder, where its check.log and NAME.guard.pid are (default: here)";

export function guardControlCommands(): Command[] {
  const status = registerOptions(
    new Command('status').description(
      "the guard's state, the app's pid, uptime and memory, restarts, last death",
    ),
    STATUS_OPTIONS,
  )
    .argument('[folder]', WHICH)
    .addHelpText(
      'after',
      `\nExit status: 0 a guard runs; ${EXIT_NOT_RUNNING} none runs for the app; 2 bad usage.`,
    )
    .action(async (folder: string | undefined, flags: Record<string, unknown>) => {
      const { loadControlTarget, queryStatus } = await import('../guard/control-client.js');
      try {
        const target = await loadControlTarget('status', folder, STATUS_OPTIONS, flags);
        const shown = await queryStatus(target.pidFile, target.values.json === true);
        process.stdout.write(shown);
      } catch (error) {
        if (!(error instanceof OomsleuthError) || error.code !== 'OOMS_E_GUARD_NOT_RUNNING') throw error;
        process.stderr.write(`oomsleuth: ${error.message}\n`);
        process.exitCode = EXIT_NOT_RUNNING;
      }
    });

  const stop = registerOptions(
    new Command('stop').description('stop the guard and the app (SIGTERM, SIGKILL after its --stop-timeout)'),
    STOP_OPTIONS,
  )
    .argument('[folder]', WHICH)
    .action(async (folder: string | undefined, flags: Record<string, unknown>) => {
      const { loadControlTarget, stopGuard } = await import('../guard/control-client.js');
      const target = await loadControlTarget('stop', folder, STOP_OPTIONS, flags);
      process.stdout.write(await stopGuard(target.pidFile, sleep));
    });

  const restart = registerOptions(
    new Command('restart').description(
      'restart the app now: a deliberate stop (recorded as stopped, not counted as a death), then a new life',
    ),
    RESTART_OPTIONS,
  )
    .argument('[folder]', WHICH)
    .action(async (folder: string | undefined, flags: Record<string, unknown>) => {
      const { loadControlTarget, restartApp } = await import('../guard/control-client.js');
      const target = await loadControlTarget('restart', folder, RESTART_OPTIONS, flags);
      process.stdout.write(await restartApp(target.pidFile));
    });

  const logs = registerOptions(
    new Command('logs').description("print the end of the app's log (running.log); -f follows it"),
    LOGS_OPTIONS,
  )
    .argument('[folder]', WHICH)
    .action(async (folder: string | undefined, flags: Record<string, unknown>) => {
      const { loadLogsTarget, printLogs } = await import('../guard/control-client.js');
      const target = await loadLogsTarget(folder, flags);
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await printLogs(target, stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });

  return [status, stop, restart, logs];
}
