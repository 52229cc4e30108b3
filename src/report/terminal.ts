// The report for people: one headline per incident, the evidence with file:line, then other OOM kills and notes
// on the sources. Short, aligned, coloured when the stream is a TTY, in the language asked for (words from
// words.ts and terminal-words.ts).
import { createColors } from 'picocolors';
import type { Analysis, Cause, Incident, SourceReport } from '../contract/analysis.js';
import { diagnosisBlock } from './diagnosis-words.js';
import { cutToWidth, displayWidth, padStartToWidth, padToWidth } from './display-width.js';
import type { Language } from './language.js';
import { formatDuration, formatKb } from './sizes.js';
import { TERMINAL_WORDS, type TerminalWords } from './terminal-words.js';
import { deathCountWords, WORDS, type Words } from './words.js';

export interface TerminalOptions {
  readonly color: boolean;
  /** Terminal width in columns; lines are cut to it, except a death's headline. */
  readonly width: number;
  /** Evidence lines shown per incident (the JSON has them all). */
  readonly maxEvidence?: number;
  /** The language of the labels and the verdicts; the evidence's `says` come in the analysis's own. */
  readonly language: Language;
}

export function renderTerminal(analysis: Analysis, options: TerminalOptions): string {
  const c = createColors(options.color);
  const words = WORDS[options.language];
  const w = TERMINAL_WORDS[options.language];
  const width = Math.max(60, options.width);
  // Widths count what the terminal shows: colour codes none, Chinese characters two columns.
  const cut = (text: string): string => cutToWidth(text, width);
  const out: string[] = [];
  const n = analysis.incidents.length;
  const read = analysis.sources.filter((s) => s.kind !== 'unknown').length;
  // The story in one line before the details: `anqicms: 3 deaths: 1 OOM kill, 1 crash, 1 stop`.
  const title = analysis.app
    ? w.appTitle(
        analysis.app,
        deathCountWords(
          analysis.incidents.map((i) => i.cause),
          options.language,
        ),
      )
    : w.noFocusTitle(n);
  out.push(cut(c.bold(title) + c.dim(` · ${w.sourcesRead(read)}`)));
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
    // The headline is never cut: what killed it and how sure we are is the answer. Too wide, it takes two lines.
    out.push(...headline(incident, causeColor, c, width, words, w));
    const detail = details(incident, w);
    if (detail) out.push(cut(`  ${c.dim(detail)}`));
    const shown = incident.evidence.slice(0, options.maxEvidence ?? 6);
    const where = shown.map((e) => `${e.source}:${e.line ?? '?'}`);
    const pad = Math.max(0, ...where.map(displayWidth));
    shown.forEach((e, i) => {
      out.push(cut(`  ${c.cyan(padToWidth(where[i]!, pad))}  ${e.says}`));
      if (!e.says.includes(e.text.trim())) out.push(cut(`  ${' '.repeat(pad)}  ${c.dim(e.text.trim())}`));
    });
    if (incident.evidence.length > shown.length) {
      out.push(c.dim(`  ${w.moreEvidence(incident.evidence.length - shown.length)}`));
    }
    if (incident.missing.length > 0) {
      const missing = incident.missing.map((m) => words.missing[m]).join(w.listSeparator);
      out.push(cut(`  ${c.yellow(w.missing)}${w.afterLabel}${missing}`));
    }
    if (incident.diagnosis) {
      // Prose is wrapped, not cut: the reason and the advice are the answer to "what do I do now".
      const block = diagnosisBlock(incident.diagnosis, options.language);
      out.push(
        ...wrapToWidth(block.why, width, '  ', '  ').map((l, i) =>
          i === 0 ? l.replace(/\S+/, (w) => c.bold(w)) : l,
        ),
      );
      if (block.advice.length > 0) out.push(`  ${c.bold(block.heading)}`);
      for (const advice of block.advice) out.push(...wrapToWidth(advice, width, '  - ', '    '));
    }
  }

  if (analysis.otherOomKills.length > 0) {
    out.push('', c.bold(w.otherKillsHeading));
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

  out.push('', c.bold(w.sourcesHeading));
  // A service's folder holds its binary, config and templates: their "no known format" is one line, not one each.
  const skipped = analysis.sources.filter(isSkippedUnknown);
  const listed = skipped.length > 1 ? analysis.sources.filter((s) => !isSkippedUnknown(s)) : analysis.sources;
  // A command line as a source (`journalctl -o json … SYSLOG_IDENTIFIER=earlyoom`) must not push the table off screen.
  const pathWidth = Math.min(
    Math.max(0, ...listed.map((s) => displayWidth(s.path))),
    Math.floor(width * MAX_PATH_SHARE),
  );
  const rows = listed.map((s) => [
    cutToWidth(s.path, pathWidth),
    s.kind,
    s.format,
    w.lines(s.lines),
    span(s),
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => displayWidth(r[i]!))));
  for (const [i, s] of listed.entries()) {
    const r = rows[i]!;
    const line = `  ${padToWidth(r[0]!, widths[0]!)}  ${padToWidth(r[1]!, widths[1]!)}  ${padToWidth(r[2]!, widths[2]!)}  ${padStartToWidth(r[3]!, widths[3]!)}  ${r[4]}`;
    out.push(cut(s.kind === 'unknown' ? c.dim(line) : line).trimEnd());
    for (const note of s.notes ?? []) out.push(cut(`    ${c.dim(note)}`));
    for (const problem of s.problems) out.push(cut(`    ${c.yellow('!')} ${problem}`));
  }
  if (skipped.length > 1) {
    const names = skipped.map((s) => s.path).join(', ');
    out.push(cut(c.dim(`  ${w.skippedUnknown(skipped.length, names)}`)));
  }
  return `${out.join('\n')}\n`;
}

/**
 * Lines of `text` no wider than `width` columns, the first led by `first`, the rest by `rest`: broken at a space, or
 * between any two characters of a run with none (Chinese has no spaces between words).
 */
function wrapToWidth(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let lead = first;
  let line = '';
  let lineWidth = 0;
  let lastSpace = -1;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (displayWidth(lead) + lineWidth + w > width && line.length > 0) {
      const cutAt = lastSpace > 0 ? lastSpace : line.length;
      lines.push(lead + line.slice(0, cutAt).trimEnd());
      line = line.slice(cutAt).trimStart();
      lineWidth = displayWidth(line);
      lead = rest;
      lastSpace = -1;
      if (ch === ' ' && line.length === 0) continue;
    }
    if (ch === ' ') lastSpace = line.length;
    line += ch;
    lineWidth += w;
  }
  if (line.length > 0) lines.push(lead + line);
  return lines;
}

/** The share of the width the Sources table gives its path column at most. */
const MAX_PATH_SHARE = 0.45;

/** A file that was read and found to be no log at all (nothing else wrong with it). */
function isSkippedUnknown(s: SourceReport): boolean {
  return (
    s.kind === 'unknown' &&
    s.lines === 0 &&
    s.problems.length > 0 &&
    s.problems.every((p) => p.endsWith('[OOMS_E_SOURCE_UNKNOWN_FORMAT]'))
  );
}

function headline(
  i: Incident,
  color: (cause: Cause) => (s: string) => string,
  c: ReturnType<typeof createColors>,
  width: number,
  words: Words,
  w: TerminalWords,
): string[] {
  // Without a record dating the death, diedAt is only when it was found dead: show the whole window instead.
  const when = isEstimate(i)
    ? shortRange(i.diedWithin![0], i.diedWithin![1])
    : i.diedAt
      ? shortTime(i.diedAt)
      : w.timeUnknown;
  const who = [c.bold(when), `${i.process}${i.pid !== null ? ` (pid ${i.pid})` : ''}`].join('  ');
  const verdict = [color(i.cause)(words.cause[i.cause]), c.dim(`[${w.confidence[i.confidence]}]`)].join('  ');
  const line = `${who}  ${verdict}`;
  // A long process name or a narrow terminal: the cause and confidence go whole on a line of their own.
  return displayWidth(line) <= width ? [line] : [cutToWidth(who, width), `  ${verdict}`];
}

function details(i: Incident, w: TerminalWords): string {
  const parts: string[] = [];
  if (i.oom?.anonRssKb != null) parts.push(`anon-rss ${formatKb(i.oom.anonRssKb)}`);
  if (i.oom?.totalVmKb != null) parts.push(`total-vm ${formatKb(i.oom.totalVmKb)}`);
  if (i.oom?.scope)
    parts.push(i.oom.scope === 'memcg' ? `memcg ${i.oom.cgroup ?? ''}`.trim() : `${i.oom.scope} OOM`);
  if (i.oom?.invokedBy && i.oom.invokedBy !== i.process) parts.push(w.triggeredBy(i.oom.invokedBy));
  if (i.diedWithin && !isEstimate(i)) parts.push(w.diedBetween(shortRange(i.diedWithin[0], i.diedWithin[1])));
  const died = i.diedAt ? Date.parse(i.diedAt) : null;
  const back = i.restartedAt ? Date.parse(i.restartedAt) : null;
  const lastAlive = i.diedWithin?.[0] ? Date.parse(i.diedWithin[0]) : null;
  if (back !== null && died !== null && !isEstimate(i)) parts.push(w.down(formatDuration(back - died)));
  // No record dates the death itself: the outage lasted at most from the last sign of life to the restart.
  else if (back !== null && lastAlive !== null)
    parts.push(w.downAtMost(formatDuration(Math.max(0, back - lastAlive))));
  else if (i.restartedAt === null) parts.push(w.noRestartSeen);
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
