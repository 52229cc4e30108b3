// `oomsleuth incidents [show ID]`: argument parsing only; the store is loaded when it runs.
import { Command } from 'commander';

export function incidentsCommand(): Command {
  return new Command('incidents')
    .description(
      'list what watch stored; `incidents show ID` prints one incident with its whole evidence bundle',
    )
    .argument('[action...]', 'nothing (list), or: show ID')
    .option(
      '--db <file>',
      'SQLite store (default $XDG_STATE_HOME/oomsleuth/oomsleuth.db, as root /var/lib/oomsleuth/oomsleuth.db)',
    )
    .option('--since <iso>', 'only deaths at or after this time')
    .option(
      '--cause <cause>',
      'only this cause: oom-killer, oom-daemon, runtime-oom, crash, stopped, unexplained',
    )
    .option('--json', 'print JSON (list: schema oomsleuth.incidents/1; show: the incident with its bundle)')
    .option('--tz <zone>', "IANA zone for the times shown (default: this machine's zone)")
    .action(async (args: string[], flags: Record<string, unknown>) => {
      const { loadIncidentsConfig, runIncidents } = await import('../watch/incidents-report.js');
      const config = loadIncidentsConfig(args, flags);
      process.exitCode = await runIncidents(config, (text) => process.stdout.write(text));
    });
}
