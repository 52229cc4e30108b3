// The report for people: one headline per incident, the evidence with file:line, then other OOM kills and notes
// on the sources. Short, aligned, coloured when the stream is a TTY.
import { createColors } from 'picocolors';
import type { Analysis, Cause, Incident, SourceReport } from '../contract/analysis.js';
import { formatDuration, formatKb } from './sizes.js';
import { CAUSE_WORDS, MISSING_WORDS } from './words.js';

export interface TerminalOptions {
  readonly color: boolean;
  /** Terminal width; lines are cut to it. */
  readonly width: number;
  /** Evidence lines shown per incident (the JSON has them all). */
  readonly maxEvidence?: number;
}

export function renderTerminal(analysis: Analysis, options: TerminalOptions): string {
  const c = createColors(options.color);
  const width = Math.max(60, options.width);
  const cut = (text: string): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
  const out: string[] = [];
  const n = analysis.incidents.length;
  const count = (one: string, many: string): string =>
    n === 0 ? `no ${many}` : n === 1 ? `1 ${one}` : `${n} ${many}`;
  const title = analysis.app
    ? `${analysis.app}: ${count('death', 'deaths')} found`
    : `no app in focus (no --app, no guardian log): ${count('process', 'processes')} OOM-killed`;
  out.push(
    c.bold(title) + c.dim(` in ${analysis.sources.filter((s) => s.kind !== 'unknown').length} source(s)`),
  );
  const causeColor = (cause: Cause): ((s: string) => string) =>
    cause === 'oom-killer' || cause === 'oom-daemon' || cause === 'runtime-oom'
      ? c.red
      : cause === 'crash'
        ? c.magenta
        : cause === 'stopped'
          ? c.green
          : c.yellow;

  for (const incident of analysis.incidents) {
    out.push('');
    out.push(cut(headline(incident, causeColor, c)));
    const detail = details(incident);
    if (detail) out.push(cut(`  ${c.dim(detail)}`));
    const shown = incident.evidence.slice(0, options.maxEvidence ?? 6);
    const where = shown.map((e) => `${e.source}:${e.line ?? '?'}`);
    const pad = Math.max(0, ...where.map((w) => w.length));
    shown.forEach((e, i) => {
      out.push(cut(`  ${c.cyan(where[i]!.padEnd(pad))}  ${e.says}`));
      if (!e.says.includes(e.text.trim())) out.push(cut(`  ${' '.repeat(pad)}  ${c.dim(e.text.trim())}`));
    });
    if (incident.evidence.length > shown.length) {
      out.push(c.dim(`  … ${incident.evidence.length - shown.length} more evidence line(s) in --json`));
    }
    if (incident.missing.length > 0) {
      out.push(`  ${c.yellow('missing:')} ${incident.missing.map((m) => MISSING_WORDS[m]).join('; ')}`);
    }
  }

  if (analysis.otherOomKills.length > 0) {
    out.push('', c.bold('Other OOM kills (not the app)'));
    for (const k of analysis.otherOomKills) {
      const parts = [
        shortTime(k.at),
        `${k.process}${k.pid !== null ? ` pid ${k.pid}` : ''}`,
        k.anonRssKb != null ? `anon-rss ${formatKb(k.anonRssKb)}` : '',
        k.scope ?? '',
      ].filter(Boolean);
      out.push(cut(`  ${parts.join('  ')}`));
    }
  }

  out.push('', c.bold('Sources'));
  const rows = analysis.sources.map((s) => [s.path, s.kind, s.format, `${s.lines} lines`, span(s)]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [i, s] of analysis.sources.entries()) {
    const r = rows[i]!;
    const line = `  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]!.padStart(widths[3]!)}  ${r[4]}`;
    out.push(cut(s.kind === 'unknown' ? c.dim(line) : line));
    for (const note of s.notes ?? []) out.push(cut(`    ${c.dim(note)}`));
    for (const problem of s.problems) out.push(cut(`    ${c.yellow('!')} ${problem}`));
  }
  return `${out.join('\n')}\n`;
}

function headline(
  i: Incident,
  color: (cause: Cause) => (s: string) => string,
  c: ReturnType<typeof createColors>,
): string {
  // Without a record dating the death, diedAt is only when it was found dead: show the whole window instead.
  const when = isEstimate(i)
    ? shortRange(i.diedWithin![0], i.diedWithin![1])
    : i.diedAt
      ? shortTime(i.diedAt)
      : 'time unknown';
  const parts = [
    c.bold(when),
    `${i.process}${i.pid !== null ? ` (pid ${i.pid})` : ''}`,
    color(i.cause)(CAUSE_WORDS[i.cause]),
    c.dim(`[${i.confidence}]`),
  ];
  return parts.join('  ');
}

function details(i: Incident): string {
  const parts: string[] = [];
  if (i.oom?.anonRssKb != null) parts.push(`anon-rss ${formatKb(i.oom.anonRssKb)}`);
  if (i.oom?.totalVmKb != null) parts.push(`total-vm ${formatKb(i.oom.totalVmKb)}`);
  if (i.oom?.scope)
    parts.push(i.oom.scope === 'memcg' ? `memcg ${i.oom.cgroup ?? ''}`.trim() : `${i.oom.scope} OOM`);
  if (i.oom?.invokedBy && i.oom.invokedBy !== i.process) parts.push(`triggered by ${i.oom.invokedBy}`);
  if (i.diedWithin && !isEstimate(i))
    parts.push(`died between ${shortRange(i.diedWithin[0], i.diedWithin[1])}`);
  const died = i.diedAt ? Date.parse(i.diedAt) : null;
  const back = i.restartedAt ? Date.parse(i.restartedAt) : null;
  const lastAlive = i.diedWithin?.[0] ? Date.parse(i.diedWithin[0]) : null;
  if (back !== null && died !== null && !isEstimate(i)) parts.push(`down ${formatDuration(back - died)}`);
  // No record dates the death itself: the outage lasted at most from the last sign of life to the restart.
  else if (back !== null && lastAlive !== null)
    parts.push(`down ≤ ${formatDuration(Math.max(0, back - lastAlive))}`);
  else if (i.restartedAt === null) parts.push('no restart seen');
  return parts.join(' · ');
}

function span(s: SourceReport): string {
  if (!s.first && !s.last) return '';
  return shortRange(s.first, s.last);
}

/** `2024-07-23T10:03:47+08:00` → `2024-07-23 10:03:47 +08:00`. */
function shortTime(iso: string | null): string {
  if (!iso) return '?';
  const m =
    /^(?<date>\d{4}-\d{2}-\d{2})T(?<time>\d{2}:\d{2}:\d{2})(?:\.\d+)?(?<zone>Z|[+-]\d{2}:\d{2})$/.exec(iso);
  return m?.groups
    ? `${m.groups.date} ${m.groups.time} ${m.groups.zone === 'Z' ? 'UTC' : m.groups.zone}`
    : iso;
}

/** True when no record dates the death: diedAt is then the end of the window (when it was found dead). */
function isEstimate(i: Incident): boolean {
  return i.diedWithin !== null && (i.diedAt === null || i.diedAt === i.diedWithin[1]);
}

/** `2024-07-23 10:03:01–10:04:01 +08:00` when both ends share a day and zone, else both in full. */
function shortRange(from: string | null, to: string | null): string {
  const a = shortTime(from).split(' ');
  const b = shortTime(to).split(' ');
  if (a.length === 3 && b.length === 3 && a[0] === b[0] && a[2] === b[2])
    return `${a[0]} ${a[1]}–${b[1]} ${a[2]}`;
  return `${shortTime(from)} – ${shortTime(to)}`;
}
