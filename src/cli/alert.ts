// `oomsleuth alert test`: argument parsing, printing and the exit code; the sending is in src/drill/alert-test.ts.
import { Command } from 'commander';
import { ALERT_TEST_OPTIONS } from '../drill/alert-test.js';
import { registerOptions } from '../options/register.js';
import { colorWanted } from './color.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';

export function alertCommand(): Command {
  const test = registerOptions(
    new Command('test').description(
      "send a sample incident to each webhook (watch's --webhook flags or OOMSLEUTH_WEBHOOK); say status and latency",
    ),
    ALERT_TEST_OPTIONS,
  )
    .addHelpText(
      'after',
      '\nExit status: 0 every webhook took it; 1 one did not; 2 bad usage. See docs/drill.md.',
    )
    .action(async (flags: Record<string, unknown>) => {
      const { loadAlertTestConfig, runAlertTest, renderAlertTest } = await import('../drill/alert-test.js');
      const config = await loadAlertTestConfig(flags);
      const report = await runAlertTest(config);
      if (config.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        process.stdout.write(
          renderAlertTest(report, {
            color: colorWanted(process.stdout),
            width: process.stdout.columns ?? (Number(process.env.COLUMNS) || 160),
          }),
        );
      }
      process.exitCode = report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
    });
  return new Command('alert')
    .description('check the alert path: `alert test` sends a sample incident')
    .addCommand(test);
}
