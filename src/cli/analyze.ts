// `oomsleuth analyze [PATH…]`: argument parsing, progress on stderr, printing, exit codes. No analysis here.
import { Command } from 'commander';
import type { Progress } from '../analyze/analyze.js';
import { ANALYZE_OPTIONS } from '../analyze/analyze-options.js';
import type { Analysis } from '../contract/analysis.js';
import { OomsleuthError, problemLine } from '../errors.js';
import { registerOptions } from '../options/register.js';
import { colorWanted } from './color.js';
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
        { TERMINAL_WORDS },
        { discoverLiveInputs, readBootTime },
      ] = await Promise.all([
        import('../analyze/analyze.js'),
        import('../analyze/analyze-config.js'),
        import('../report/terminal.js'),
        import('../report/terminal-words.js'),
        import('../sources/live.js'),
      ]);
      const config = await loadAnalyzeConfig(paths, flags);
      const progress = progressLine(TERMINAL_WORDS[config.language].reading);
      const machineInputs = config.machine
        ? await discoverLiveInputs(config.app ? { identifiers: [config.app] } : {})
        : undefined;
      // What is printed speaks one language: the JSON's (English unless --lang), or the terminal's (--lang or locale).
      const language = config.json ? config.jsonLanguage : config.language;
      const analysis = await analyze({
        ...config,
        language,
        ...(machineInputs ? { machineInputs } : {}),
        // Read whatever the inputs: /dev/kmsg given as a PATH is this boot's ring buffer too.
        machineBootTimeMs: await readBootTime(),
        onProgress: progress.update,
        onProblem: (problem) => {
          progress.clear();
          process.stderr.write(`oomsleuth: ${problemLine(problem.code, problem.message)}\n`);
        },
      });
      progress.clear();
      if (config.json) process.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
      else {
        process.stdout.write(
          renderTerminal(analysis, {
            color: colorWanted(process.stdout),
            width: process.stdout.columns ?? (Number(process.env.COLUMNS) || 160),
            language,
          }),
        );
      }
      if (config.html !== null) await writeHtmlReport(analysis, config.paths, config.html);
      const oomCauses = new Set(['oom-killer', 'oom-daemon']);
      const failed =
        (config.failOn === 'oom' || config.failOn === 'any-oom') &&
        analysis.incidents.some((i) => oomCauses.has(i.cause));
      const failedOther = config.failOn === 'any-oom' && analysis.otherOomKills.length > 0;
      process.exitCode = failed || failedOther ? EXIT_FAIL_ON : EXIT_OK;
    },
  );
}

/** The HTML report, rendered only when asked for: its renderer and the chart library load only then. */
async function writeHtmlReport(analysis: Analysis, paths: readonly string[], file: string): Promise<void> {
  const [{ readDeathExtras }, { renderReportHtml }, { loadChartAssets }, { writeFile }] = await Promise.all([
    import('../analyze/death-extras.js'),
    import('../pictures/report-html.js'),
    import('../pictures/chart-assets.js'),
    import('node:fs/promises'),
  ]);
  const html = renderReportHtml(analysis, await readDeathExtras(analysis, paths), await loadChartAssets());
  try {
    await writeFile(file, html);
  } catch (error) {
    throw new OomsleuthError(
      'OOMS_E_REPORT_UNWRITABLE',
      `cannot write the HTML report to ${file}: ${(error as Error).message} — name a file in a folder you can write (--html /tmp/report.html)`,
      { cause: error },
    );
  }
}

/** A single, throttled progress line on stderr, only when stderr is a terminal. */
function progressLine(reading: (path: string, input: number, inputs: number, lines: string) => string): {
  update: (p: Progress) => void;
  clear: () => void;
} {
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
      const lines = p.linesRead.toLocaleString('en');
      process.stderr.write(`\r\x1b[2K${reading(p.path, p.inputIndex + 1, p.inputCount, lines)}`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
