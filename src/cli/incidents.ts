// `oomsleuth incidents [show ID]`: argument parsing only; the store is loaded when it runs.
import { Command } from 'commander';
import { registerOptions } from '../options/register.js';
import { INCIDENTS_OPTIONS } from '../watch/incidents-options.js';

export function incidentsCommand(): Command {
  const incidents = new Command('incidents')
    .description(
      'list what watch stored; `incidents show ID` prints one incident with its whole evidence bundle',
    )
    .argument('[action...]', 'nothing (list), or: show ID');
  return registerOptions(incidents, INCIDENTS_OPTIONS).action(
    async (args: string[], flags: Record<string, unknown>) => {
      const { loadIncidentsConfig, runIncidents } = await import('../watch/incidents-report.js');
      const config = await loadIncidentsConfig(args, flags);
      process.exitCode = await runIncidents(config, (text) => process.stdout.write(text));
    },
  );
}
