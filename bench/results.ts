// What one case's runs add up to — medians, ratio, throughput, peak memory — and whether it meets the issue's
// target. Shared by the terminal table and BENCHMARKS.md.
import type { BenchCase } from './inputs.js';
import { median } from './measure.js';

export interface CaseRuns {
  readonly benchCase: BenchCase;
  readonly oomsleuthMs: number[];
  readonly baselineMs: number[];
  readonly peakRssKb: Array<number | null>;
  /** Differences between oomsleuth's answer and the planted kills, or a failed run; empty when right. */
  readonly problems: string[];
  /** What the baseline counted (first run). */
  baselineCount: number | null;
}

export interface CaseSummary {
  readonly id: string;
  readonly title: string;
  readonly bytes: number;
  readonly onDiskBytes: number;
  readonly compressed: boolean;
  readonly oomsleuthS: number;
  readonly baselineS: number;
  readonly ratio: number;
  readonly mbPerS: number;
  readonly peakRssMiB: number | null;
  readonly correct: boolean;
  readonly target: string;
  readonly targetMet: boolean;
  readonly notes: string[];
}

const RSS_LIMIT_MIB = 128;

export function summarise(all: readonly CaseRuns[]): CaseSummary[] {
  const summaries = all.map((runs) => summariseOne(runs));
  const a = summaries.find((s) => s.id === 'A');
  // F's memory target is relative to A's: memory must not grow with the input
  return summaries.map((s) => {
    if (s.id !== 'F' || a === undefined || a.peakRssMiB === null || s.peakRssMiB === null) return s;
    const growth = s.peakRssMiB / a.peakRssMiB - 1;
    const within = growth <= 0.1;
    return {
      ...s,
      target: `${s.target}; RSS within 10% of A (${signedPercent(growth)})`,
      targetMet: s.targetMet && within,
    };
  });
}

function summariseOne(runs: CaseRuns): CaseSummary {
  const c = runs.benchCase;
  const oomsleuthS = median(runs.oomsleuthMs) / 1000;
  const baselineS = median(runs.baselineMs) / 1000;
  const rss = runs.peakRssKb.filter((kb): kb is number => kb !== null);
  const peakRssMiB = rss.length === 0 ? null : Math.max(...rss) / 1024;
  const ratio = oomsleuthS / baselineS;
  const rssOk = peakRssMiB !== null && peakRssMiB <= RSS_LIMIT_MIB;
  const rssText = `≤${RSS_LIMIT_MIB} MiB`;
  let target: string;
  let met: boolean;
  switch (c.id) {
    case 'A':
      target = `≤1.0× grep, ${rssText}`;
      met = ratio <= 1.0 && rssOk;
      break;
    case 'B':
    case 'C':
      target = `≤1.1× zcat|grep, ${rssText}`;
      met = ratio <= 1.1 && rssOk;
      break;
    case 'D':
      target = `≤1.5× grep, ${rssText}`;
      met = ratio <= 1.5 && rssOk;
      break;
    case 'E':
      target = `≤1.5× the greps, ${rssText}`;
      met = ratio <= 1.5 && rssOk;
      break;
    case 'F':
      target = rssText;
      met = rssOk;
      break;
    default:
      target = '≤300 ms';
      met = oomsleuthS <= 0.3;
  }
  const notes: string[] = [];
  if (c.baselineMatches !== null && runs.baselineCount !== null && runs.baselineCount !== c.baselineMatches) {
    notes.push(
      `baseline counted ${runs.baselineCount} lines, the generator wrote ${c.baselineMatches} matching lines`,
    );
  }
  return {
    id: c.id,
    title: c.title,
    bytes: c.bytes,
    onDiskBytes: c.onDiskBytes,
    compressed: c.onDiskBytes !== c.bytes,
    oomsleuthS,
    baselineS,
    ratio,
    mbPerS: c.bytes / 1e6 / oomsleuthS,
    peakRssMiB,
    correct: runs.problems.length === 0,
    target,
    targetMet: met,
    notes,
  };
}

function signedPercent(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;
}

export function sizeText(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

/** The columns both outputs show, as text. */
export function row(s: CaseSummary): string[] {
  const input = s.compressed
    ? `${sizeText(s.bytes)} (${sizeText(s.onDiskBytes)} on disk)`
    : sizeText(s.bytes);
  return [
    `${s.id}`,
    s.title,
    input,
    `${s.oomsleuthS.toFixed(s.oomsleuthS < 10 ? 3 : 1)} s`,
    `${s.baselineS.toFixed(s.baselineS < 10 ? 3 : 1)} s`,
    `${s.ratio.toFixed(2)}×`,
    s.mbPerS.toFixed(0),
    s.peakRssMiB === null ? '?' : `${s.peakRssMiB.toFixed(0)} MiB`,
    s.correct ? 'right' : 'WRONG',
    `${s.targetMet ? 'met' : 'missed'} (${s.target})`,
  ];
}

export const HEADERS = [
  'case',
  'input',
  'size',
  'oomsleuth (median)',
  'baseline (median)',
  'ratio',
  'MB/s',
  'peak RSS',
  'answer',
  'target',
];

/** A plain-text table for the terminal. */
export function textTable(summaries: readonly CaseSummary[]): string {
  const rows = [HEADERS, ...summaries.map(row)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function markdownTable(summaries: readonly CaseSummary[]): string {
  // a `|` inside a cell (zcat|grep) would end the cell
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(HEADERS), line(HEADERS.map(() => '---')), ...summaries.map((s) => line(row(s)))].join('\n');
}
