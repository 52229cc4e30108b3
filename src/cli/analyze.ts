// `oomsleuth analyze [PATH…]`: argument parsing, progress on stderr, printing, exit codes. No analysis here.
import { Command } from 'commander';
import type { Progress } from '../analyze/analyze.js';
import { ANALYZE_OPTIONS } from '../analyze/analyze-options.js';
import { problemLine } from '../errors.js';
import { registerOptions } from '../options/register.js';
import { EXIT_FAIL_ON, EXIT_OK } from './exit-codes.js';

export function analyzeCommand(): Command {
  const command = new Command('analyze')
    .description('forensic report: why did the service die, per death, with the evidence')
    .argument(
      '[paths...]',
      "log files or folders (- for stdin), /dev/kmsg; none: this machine's journal, dmesg and /var/log (see --machine)",
    );
  return registerOptions(command, ANALYZE_OPTIONS).action(
    async (paths: string[], flags: Record<string, unknown>) => {
      // Loaded here, not at the top: `oomsleuth --help` and the other commands do not pay for the pipeline.
      const [
        { analyze },
        { loadAnalyzeConfig },
        { renderTerminal },
        { discoverLiveInputs, readBootTime },
        { printable, printableDeep },
      ] = await Promise.all([
        import('../analyze/analyze.js'),
        import('../analyze/analyze-config.js'),
        import('../report/terminal.js'),
        import('../sources/live.js'),
        import('../report/printable.js'),
      ]);
      const config = await loadAnalyzeConfig(paths, flags);
      const progress = progressLine();
      const machineInputs = config.machine
        ? await discoverLiveInputs(config.app ? { identifiers: [config.app] } : {})
        : undefined;
      const analysis = await analyze({
        ...config,
        ...(machineInputs ? { machineInputs } : {}),
        // Read whatever the inputs: /dev/kmsg given as a PATH is this boot's ring buffer too.
        machineBootTimeMs: await readBootTime(),
        onProgress: progress.update,
        onProblem: (problem) => {
          progress.clear();
          process.stderr.write(`oomsleuth: ${printable(problemLine(problem.code, problem.message))}\n`);
        },
      });
      progress.clear();
      if (config.json) process.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
      else {
        process.stdout.write(
          // Log text (names, lines, paths) reaches the terminal as text, never as escape sequences.
          renderTerminal(printableDeep(analysis), {
            color: colorWanted(process.stdout),
            width: process.stdout.columns ?? (Number(process.env.COLUMNS) || 160),
          }),
        );
      }
      const oomCauses = new Set(['oom-killer', 'oom-daemon']);
      const failed =
        (config.failOn === 'oom' || config.failOn === 'any-oom') &&
        analysis.incidents.some((i) => oomCauses.has(i.cause));
      const failedOther = config.failOn === 'any-oom' && analysis.otherOomKills.length > 0;
      process.exitCode = failed || failedOther ? EXIT_FAIL_ON : EXIT_OK;
    },
  );
}

function colorWanted(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** A single, throttled progress line on stderr, only when stderr is a terminal. */
function progressLine(): { update: (p: Progress) => void; clear: () => void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  let lastAt = 0;
  return {
    update(p) {
      if (!tty) return;
      const now = Date.now();
      if (now - lastAt < 200) return;
      lastAt = now;
      shown = true;
      process.stderr.write(
        `\r\x1b[2Kreading ${p.path} (${p.inputIndex + 1}/${p.inputCount}) ${p.linesRead.toLocaleString('en')} lines`,
      );
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
