// `oomsleuth guard [options] -- COMMAND [ARG …]`: argument parsing only; the supervisor is loaded when it runs.
import { Command } from 'commander';

export function guardCommand(): Command {
  return new Command('guard')
    .description(
      'supervise COMMAND: restart it at once when it dies, say why it died (check.log, --incidents), sample its memory',
    )
    .usage('[options] -- COMMAND [ARG ...]')
    .argument('<command>', 'the program to run (after --), without a shell')
    .argument('[args...]', 'its arguments')
    .option('--name <name>', 'name used in check.log lines (default: the basename of COMMAND)')
    .option('--cwd <dir>', "the child's working directory (default: COMMAND's directory, as start.sh does)")
    .option(
      '--check-log <file>',
      'guardian log: check.sh heartbeat lines plus one line per death and restart',
      './check.log',
    )
    .option('--app-log <file>', "where the child's stdout and stderr are appended", './running.log')
    .option(
      '--incidents <file>',
      'append each death as one JSON line (the incident, exit status, memory samples)',
    )
    .option('--pid-file <file>', "the guard's pid file (default: NAME.guard.pid next to check.log)")
    .option('--memory-limit <size>', 'run the child in a memory cgroup of its own with this limit (512M, 2G)')
    .option('--check-interval <duration>', 'heartbeat period', '1m')
    .option('--sample-interval <duration>', 'memory sampling period', '5s')
    .option('--sample-window <duration>', 'how much memory history to keep', '1h')
    .option('--stop-timeout <duration>', 'grace period between SIGTERM and SIGKILL when stopping', '10s')
    .option('--stable-after <duration>', 'a life this long resets the crash-loop backoff', '1m')
    .option('--max-restarts <n>', 'give up after N restarts in a row of lives shorter than --stable-after')
    .option('--once', 'run the child once and exit with its status')
    .option('--daemon', 'detach and run in the background (a second guard for the same app exits quietly)')
    .addHelpText(
      'after',
      "\nExit status: 0 stopped by SIGTERM/SIGINT/SIGHUP or another guard already runs; --once: the child's status\n" +
        '(128+N for signal N); 1 gave up (--max-restarts); 2 bad usage or cannot start. See docs/guard.md.',
    )
    .action(async (command: string, args: string[], flags: Record<string, unknown>) => {
      // The guard idles for months and its code never gets hot, so V8's optimising compiler buys it nothing; left
      // on, it is paged in and costs ~5 MiB of the guard's RSS budget (60 MiB). Set before the supervisor loads.
      (await import('node:v8')).setFlagsFromString('--no-opt');
      // Loaded here: the other commands do not pay for the supervisor, nor the guard for the analysis pipeline.
      const { runGuard } = await import('../guard/run-guard.js');
      process.exitCode = await runGuard([command, ...args], flags);
    });
}
