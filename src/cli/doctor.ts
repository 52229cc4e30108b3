// `oomsleuth doctor [FOLDER]`: argument parsing, printing and the exit code; the checks are in src/doctor/.
import { Command } from 'commander';
import { DOCTOR_OPTIONS } from '../doctor/doctor-options.js';
import { registerOptions } from '../options/register.js';
import { colorWanted } from './color.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';

export function doctorCommand(): Command {
  const doctor = new Command('doctor')
    .description(
      'will the evidence of the next death survive and be found? checks logs, kernel settings, guardian',
    )
    .argument(
      '[folder]',
      "the app's folder (check.log, start.sh): also checks its guardian and memory headroom",
    );
  return registerOptions(doctor, DOCTOR_OPTIONS)
    .addHelpText(
      'after',
      '\nExit status: 0 no check failed (warnings allowed); 1 a check failed; 2 bad usage. See docs/doctor.md.',
    )
    .action(async (folder: string | undefined, flags: Record<string, unknown>) => {
      const [{ loadDoctorConfig }, { runDoctor }, { renderDoctor }] = await Promise.all([
        import('../doctor/doctor-config.js'),
        import('../doctor/doctor.js'),
        import('../doctor/doctor-terminal.js'),
      ]);
      const config = await loadDoctorConfig(folder, flags);
      const report = await runDoctor({ root: config.root, folder: config.folder });
      if (config.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        process.stdout.write(
          renderDoctor(report, {
            color: colorWanted(process.stdout),
            width: process.stdout.columns ?? (Number(process.env.COLUMNS) || 160),
          }),
        );
      }
      process.exitCode = report.summary.fail > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
    });
}
