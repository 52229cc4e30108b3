// doctor's report for people: one aligned line per check (status, title, what was found), and under each warn or
// fail why it matters and the fix. Coloured on a TTY, as the analysis report is.
import { createColors } from 'picocolors';
import { displayWidth, padToWidth } from '../report/display-width.js';
import type { CheckStatus, DoctorReport } from './check.js';

export interface DoctorTerminalOptions {
  readonly color: boolean;
  readonly width: number;
}

export function renderDoctor(report: DoctorReport, options: DoctorTerminalOptions): string {
  const c = createColors(options.color);
  const width = Math.max(60, options.width);
  const paint: Record<CheckStatus, (s: string) => string> = { ok: c.green, warn: c.yellow, fail: c.red };
  const subject = report.folder ? `${report.app} in ${report.folder}` : 'a service on this machine';
  const out = [c.bold(`oomsleuth doctor: will the next death of ${subject} leave evidence?`)];
  if (report.root !== '/') out.push(c.dim(`(files read under ${report.root})`));
  out.push('');
  const titleWidth = Math.max(...report.checks.map((check) => displayWidth(check.title)));
  // `  ok    title  found`: the why and fix lines start under `found`.
  const indent = ' '.repeat(2 + 4 + 2 + titleWidth + 2);
  for (const check of report.checks) {
    const status = paint[check.status](padToWidth(check.status, 4));
    // What was found is wrapped, never cut: a fail's reason is the point of the run.
    const found = wrap(check.found, width - indent.length);
    out.push(`  ${status}  ${padToWidth(check.title, titleWidth)}  ${found[0] ?? ''}`);
    for (const line of found.slice(1)) out.push(`${indent}${line}`);
    if (check.status === 'ok') continue;
    for (const line of wrap(`why: ${check.why}`, width - indent.length, '     '))
      out.push(`${indent}${c.dim(line)}`);
    // The fix is never cut: it is meant to be copied.
    if (check.fix) out.push(`${indent}${c.cyan('fix:')} ${check.fix}`);
  }
  const { ok, warn, fail } = report.summary;
  out.push(
    '',
    `${c.green(`${ok} ok`)}, ${c.yellow(`${warn} warn`)}, ${c.red(`${fail} fail`)}${fail > 0 ? ' — the evidence of the next death is at risk' : ''}`,
  );
  return `${out.join('\n')}\n`;
}

/** Words into lines of at most `width` columns (a word longer than that gets a line of its own). */
function wrap(text: string, width: number, hang = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && displayWidth(line) + 1 + displayWidth(word) > Math.max(20, width)) {
      lines.push(line);
      line = `${hang}${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
