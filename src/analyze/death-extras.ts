// For `analyze --html`: what the picture of each death needs beyond the incident, read back from the inputs after the
// analysis — the kernel's whole OOM report around the cited kill (its task table: the scan drops those lines) and the
// memory samples `oomsleuth guard` wrote next to the death in its incidents file. Read only when --html is given.
import type { Analysis, Incident } from '../contract/analysis.js';
import { parseGuardIncidentLine } from '../forecast/guard-memory-record.js';
import type { DeathExtras, PictureLine } from '../pictures/model.js';
import { discoverInputs } from '../sources/discover.js';
import { type InputFile, isReadOnce } from '../sources/input-file.js';
import { readLines } from '../sources/read-input.js';

/** How far before a lone kill line its report is looked for (a task table of thousands of processes fits). */
const REPORT_LOOKBACK_LINES = 5_000;
/** A guard's samples belong to the death it dated within this much of the analysis's time. */
const GUARD_MATCH_SLACK_MS = 5_000;

/** `extras[n]` for `analysis.incidents[n]`. Inputs read once (stdin, commands) are not read again. */
export async function readDeathExtras(analysis: Analysis, paths: readonly string[]): Promise<DeathExtras[]> {
  const extras: DeathExtras[] = analysis.incidents.map(() => ({}));
  if (analysis.incidents.length === 0 || paths.length === 0) return extras;
  const { inputs } = await discoverInputs(paths);
  const byPath = new Map(inputs.filter((i) => !isReadOnce(i)).map((i) => [i.displayPath, i] as const));
  const kernelPaths = new Set(
    analysis.sources.filter((s) => s.kind === 'kernel' || s.kind === 'system').map((s) => s.path),
  );
  for (const [n, incident] of analysis.incidents.entries()) {
    const range = oomReportRange(incident, kernelPaths);
    const input = range ? byPath.get(range.source) : undefined;
    if (range && input) extras[n] = { oomBlock: await readRange(input, range.from, range.to) };
  }
  for (const source of analysis.sources.filter((s) => s.format === 'guard-incidents')) {
    const input = byPath.get(source.path);
    if (!input) continue;
    for await (const batch of readLines(input, 0, { problem: () => {} })) {
      for (const line of batch) attachSamples(line.text, analysis.incidents, extras);
    }
  }
  return extras;
}

/** The lines of the kernel source citing the most OOM lines of this death, from its first such line to its last. */
function oomReportRange(
  incident: Incident,
  kernelPaths: ReadonlySet<string>,
): { source: string; from: number; to: number } | null {
  if (incident.cause !== 'oom-killer') return null;
  const cited = new Map<string, number[]>();
  for (const e of incident.evidence) {
    if (e.line === null || !kernelPaths.has(e.source)) continue;
    cited.set(e.source, [...(cited.get(e.source) ?? []), e.line]);
  }
  const best = [...cited.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  if (!best) return null;
  const [source, lines] = best;
  const headed = incident.evidence.some((e) => e.source === source && e.text.includes('invoked oom-killer'));
  const to = Math.max(...lines);
  const from = headed ? Math.min(...lines) : Math.max(1, to - REPORT_LOOKBACK_LINES);
  return { source, from, to };
}

async function readRange(input: InputFile, from: number, to: number): Promise<PictureLine[]> {
  const lines: PictureLine[] = [];
  const reading = readLines(input, 0, { problem: () => {} });
  // The analysis already reported this input's problems; a second read only misses the picture's table.
  for await (const batch of reading) {
    for (const line of batch) {
      if (line.lineNo >= from && line.lineNo <= to) {
        lines.push({ source: input.displayPath, line: line.lineNo, text: line.text });
      }
    }
    if ((batch.at(-1)?.lineNo ?? 0) >= to) break;
  }
  return lines;
}

/** A guard incident line (`{…, "pid": N, "diedAt": …, "memory": [{ at, rssKb, … }]}`): its samples to its death. */
function attachSamples(text: string, incidents: readonly Incident[], extras: DeathExtras[]): void {
  const record = parseGuardIncidentLine(text);
  if (record === null) return;
  const n = incidents.findIndex((i) => {
    const at = i.diedAt ? Date.parse(i.diedAt) : Number.NaN;
    return i.pid === record.pid && Math.abs(at - record.diedMs) <= GUARD_MATCH_SLACK_MS;
  });
  if (n === -1) return;
  extras[n] = { ...extras[n], memory: record.samples };
}
