// The oomsleuth command line: one subcommand per file; this file only wires them and maps errors to exit codes.
// Shared by the npm entry (main.ts) and the single executable's (sea-main.ts).
import { Command, CommanderError } from 'commander';
import { OomsleuthError } from '../errors.js';
import { VERSION } from '../version.js';
import { EXIT_USAGE } from './exit-codes.js';

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<Command>> = {
  analyze: async () => (await import('./analyze.js')).analyzeCommand(),
  guard: async (argv) => (await import('./guard.js')).guardCommand(argv),
  watch: async () => (await import('./watch.js')).watchCommand(),
  incidents: async () => (await import('./incidents.js')).incidentsCommand(),
};

/** Runs one command line (`argv` as process.argv: the runtime and the script first); resolves with the exit status. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = new Command('oomsleuth')
    .description(
      'Why did my service die? Reads guardian, app and kernel logs together and says, per death, what killed it.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  // Each command's flag table and parsers load only when that command runs: analyze starts on a machine that may
  // just have run out of memory. `oomsleuth --help`, `help CMD` and unknown words load them all.
  const named = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const command of await Promise.all(wanted.map((name) => COMMANDS[name]!(argv))))
    program.addCommand(command);
  // addCommand() does not pass these on: every subcommand must throw instead of exiting, to map usage errors to 2.
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ outputError: (text, write) => write(text) });
  }

  try {
    await program.parseAsync([...argv]);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof OomsleuthError) {
      process.stderr.write(`oomsleuth: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(
      `oomsleuth: internal error — please report it with the command line you ran\n${(error as Error)?.stack ?? error}\n`,
    );
    return 70;
  }
}
