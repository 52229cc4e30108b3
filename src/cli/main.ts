#!/usr/bin/env node
// The oomsleuth command line: one subcommand per file; this file only wires them and maps errors to exit codes.
import { Command, CommanderError } from 'commander';
import { OomsleuthError } from '../errors.js';
import { VERSION } from '../version.js';
import { EXIT_USAGE } from './exit-codes.js';

const program = new Command('oomsleuth')
  .description(
    'Why did my service die? Reads guardian, app and kernel logs together and says, per death, what killed it.',
  )
  .version(VERSION)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

const COMMANDS: Record<string, () => Promise<Command>> = {
  analyze: async () => (await import('./analyze.js')).analyzeCommand(),
  guard: async () => (await import('./guard.js')).guardCommand(),
  watch: async () => (await import('./watch.js')).watchCommand(),
  incidents: async () => (await import('./incidents.js')).incidentsCommand(),
  serve: async () => (await import('./serve.js')).serveCommand(),
  doctor: async () => (await import('./doctor.js')).doctorCommand(),
  drill: async () => (await import('./drill.js')).drillCommand(),
  alert: async () => (await import('./alert.js')).alertCommand(),
};
// Each command's flag table and parsers load only when that command runs: analyze starts on a machine that may
// just have run out of memory. `oomsleuth --help`, `help CMD` and unknown words load them all.
const named = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
for (const command of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) program.addCommand(command);
// addCommand() does not pass these on: every subcommand must throw instead of exiting, to map usage errors to 2.
for (const command of program.commands) {
  command.exitOverride().configureOutput({ outputError: (text, write) => write(text) });
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with code 0.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else if (error instanceof OomsleuthError) {
    process.stderr.write(`oomsleuth: ${error.message}\n`);
    process.exitCode = EXIT_USAGE;
  } else {
    process.stderr.write(
      `oomsleuth: internal error — please report it with the command line you ran\n${(error as Error)?.stack ?? error}\n`,
    );
    process.exitCode = 70;
  }
}
