#!/usr/bin/env node
// The oomsleuth command line: one subcommand per file; this file only wires them and maps errors to exit codes.
import { Command, CommanderError } from 'commander';
import { OomsleuthError } from '../errors.js';
import { VERSION } from '../version.js';
import { analyzeCommand } from './analyze.js';
import { EXIT_USAGE } from './exit-codes.js';

const program = new Command('oomsleuth')
  .description(
    'Why did my service die? Reads guardian, app and kernel logs together and says, per death, what killed it.',
  )
  .version(VERSION)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

program.addCommand(analyzeCommand());
program.addCommand((await import('./guard.js')).guardCommand());
program.addCommand((await import('./watch.js')).watchCommand());
program.addCommand((await import('./incidents.js')).incidentsCommand());
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
