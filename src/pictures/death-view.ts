// One death on a page: the verdict, the diagnosis when there is one, the evidence lines with file:line, the memory
// curve when the guard sampled it, the kernel's task table at the kill as bars, and (on the dashboard) the bundle.
import type { Incident } from '../contract/analysis.js';
import { formatDuration, formatKb } from '../report/sizes.js';
import { WORDS } from '../report/words.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { type DeathExtras, diagnosisOf, type PictureLine, type PictureSample } from './model.js';
import { type TaskRow, taskTableOf } from './task-table.js';
import { msOf, offsetMinutesOf, shortTime } from './time-text.js';

// The pages speak English for now: their labels have no Chinese catalogue yet (the terminal and alerts do).
const PAGE_WORDS = WORDS.en;

export interface DeathViewOptions {
  /** The section's id (anchor target of the timeline's mark). */
  readonly id: string;
  readonly heading: string;
  /** Show the bundle's whole parts (the dashboard's incident page). */
  readonly withBundle: boolean;
}

/** Processes shown in the task-table chart; the victim always is. */
const TASK_BARS = 12;

export function renderDeath(incident: Incident, extras: DeathExtras, options: DeathViewOptions): string {
  const i = incident;
  const parts: string[] = [];
  const when = i.diedAt ?? i.diedWithin?.[1] ?? null;
  parts.push(
    `<header><h3>${escapeHtml(options.heading)}</h3><p class="when"><time>${escapeHtml(shortTime(when))}</time> · ${escapeHtml(i.process)}${i.pid !== null ? ` pid ${i.pid}` : ''}</p>`,
    `<p class="verdict"><span class="badge c-${i.cause}">${escapeHtml(i.cause)}</span> ${escapeHtml(PAGE_WORDS.cause[i.cause])} <span class="confidence">${escapeHtml(i.confidence)}</span></p></header>`,
  );
  const facts = factsOf(i);
  if (facts.length > 0)
    parts.push(`<ul class="facts">${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`);
  parts.push(diagnosisHtml(i));
  if (i.missing.length > 0) {
    parts.push(
      `<p class="missing"><strong>Missing:</strong> ${i.missing.map((m) => escapeHtml(PAGE_WORDS.missing[m])).join('; ')}</p>`,
    );
  }
  parts.push(evidenceHtml(i));
  if (extras.memory?.some((s) => s.rssKb !== null || s.cgroupUsageKb !== null)) {
    parts.push(memoryHtml(extras.memory, `${options.id}-memory`, offsetMinutesOf(when)));
  }
  const tasks = taskTableOf(extras.oomBlock ?? []);
  if (tasks.length > 0) parts.push(taskBarsHtml(tasks, i.pid));
  if (options.withBundle) parts.push(bundleHtml(extras));
  return `<section class="death c-${i.cause}" id="${escapeHtml(options.id)}">${parts.join('\n')}</section>`;
}

function factsOf(i: Incident): string[] {
  const facts: string[] = [];
  if (i.oom?.anonRssKb != null) facts.push(`anon-rss ${formatKb(i.oom.anonRssKb)}`);
  if (i.oom?.totalVmKb != null) facts.push(`total-vm ${formatKb(i.oom.totalVmKb)}`);
  if (i.oom?.scope)
    facts.push(i.oom.scope === 'memcg' ? `memcg ${i.oom.cgroup ?? ''}`.trim() : `${i.oom.scope} OOM`);
  if (i.oom?.invokedBy && i.oom.invokedBy !== i.process) facts.push(`triggered by ${i.oom.invokedBy}`);
  if (i.diedWithin)
    facts.push(`died between ${shortTime(i.diedWithin[0])} and ${shortTime(i.diedWithin[1])}`);
  const died = msOf(i.diedAt);
  const back = msOf(i.restartedAt);
  const lastAlive = msOf(i.diedWithin?.[0]);
  // No record dates the death itself (diedAt is when it was found dead): down at most since its last sign of life.
  const estimate = i.diedWithin !== null && (i.diedAt === null || i.diedAt === i.diedWithin[1]);
  if (back !== null && died !== null && !estimate)
    facts.push(`down ${formatDuration(Math.max(0, back - died))}`);
  else if (back !== null && lastAlive !== null)
    facts.push(`down ≤ ${formatDuration(Math.max(0, back - lastAlive))}`);
  else if (i.restartedAt === null) facts.push('no restart seen');
  return facts;
}

function diagnosisHtml(i: Incident): string {
  const d = diagnosisOf(i);
  if (d === null) return '';
  const list = (items: readonly string[], cls: string, title: string): string => {
    if (items.length === 0) return '';
    return `<h4>${title}</h4><ul class="${cls}">${items.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`;
  };
  // A cited line is shown where it is (file:line); a count or a rhythm no single line states has no place.
  const because = d.because.map((b) =>
    b.source === null ? b.says : `${b.says} (${b.source}${b.line === null ? '' : `:${b.line}`})`,
  );
  return `<div class="diagnosis"><p class="summary"><span class="kind">${escapeHtml(d.kind)}</span> ${escapeHtml(d.summary)}</p>${list(because, 'because', 'Because')}${list(d.advice, 'advice', 'What to do')}</div>`;
}

function evidenceHtml(i: Incident): string {
  if (i.evidence.length === 0) return '<p class="evidence-none">No evidence lines.</p>';
  const items = i.evidence.map(
    (e) =>
      `<li><p><code class="where">${escapeHtml(`${e.source}:${e.line ?? '?'}`)}</code> <span class="says">${escapeHtml(e.says)}</span></p><pre class="line">${escapeHtml(e.text)}</pre></li>`,
  );
  return `<h4>Evidence</h4><ol class="evidence">${items.join('')}</ol>`;
}

/** The samples as columns for the chart: seconds on a clock shifted to the incident's zone, kB or null. */
function memoryHtml(samples: readonly PictureSample[], id: string, offsetMinutes: number): string {
  const placed = samples
    .map((s) => ({ s, ms: msOf(s.at) }))
    .filter((p): p is { s: PictureSample; ms: number } => p.ms !== null)
    .sort((a, b) => a.ms - b.ms);
  const data = {
    t: placed.map((p) => (p.ms + offsetMinutes * 60_000) / 1000),
    rss: placed.map((p) => p.s.rssKb),
    hwm: placed.map((p) => p.s.hwmKb),
    cgroup: placed.map((p) => p.s.cgroupUsageKb),
  };
  const peak = Math.max(0, ...placed.map((p) => p.s.rssKb ?? p.s.cgroupUsageKb ?? 0));
  return `<h4>Memory before the death</h4><p class="chart-note">${placed.length} samples by oomsleuth guard; peak ${escapeHtml(formatKb(peak))}</p><div class="memory-chart" data-memory="${id}-data"></div><script type="application/json" id="${id}-data">${jsonForScript(data)}</script>`;
}

function taskBarsHtml(tasks: readonly TaskRow[], victimPid: number | null): string {
  const sorted = [...tasks].sort((a, b) => (b.rssKb ?? 0) - (a.rssKb ?? 0));
  const shown = sorted.slice(0, TASK_BARS);
  const victim = sorted.find((t) => t.pid === victimPid);
  if (victim && !shown.includes(victim)) shown[shown.length - 1] = victim;
  const max = Math.max(1, ...shown.map((t) => t.rssKb ?? 0));
  const rowHeight = 22;
  const bars = shown.map((t, n) => {
    const y = n * rowHeight;
    const w = Math.max(1, ((t.rssKb ?? 0) / max) * 100);
    const cls = t.pid === victimPid ? 'bar victim' : 'bar';
    const label = `${t.process} (${t.pid})`;
    const value = `${t.rssKb === null ? '?' : formatKb(t.rssKb)}${t.oomScoreAdj !== null && t.oomScoreAdj !== 0 ? ` adj ${t.oomScoreAdj}` : ''}`;
    return `<g class="${cls}"><title>${escapeHtml(`${label}: rss ${value}`)}</title><rect x="0" y="${y + 3}" width="${w.toFixed(2)}%" height="${rowHeight - 6}"/><text class="task-name" x="4" y="${y + 15}">${escapeHtml(label)}</text><text class="task-value" x="100%" y="${y + 15}" text-anchor="end">${escapeHtml(value)}</text></g>`;
  });
  return `<h4>Task table at the kill</h4><p class="chart-note">Resident memory of the ${shown.length} largest of ${tasks.length} processes the kernel weighed${victimPid !== null ? '; the victim highlighted' : ''}.</p><svg class="tasks" width="100%" height="${shown.length * rowHeight}" role="img" aria-label="task table">${bars.join('')}</svg>`;
}

function bundleHtml(extras: DeathExtras): string {
  const part = (title: string, lines: readonly PictureLine[] | undefined): string => {
    if (!lines || lines.length === 0) return '';
    const body = lines
      .map(
        (l) => `<span class="ln">${escapeHtml(`${l.source}:${l.line ?? '?'}`)}</span> ${escapeHtml(l.text)}`,
      )
      .join('\n');
    return `<details class="bundle"><summary>${title} (${lines.length} lines)</summary><pre>${body}</pre></details>`;
  };
  return [
    part('Kernel OOM report', extras.oomBlock),
    part('App log before the cliff', extras.appTail),
    part('Guardian lines around the death', extras.guardian),
  ].join('');
}
