// Writes the results section of BENCHMARKS.md: everything between the two markers is replaced, the hand-written
// introduction above them is kept.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './cache.js';
import type { Machine } from './machine.js';
import { type CaseSummary, markdownTable } from './results.js';

export const BENCHMARKS_FILE = join(REPO_ROOT, 'BENCHMARKS.md');
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

export interface RunFacts {
  readonly machine: Machine;
  readonly runs: number;
  readonly mode: string;
  readonly rssMethod: string;
  readonly generation: string;
  readonly totalSeconds: number;
  /** 1-minute load average when the run started: other work on the machine skews every number. */
  readonly loadAtStart: number;
  readonly failures: string[];
}

export function resultsSection(summaries: readonly CaseSummary[], facts: RunFacts): string {
  const m = facts.machine;
  const notes = summaries.flatMap((s) => s.notes.map((n) => `- ${s.id}: ${n}`));
  return [
    START,
    '## Latest results',
    '',
    `Measured ${m.date} by \`npm run bench\` (${facts.mode}, ${facts.runs} runs per case, medians).`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} CPUs, ${m.memory}; Node ${m.node}.`,
    `- oomsleuth ${m.oomsleuth}.`,
    `- Peak RSS: ${facts.rssMethod === 'gnu-time' ? '`/usr/bin/time -f %M` (the kernel’s ru_maxrss of the child)' : 'VmHWM polled from /proc/PID/status every 20 ms (GNU time missing)'}; the largest of the runs.`,
    `- Inputs: ${facts.generation}`,
    `- Whole run: ${facts.totalSeconds.toFixed(0)} s; 1-minute load average at its start ${facts.loadAtStart.toFixed(2)} (anything above 0 competed for the CPUs).`,
    '',
    markdownTable(summaries),
    '',
    'MB/s is uncompressed input (10^6 bytes) per second of oomsleuth’s median wall time.',
    ...(notes.length > 0 ? ['', ...notes] : []),
    ...(facts.failures.length > 0
      ? ['', '**Wrong answers:**', '', ...facts.failures.map((f) => `- ${f}`)]
      : ['', 'Every run found exactly the planted OOM kills.']),
    END,
  ].join('\n');
}

export async function writeResults(section: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(BENCHMARKS_FILE, 'utf8');
  } catch {
    text = '# Benchmarks\n\n';
  }
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${section}${text.slice(end + END.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(BENCHMARKS_FILE, next);
}
