// `npm run bench`: builds the CLI, makes sure the generated inputs exist (reusing the cache), then times
// `oomsleuth analyze … --json` against a grep baseline on each case, alternating the two, checks every answer
// against the planted OOM kills, prints a table and writes it into BENCHMARKS.md. Exit 1 when an answer is wrong.
//
//   npm run bench                       all cases, 3 runs each (first run generates ~9 GiB into .bench-cache/)
//   npm run bench -- --quick            1/64 sizes: a smoke run in seconds (does not touch BENCHMARKS.md)
//   npm run bench -- --cases A,F --runs 5
//   OOMSLEUTH_BENCH_DIR=/big/disk npm run bench
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkAnswer } from './answer-check.js';
import { BENCHMARKS_FILE, resultsSection, writeResults } from './benchmarks-md.js';
import { cacheRoot, REPO_ROOT } from './cache.js';
import { type BenchCase, type Mode, prepareInputs } from './inputs.js';
import { describeMachine } from './machine.js';
import { measure, type RssMethod, rssMethod, warm } from './measure.js';
import { type CaseRuns, sizeText, summarise, textTable } from './results.js';

const ALL_CASES = ['A', 'B', 'C', 'D', 'E', 'F', 'X'];
const DEFAULT_SEED = 20240723;
const EXIT_WRONG = 1;
const EXIT_SETUP = 2;

const HELP = `npm run bench -- [options]

  --runs N        timed runs per case, oomsleuth and baseline alternating (default 3)
  --cases LIST    comma-separated subset of ${ALL_CASES.join(',')} (X = examples/anqicms-vps)
  --quick         1/64 sizes over 1/64 of the year: a smoke run (cache in <cache>/quick)
  --write         write BENCHMARKS.md even for --quick or a subset of cases
  --no-write      never write BENCHMARKS.md
  --regenerate    throw the cached inputs away first
  --seed N        generator seed (default ${DEFAULT_SEED})

Cache: $OOMSLEUTH_BENCH_DIR or .bench-cache/ in the repo (${cacheRoot()}).
Exit: 0 right answers, 1 a wrong answer or a failed oomsleuth run, 2 setup error.`;

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

function fail(message: string): never {
  log(`bench: ${message}`);
  process.exit(EXIT_SETUP);
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      cases: { type: 'string', default: ALL_CASES.join(',') },
      quick: { type: 'boolean', default: false },
      write: { type: 'boolean' },
      'no-write': { type: 'boolean', default: false },
      regenerate: { type: 'boolean', default: false },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs wants a positive integer, got "${values.runs}"`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed wants an integer, got "${values.seed}"`);
  const cases = values.cases
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  const unknown = cases.filter((c) => !ALL_CASES.includes(c));
  if (unknown.length > 0) fail(`unknown case ${unknown.join(',')}; cases are ${ALL_CASES.join(',')}`);
  const ordered = ALL_CASES.filter((c) => cases.includes(c));
  const mode: Mode = values.quick ? 'quick' : 'full';
  // only a full run of every case speaks for the project; anything else writes only when asked to
  const write = values['no-write']
    ? false
    : (values.write ?? (mode === 'full' && ordered.length === ALL_CASES.length));
  return { runs, seed, cases: ordered, mode, write, regenerate: values.regenerate };
}

function build(): void {
  log('building the CLI (npm run build) …');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) fail('npm run build failed; fix the build first');
}

/** Sums grep's counts (`N` or `file:N` per line). */
function baselineCount(stdout: string): number | null {
  let total = 0;
  let any = false;
  for (const line of stdout.split('\n')) {
    const match = /(?<count>\d+)\s*$/.exec(line);
    if (match?.groups?.count) {
      total += Number(match.groups.count);
      any = true;
    }
  }
  return any ? total : null;
}

async function runCase(benchCase: BenchCase, runs: number, method: RssMethod): Promise<CaseRuns> {
  const result: CaseRuns = {
    benchCase,
    oomsleuthMs: [],
    baselineMs: [],
    peakRssKb: [],
    problems: [],
    baselineCount: null,
  };
  const cli = [process.execPath, join(REPO_ROOT, 'dist', 'cli', 'main.js'), ...benchCase.analyzeArgs];
  const baseline = ['bash', '-o', 'pipefail', '-c', benchCase.baseline];
  const seenProblems = new Set<string>();
  const timeOomsleuth = async (run: number): Promise<void> => {
    const measured = await measure(cli, method);
    result.oomsleuthMs.push(measured.wallMs);
    result.peakRssKb.push(measured.peakRssKb);
    const problems =
      measured.exitCode === 0
        ? await checkAnswer(measured.stdout, benchCase.expect)
        : [`oomsleuth exited ${measured.exitCode}: ${measured.stderr.trim().slice(0, 500)}`];
    for (const problem of problems) {
      if (!seenProblems.has(problem)) result.problems.push(`run ${run + 1}: ${problem}`);
      seenProblems.add(problem);
    }
  };
  const timeBaseline = async (): Promise<void> => {
    const measured = await measure(baseline, method);
    // grep exits 1 when it counted nothing; anything above is a broken baseline
    if (measured.exitCode > 1) fail(`baseline failed for case ${benchCase.id}: ${measured.stderr.trim()}`);
    result.baselineMs.push(measured.wallMs);
    result.baselineCount ??= baselineCount(measured.stdout);
  };
  await warm(benchCase.files);
  for (let run = 0; run < runs; run++) {
    // alternate who goes first, so neither always enjoys the other's warm-up
    if (run % 2 === 0) {
      await timeOomsleuth(run);
      await timeBaseline();
    } else {
      await timeBaseline();
      await timeOomsleuth(run);
    }
  }
  return result;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const options = parseOptions();
  build();
  const method = await rssMethod();
  if (options.regenerate) await rm(join(cacheRoot(), options.mode), { recursive: true, force: true });
  log(`inputs (${options.mode}) in ${join(cacheRoot(), options.mode)}`);
  const inputs = await prepareInputs(options.mode, options.seed, options.cases, log);
  const generation =
    inputs.generated.length === 0
      ? `reused from the cache (generating them took ${inputs.recordedGenerationSeconds.toFixed(1)} s).`
      : `generated in this run (${inputs.generated.join(', ')}) in ${inputs.generationSeconds.toFixed(1)} s.`;
  log(`inputs ${generation}`);

  const all: CaseRuns[] = [];
  for (const benchCase of inputs.cases) {
    log(`case ${benchCase.id}: ${benchCase.title}, ${sizeText(benchCase.bytes)} — ${options.runs} runs …`);
    const runs = await runCase(benchCase, options.runs, method);
    all.push(runs);
    for (const problem of runs.problems) log(`  WRONG ${problem}`);
  }
  const summaries = summarise(all);
  process.stdout.write(`\n${textTable(summaries)}\n`);
  for (const s of summaries) for (const note of s.notes) process.stdout.write(`note ${s.id}: ${note}\n`);
  const failures = all.flatMap((r) => r.problems.map((p) => `${r.benchCase.id} ${p}`));
  const totalSeconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\ninputs ${generation}\nwhole run ${totalSeconds.toFixed(0)} s (load average at start ${loadAtStart.toFixed(2)})\n`,
  );
  if (options.write) {
    const section = resultsSection(summaries, {
      machine: await describeMachine(),
      runs: options.runs,
      mode: options.mode === 'full' ? 'full sizes' : 'quick mode, 1/64 sizes',
      rssMethod: method,
      generation,
      totalSeconds,
      loadAtStart,
      failures,
    });
    await writeResults(section);
    process.stdout.write(`results written to ${BENCHMARKS_FILE}\n`);
  }
  if (failures.length > 0) {
    process.stdout.write(
      `\n${failures.length} wrong answer(s):\n${failures.map((f) => `  ${f}`).join('\n')}\n`,
    );
    process.exitCode = EXIT_WRONG;
  }
}

await main();
