// `npm run bench:warning`: how early `oomsleuth guard`'s early warning comes before a real OOM kill, and how often it
// cries wolf. Each scenario is the built CLI's guard, in a memory cgroup of its own (--memory-limit), running the
// shared memory hog (test/support/memory-hog.mjs) in one of its modes; all run at the same time. Measured from the
// guard's own --incidents file: the `warning` record's time and forecast, the death's time.
//
//   leaks (each to its OOM kill, --warn-before 60s --sample-interval 1s, 128 MiB):
//     linear       a leak of 1 MiB/s after a 30 s start
//     sawtooth     a GC sawtooth (~16 MiB, ±30%, every ~1.6 s) over a leak of 1 MiB per cycle
//     step         a 100 MiB request at once (to ~90% of the limit), held 30 s, then 5 MiB/s to the kill
//     step-kill    a 160 MiB request at once: killed in the allocation (no warning can come first)
//   steady apps (no leak: every warning is a false one), for --steady minutes:
//     steady       the same sawtooth with no leak, at the bench's flags
//     steady-10m   the same, at the defaults (--warn-before 10m --sample-interval 5s)
//   and, replayed over the steady samples, a naive fit (least squares through every sample of the window, as
//   predict_linear() does) for comparison.
//
//   npm run bench:warning                      steady runs of 2 minutes (a smoke run: does not write BENCHMARKS.md)
//   npm run bench:warning -- --steady 10       the measured run: 10-minute steady runs; writes BENCHMARKS.md
//   npm run bench:warning -- --runs 3          the leak scenarios 3 times each (medians), while the steady ones run
//   npm run bench:warning -- --long            also a linear and a sawtooth leak at the defaults (~17 minutes each)
//
// Needs root (memory cgroups). Exit 2 when it cannot run here, 1 when a leak was not warned about or a steady app was.
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { assessOomRisk, RISK_STREAK, type UsageSample } from '../src/forecast/forecast.js';
import { forecastOptionsFor } from '../src/guard/early-warning.js';
import {
  assertBuilt,
  type GuardRun,
  type Json,
  makeSandbox,
  readRecords,
  type Sandbox,
} from '../test/guard/support.js';
import { memcgAvailable } from '../test/support/memcg.js';
import { HOG_SCRIPT } from '../test/support/real-oom.js';
import { REPO_ROOT } from './cache.js';
import { describeMachine } from './machine.js';

const { values } = parseArgs({
  options: {
    steady: { type: 'string', default: '2' },
    runs: { type: 'string', default: '1' },
    long: { type: 'boolean', default: false },
  },
});
const STEADY_MIN = Number(values.steady);
const RUNS = Math.max(1, Number(values.runs));
const LIMIT = '128M';
const LIMIT_KB = 128 * 1024;
const BENCH_FLAGS = ['--memory-limit', LIMIT, '--warn-before', '60s', '--sample-interval', '1s'];
const DEFAULT_FLAGS = ['--memory-limit', LIMIT, '--warn-before', '10m', '--sample-interval', '5s'];
/** A leak scenario that has not been killed by then has failed. */
const LEAK_TIMEOUT_MS = 8 * 60_000;
const LONG_TIMEOUT_MS = 30 * 60_000;

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

const SAWTOOTH = { HOG_STEP_MIB: '1', HOG_STEP_DELAY_MS: '100', HOG_SAW_MIB: '16', HOG_SAW_JITTER: '0.3' };

interface Scenario {
  readonly name: string;
  readonly what: string;
  readonly env: Record<string, string>;
  readonly flags: readonly string[];
  readonly timeoutMs?: number;
}

const horizon = (s: Scenario) => (s.flags === DEFAULT_FLAGS ? '10m / 5s' : '60s / 1s');

const LEAKS: readonly Scenario[] = [
  {
    name: 'linear',
    what: 'after a 30 s start, 1 MiB/s',
    env: {
      HOG_MODE: 'linear',
      HOG_BASE_MIB: '8',
      HOG_START_DELAY_MS: '30000',
      HOG_STEP_MIB: '1',
      HOG_STEP_DELAY_MS: '1000',
    },
    flags: BENCH_FLAGS,
  },
  {
    name: 'sawtooth',
    what: 'a GC sawtooth of ~16 MiB (±30%) every ~1.6 s over a leak of 1 MiB per cycle',
    env: { HOG_MODE: 'sawtooth', HOG_BASE_MIB: '8', HOG_LEAK_MIB: '1', ...SAWTOOTH },
    flags: BENCH_FLAGS,
  },
  {
    name: 'step',
    what: 'after 30 s, 100 MiB at once (~90% of the limit), held 30 s, then 5 MiB/s',
    env: {
      HOG_MODE: 'step',
      HOG_BASE_MIB: '8',
      HOG_START_DELAY_MS: '30000',
      HOG_SPIKE_MIB: '100',
      HOG_SPIKE_HOLD_MS: '30000',
      HOG_STEP_MIB: '1',
      HOG_STEP_DELAY_MS: '200',
    },
    flags: BENCH_FLAGS,
  },
  {
    name: 'step-kill',
    what: 'after 30 s, 160 MiB at once: past the limit in one allocation',
    env: {
      HOG_MODE: 'step',
      HOG_BASE_MIB: '8',
      HOG_START_DELAY_MS: '30000',
      HOG_SPIKE_MIB: '160',
      HOG_STEP_MIB: '1',
      HOG_STEP_DELAY_MS: '200',
    },
    flags: BENCH_FLAGS,
  },
];

// --long: leaks at the defaults (--warn-before 10m --sample-interval 5s), ~17 minutes each to the kill.
const LONG: readonly Scenario[] = [
  {
    name: 'linear (defaults)',
    what: 'after a 60 s start, 0.1 MiB/s',
    env: {
      HOG_MODE: 'linear',
      HOG_BASE_MIB: '8',
      HOG_START_DELAY_MS: '60000',
      HOG_STEP_MIB: '1',
      HOG_STEP_DELAY_MS: '10000',
    },
    flags: DEFAULT_FLAGS,
    timeoutMs: LONG_TIMEOUT_MS,
  },
  {
    name: 'sawtooth (defaults)',
    what: 'a slow GC sawtooth (~32 MiB ±30% every ~16 s) over a leak of 1 MiB per cycle',
    env: {
      HOG_MODE: 'sawtooth',
      HOG_BASE_MIB: '8',
      HOG_LEAK_MIB: '1',
      HOG_STEP_MIB: '1',
      HOG_STEP_DELAY_MS: '500',
      HOG_SAW_MIB: '32',
      HOG_SAW_JITTER: '0.3',
    },
    flags: DEFAULT_FLAGS,
    timeoutMs: LONG_TIMEOUT_MS,
  },
];

// Steady apps near their limit (no leak): a fast GC sawtooth, and a slow one whose teeth are longer than the buckets of
// the bench's short horizon (5 s) — the case the envelope is weakest at.
const SLOW_SAWTOOTH = {
  HOG_STEP_MIB: '1',
  HOG_STEP_DELAY_MS: '500',
  HOG_SAW_MIB: '32',
  HOG_SAW_JITTER: '0.3',
};
const STEADY: readonly Scenario[] = [
  {
    name: 'steady',
    what: '64 MiB held, the fast sawtooth (~1.6 s), no leak',
    env: { HOG_MODE: 'steady', HOG_BASE_MIB: '64', ...SAWTOOTH },
    flags: BENCH_FLAGS,
  },
  {
    name: 'steady-slow-gc',
    what: '48 MiB held, a slow sawtooth (~32 MiB ±30% every ~16 s), no leak',
    env: { HOG_MODE: 'steady', HOG_BASE_MIB: '48', ...SLOW_SAWTOOTH },
    flags: BENCH_FLAGS,
  },
  {
    name: 'steady (defaults)',
    what: 'as `steady`, at --warn-before 10m --sample-interval 5s',
    env: { HOG_MODE: 'steady', HOG_BASE_MIB: '64', ...SAWTOOTH },
    flags: DEFAULT_FLAGS,
  },
  {
    name: 'steady-slow-gc (defaults)',
    what: 'as `steady-slow-gc`, at --warn-before 10m --sample-interval 5s',
    env: { HOG_MODE: 'steady', HOG_BASE_MIB: '48', ...SLOW_SAWTOOTH },
    flags: DEFAULT_FLAGS,
  },
];

function start(box: Sandbox, app: string, scenario: Scenario, once: boolean): GuardRun {
  return box.guard(
    [app, '--expose-gc', HOG_SCRIPT],
    [...scenario.flags, '--sample-window', '1h', ...(once ? ['--once'] : [])],
    {
      env: { HOG_GO: 'now', MALLOC_MMAP_THRESHOLD_: '131072', ...scenario.env },
    },
  );
}

interface LeakResult {
  readonly name: string;
  readonly run: number;
  readonly killed: boolean;
  readonly cause: string | null;
  readonly lifeS: number | null;
  readonly warning: {
    reason: string;
    forecastS: number | null;
    band: [number, number] | null;
    says: string;
  } | null;
  /** Warning → death, seconds. */
  readonly leadS: number | null;
}

async function runLeak(scenario: Scenario, run: number): Promise<LeakResult> {
  const box = await makeSandbox(`bench-${scenario.name.replace(/\W+/g, '-')}`);
  try {
    const app = await box.app('anqicms');
    const guard = start(box, app, scenario, true);
    // Unref'd: a timer still pending must not keep the bench alive once every scenario is done.
    const ended = await Promise.race([
      guard.exited,
      sleep(scenario.timeoutMs ?? LEAK_TIMEOUT_MS, null, { ref: false }),
    ]);
    if (ended === null) guard.process.kill('SIGTERM');
    await guard.exited;
    const all = await readRecords(box.incidents);
    const death = all.find((r) => r.type === undefined);
    const warning = all.find((r) => r.type === 'warning');
    const killed = death?.cause === 'oom-killer';
    const leadS = warning && killed ? (Date.parse(death.diedAt) - Date.parse(warning.at)) / 1000 : null;
    const result: LeakResult = {
      name: scenario.name,
      run,
      killed,
      cause: death?.cause ?? null,
      lifeS: death?.uptimeMs == null ? null : death.uptimeMs / 1000,
      warning: warning
        ? {
            reason: warning.reason,
            forecastS: warning.timeToOomS,
            band: warning.timeToOomBandS,
            says: warning.says,
          }
        : null,
      leadS,
    };
    log(
      `${scenario.name} #${run}: ${killed ? `killed after ${result.lifeS?.toFixed(1)} s` : `not killed (${death?.cause ?? 'no death'})`}; ` +
        (warning
          ? `warned ${leadS?.toFixed(1)} s before (${warning.reason}): ${warning.says}`
          : 'no warning'),
    );
    return result;
  } finally {
    await box.cleanup();
  }
}

interface SteadyResult {
  readonly name: string;
  readonly minutes: number;
  readonly samples: number;
  readonly warnings: number;
  readonly says: string[];
  /** Distinct episodes a naive least-squares fit over every sample of the window would have warned. */
  readonly naiveWarnings: number;
  /** The same samples replayed through the forecast (the envelope fit): episodes. */
  readonly replayWarnings: number;
  readonly usedKb: { min: number; max: number };
}

/** Least squares through every sample of the window (predict_linear()); time to the ceiling, or null. */
function naiveTimeToOom(samples: readonly UsageSample[], windowMs: number): number | null {
  const last = samples.at(-1);
  if (last === undefined) return null;
  const window = samples.filter((s) => s.at > last.at - windowMs);
  if (window.length < 3) return null;
  const n = window.length;
  const mx = window.reduce((a, s) => a + s.at / 1000, 0) / n;
  const my = window.reduce((a, s) => a + s.usedKb, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const s of window) {
    sxx += (s.at / 1000 - mx) ** 2;
    sxy += (s.at / 1000 - mx) * (s.usedKb - my);
  }
  const slope = sxy / sxx;
  if (!(slope > 0)) return null;
  const now = my + slope * (last.at / 1000 - mx);
  return ((last.ceilingKb - now) / slope) * 1000;
}

/** Warning episodes of `warns` over every prefix of the samples (RISK_STREAK checks in a row start one). */
function episodes(samples: readonly UsageSample[], warns: (prefix: UsageSample[]) => boolean): number {
  let count = 0;
  let streak = 0;
  for (let end = 1; end <= samples.length; end++) {
    streak = warns(samples.slice(0, end)) ? streak + 1 : 0;
    if (streak === RISK_STREAK) count++;
  }
  return count;
}

async function runSteady(scenario: Scenario): Promise<SteadyResult> {
  const box = await makeSandbox(`bench-${scenario.name.replace(/\W+/g, '-')}`);
  try {
    const app = await box.app('anqicms');
    const guard = start(box, app, scenario, false);
    await sleep(STEADY_MIN * 60_000);
    guard.process.kill('SIGTERM');
    await guard.exited;
    const all = await readRecords(box.incidents);
    const warnings = all.filter((r) => r.type === 'warning');
    const stop = all.find((r) => r.type === undefined);
    const samples: UsageSample[] = (stop?.memory ?? [])
      .filter((m: Json) => m.cgroupUsageKb !== null)
      .map((m: Json) => ({ at: Date.parse(m.at), usedKb: m.cgroupUsageKb, ceilingKb: LIMIT_KB }));
    const warnBeforeMs = scenario.flags === DEFAULT_FLAGS ? 600_000 : 60_000;
    const intervalMs = scenario.flags === DEFAULT_FLAGS ? 5_000 : 1_000;
    const options = forecastOptionsFor(warnBeforeMs, intervalMs);
    const naiveWarnings = episodes(samples, (prefix) => {
      const tto = naiveTimeToOom(prefix, options.windowMs);
      return tto !== null && tto <= warnBeforeMs;
    });
    const replayWarnings = episodes(samples, (prefix) => {
      // The guard's own rule, on the cgroup's charge (the guard reads the working set: page cache aside, the same).
      return assessOomRisk(prefix, { ...options, warnBeforeMs }) !== null;
    });
    const used = samples.map((s) => s.usedKb);
    const result: SteadyResult = {
      name: scenario.name,
      minutes: STEADY_MIN,
      samples: samples.length,
      warnings: warnings.length,
      says: warnings.map((w) => w.says),
      naiveWarnings,
      replayWarnings,
      usedKb: { min: Math.min(...used), max: Math.max(...used) },
    };
    log(
      `${scenario.name}: ${STEADY_MIN} min, ${samples.length} samples, cgroup ${Math.round(result.usedKb.min / 1024)}–${Math.round(result.usedKb.max / 1024)} MiB; ` +
        `${warnings.length} warning(s) from the guard; replayed: envelope ${replayWarnings}, naive fit ${naiveWarnings}`,
    );
    return result;
  } finally {
    await box.cleanup();
  }
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fmt = (n: number | null, digits = 1) => (n === null ? '–' : n.toFixed(digits));

function section(
  leaks: LeakResult[],
  steady: SteadyResult[],
  machine: Awaited<ReturnType<typeof describeMachine>>,
  load: number,
): string {
  const scenarios = [...LEAKS, ...(values.long ? LONG : [])];
  const rows = scenarios.map((s) => {
    const runs = leaks.filter((r) => r.name === s.name);
    const warned = runs.filter((r) => r.leadS !== null);
    const leads = warned.map((r) => r.leadS!);
    const forecasts = warned.flatMap((r) => (r.warning?.forecastS == null ? [] : [r.warning.forecastS]));
    const reasons = [...new Set(warned.map((r) => r.warning!.reason))].join(', ') || '–';
    const range = leads.length > 1 ? ` (${fmt(Math.min(...leads))}–${fmt(Math.max(...leads))})` : '';
    const lives = runs.flatMap((r) => (r.lifeS === null ? [] : [r.lifeS]));
    return `| ${s.name} | ${s.what} | ${horizon(s)} | ${runs.filter((r) => r.killed).length}/${runs.length} | ${warned.length}/${runs.length} | ${reasons} | ${fmt(median(leads))}${range} | ${fmt(median(forecasts))} | ${fmt(median(lives))} |`;
  });
  const steadyRows = steady.map((r) => {
    const s = STEADY.find((x) => x.name === r.name)!;
    return `| ${r.name} | ${s.what} | ${horizon(s)} | ${r.minutes} min, ${r.samples} samples | ${Math.round(r.usedKb.min / 1024)}–${Math.round(r.usedKb.max / 1024)} MiB of 128 | **${r.warnings}** | ${r.replayWarnings} | ${r.naiveWarnings} |`;
  });
  const command = `npm run bench:warning -- --steady ${STEADY_MIN} --runs ${RUNS}${values.long ? ' --long' : ''}`;
  return [
    '<!-- bench:warning:start -->',
    '## Early warning: lead time and false warnings',
    '',
    `Measured ${machine.date} by \`${command}\`:`,
    `the built guard, each scenario in a ${LIMIT} memory cgroup of its own (\`--memory-limit\`) running the memory hog of`,
    'the tests in one of its modes, all scenarios at once. Lead time runs from the `warning` record to the death the',
    'guard recorded (both from its --incidents file); the forecast is the time to OOM the warning announced. Horizon:',
    '`--warn-before` / `--sample-interval`.',
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} CPUs, ${machine.memory}; Node ${machine.node}; oomsleuth ${machine.oomsleuth}.`,
    `- 1-minute load average at the start: ${load.toFixed(2)} (other work shared the CPUs).`,
    '',
    `Leaks, each to its OOM kill (${RUNS} run${RUNS > 1 ? 's' : ''} each at the short horizon, median and range; one at the defaults):`,
    '',
    '| scenario | memory | horizon | OOM-killed | warned | why | lead time, s | forecast, s | life, s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    "Steady apps (no leak: any warning is a false one). The guard's own count, and its samples replayed through the",
    "guard's rule and through a naive least-squares fit over every sample of the window (what `predict_linear()` does),",
    `both counted as warning episodes of ${RISK_STREAK} samples in a row:`,
    '',
    '| scenario | memory | horizon | run | cgroup usage | guard warnings | replayed: guard rule | replayed: naive fit |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...steadyRows,
    '<!-- bench:warning:end -->',
  ].join('\n');
}

async function writeSection(text: string): Promise<void> {
  const file = join(REPO_ROOT, 'BENCHMARKS.md');
  const current = await readFile(file, 'utf8');
  const startMark = '<!-- bench:warning:start -->';
  const endMark = '<!-- bench:warning:end -->';
  const from = current.indexOf(startMark);
  const to = current.indexOf(endMark);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${text}${current.slice(to + endMark.length)}`
      : `${current.trimEnd()}\n\n${text}\n`;
  await writeFile(file, next);
}

const available = await memcgAvailable();
if (!available.ok) {
  log(`bench:warning cannot run here: ${available.reason}`);
  process.exit(2);
}
const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(2);
await assertBuilt();
const load = Number((await readFile('/proc/loadavg', 'utf8')).split(' ')[0]);
const machine = await describeMachine();
log(
  `bench:warning: ${LEAKS.length} leak scenarios × ${RUNS}, ${STEADY.length} steady runs of ${STEADY_MIN} min, all at once`,
);

const steadyRuns = Promise.all(STEADY.map((s) => runSteady(s)));
const longRuns = values.long ? Promise.all(LONG.map((s) => runLeak(s, 1))) : Promise.resolve([]);
const leaks: LeakResult[] = [];
for (let run = 1; run <= RUNS; run++) leaks.push(...(await Promise.all(LEAKS.map((s) => runLeak(s, run)))));
const steady = await steadyRuns;
leaks.push(...(await longRuns));

const text = section(leaks, steady, machine, load);
process.stdout.write(`${text}\n`);
if (STEADY_MIN >= 10) {
  await writeSection(text);
  log('written into BENCHMARKS.md');
} else {
  log('steady runs shorter than 10 minutes: BENCHMARKS.md left as it is (--steady 10 for the measured run)');
}
const missed = leaks.filter((r) => r.name !== 'step-kill' && r.killed && r.leadS === null);
const falseWarnings = steady.reduce((n, r) => n + r.warnings, 0);
if (missed.length > 0 || falseWarnings > 0) {
  log(`${missed.length} leak(s) killed without a warning, ${falseWarnings} false warning(s)`);
  process.exit(1);
}
