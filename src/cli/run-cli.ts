// The oomsleuth command line: one subcommand per file; this file only wires them and maps errors to exit codes.
// Shared by the npm entry (main.ts) and the single executable's (sea-main.ts).
import { Command, CommanderError } from 'commander';
import { OomsleuthError, problemLine } from '../errors.js';
import { printableLines } from '../report/printable.js';
import { VERSION } from '../version.js';
import { endQuietlyOnClosedPipe } from './closed-pipe.js';
import { EXIT_USAGE } from './exit-codes.js';

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<Command>> = {
  analyze: async () => (await import('./analyze.js')).analyzeCommand(),
  guard: async (argv) => (await import('./guard.js')).guardCommand(argv),
  watch: async () => (await import('./watch.js')).watchCommand(),
  incidents: async () => (await import('./incidents.js')).incidentsCommand(),
  serve: async () => (await import('./serve.js')).serveCommand(),
  doctor: async () => (await import('./doctor.js')).doctorCommand(),
  drill: async () => (await import('./drill.js')).drillCommand(),
  alert: async () => (await import('./alert.js')).alertCommand(),
};

/** Runs one command line (`argv` as process.argv: the runtime and the script first); resolves with the exit status. */
export async function runCli(argv: readonly string[]): Promise<number> {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
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
  // addCommand() does not pass these on: every subcommand, nested ones too (`guard status`, `alert test`), must throw
  // instead of exiting, to map usage errors to 2.
  const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
  for (const command of program.commands.flatMap(everyCommand)) {
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
      // Every message ends with its code, as the collected usage problems do, so scripts can tell them apart.
      const coded = error.message.includes(`[${error.code}]`)
        ? error.message
        : problemLine(error.code, error.message);
      process.stderr.write(`oomsleuth: ${printableLines(coded)}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(
      `oomsleuth: internal error — please report it with the command line you ran\n${(error as Error)?.stack ?? error}\n`,
    );
    return 70;
  }
}
