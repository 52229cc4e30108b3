// `oomsleuth drill`: argument parsing, printing and the exit code; the drill itself is in src/drill/.
import { Command } from 'commander';
import { DRILL_OPTIONS } from '../drill/drill-options.js';
import { registerOptions } from '../options/register.js';
import { colorWanted } from './color.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';

export function drillCommand(): Command {
  const drill = new Command('drill').description(
    'provoke a real, contained OOM kill (a hog in a memory cgroup of its own) and show the chain: kernel record, verdict, alert',
  );
  return registerOptions(drill, DRILL_OPTIONS)
    .addHelpText(
      'after',
      '\nNeeds root and a memory cgroup controller (v1 or v2). Exit status: 0 the chain held; 1 a link failed;\n' +
        '2 bad usage, or drill cannot run here (the reason says what to do). See docs/drill.md.',
    )
    .action(async (flags: Record<string, unknown>) => {
      const [{ loadDrillConfig }, { runDrill }, { renderDrill }] = await Promise.all([
        import('../drill/drill-config.js'),
        import('../drill/drill.js'),
        import('../drill/drill-terminal.js'),
      ]);
      const config = await loadDrillConfig(flags);
      const tty = process.stderr.isTTY === true && !config.json;
      const report = await runDrill({
        webhooks: config.webhooks,
        limitBytes: config.limitBytes,
        zone: config.zone,
        language: config.language,
        onStep: (step) => {
          if (tty) process.stderr.write(`\r\x1b[2K${step}`);
        },
      });
      if (tty) process.stderr.write('\r\x1b[2K');
      if (config.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        process.stdout.write(
          renderDrill(report, {
            color: colorWanted(process.stdout),
            width: process.stdout.columns ?? (Number(process.env.COLUMNS) || 160),
          }),
        );
      }
      process.exitCode = report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
    });
}
