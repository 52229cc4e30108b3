// `oomsleuth guard [options] -- COMMAND [ARG …]`: argument parsing only; the supervisor is loaded when it runs.
// `oomsleuth guard status|stop|restart|logs` drive a running guard (guard-control.ts): those words count only right
// after `guard`, so `guard -- stop` still supervises a program named stop.
import { setFlagsFromString } from 'node:v8';
import { Command } from 'commander';
import { GUARD_OPTIONS } from '../guard/guard-options.js';
import { registerOptions } from '../options/register.js';
import { CONTROL_WORDS, guardControlCommands } from './guard-control.js';

export function guardCommand(argv: readonly string[] = process.argv): Command {
  const guard = new Command('guard')
    .description(
      'supervise COMMAND: restart it at once when it dies, say why it died (check.log, --incidents), sample its memory',
    )
    .usage('[options] -- COMMAND [ARG ...]')
    .argument('<command>', 'the program to run (after --), without a shell')
    .argument('[args...]', 'its arguments');
  const word = argv[argv.indexOf('guard') + 1];
  if (word !== undefined && (CONTROL_WORDS as readonly string[]).includes(word)) {
    // The guard's own flags (--name, --pid-file) belong to the control command after the word.
    guard.enablePositionalOptions();
    for (const command of guardControlCommands()) guard.addCommand(command);
  }
  return registerOptions(guard, GUARD_OPTIONS)
    .addHelpText(
      'after',
      "\nExit status: 0 stopped by SIGTERM/SIGINT/SIGHUP or another guard already runs; --once: the child's status\n" +
        '(128+N for signal N); 1 gave up (--max-restarts); 2 bad usage or cannot start. See docs/guard.md.\n\n' +
        'A running guard: oomsleuth guard status|stop|restart|logs [FOLDER] [--name NAME] (each has --help).',
    )
    .action(async (command: string, args: string[], flags: Record<string, unknown>) => {
      // The guard idles for months and its code never gets hot, so V8's optimising compiler buys it nothing; left
      // on, it is paged in and costs ~5 MiB of the guard's RSS budget (60 MiB). Set before the supervisor loads.
      // (node:v8 is imported statically: the single executable cannot import() a built-in module.)
      setFlagsFromString('--no-opt');
      // Nor does it need a young generation bigger than V8's first 1 MiB semi-space: a burst of allocation (its start,
      // a death's judgement) would otherwise double it, for 2–4 MiB of RSS held until the next full collection.
      setFlagsFromString('--semi-space-growth-factor=1');
      // Loaded here: the other commands do not pay for the supervisor, nor the guard for the analysis pipeline.
      const { runGuard } = await import('../guard/run-guard.js');
      process.exitCode = await runGuard([command, ...args], flags);
    });
}
