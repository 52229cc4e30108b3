// The timeline: the app's lives as bars, each death a mark coloured by its cause linking to its section, the time
// it was down as a band (lighter where only a window dates the death), other processes' OOM kills as ticks below.
import type { Incident, OtherOomKill } from '../contract/analysis.js';
import { WORDS } from '../report/words.js';
import { escapeHtml } from './escape.js';
import { msOf, shortTime, wallText } from './time-text.js';

// The pages speak English for now: their labels have no Chinese catalogue yet (the terminal and alerts do).
const PAGE_WORDS = WORDS.en;

export interface TimelineDeath {
  readonly incident: Incident;
  /** Where its mark links: the death's section (`#death-2`) or page. */
  readonly href: string;
}

export interface TimelineInput {
  readonly deaths: readonly TimelineDeath[];
  readonly otherKills: readonly OtherOomKill[];
  /** The span shown: the sources' first and last lines, widened to every death. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly offsetMinutes: number;
  /** Draw the lives between the deaths: only when the deaths are of one app on one host. */
  readonly lives?: boolean;
}

const WIDTH = 1000;
/** A mark stays visible at phone width, where 1000 units are ~350 px. */
const MARK_WIDTH = 4;

/** The window a timeline covers: every given instant, with a little room at each end. */
export function timelineSpan(instants: readonly (number | null)[]): { fromMs: number; toMs: number } | null {
  const known = instants.filter((ms): ms is number => ms !== null);
  if (known.length === 0) return null;
  const from = Math.min(...known);
  const to = Math.max(...known);
  const room = Math.max((to - from) * 0.02, 60_000);
  return { fromMs: from - room, toMs: to + room };
}

export function renderTimeline(input: TimelineInput): string {
  const { fromMs, toMs } = input;
  const x = (ms: number): number => Math.round(((ms - fromMs) / (toMs - fromMs)) * WIDTH * 10) / 10;
  const shapes: string[] = [];
  const lives = input.lives ?? true;
  let aliveFrom = fromMs;
  for (const { incident: i, href } of input.deaths) {
    const window = i.diedWithin?.map(msOf) ?? [null, null];
    const died = msOf(i.diedAt) ?? window[1] ?? null;
    if (died === null) continue;
    const lastAlive = window[0] ?? died;
    const back = msOf(i.restartedAt);
    const cls = `c-${i.cause}`;
    if (lives && lastAlive > aliveFrom)
      shapes.push(rect('life', x(aliveFrom), 10, x(lastAlive) - x(aliveFrom), 14));
    // The window in which it died, then the time it was surely down.
    if (died > lastAlive) shapes.push(rect(`window ${cls}`, x(lastAlive), 4, x(died) - x(lastAlive), 26));
    const downTo = back ?? toMs;
    if (downTo > died) shapes.push(rect(`down ${cls}`, x(died), 4, x(downTo) - x(died), 26));
    const title = `${shortTime(i.diedAt ?? i.diedWithin?.[1] ?? null)} — ${i.process}${i.pid !== null ? ` pid ${i.pid}` : ''} ${PAGE_WORDS.cause[i.cause]} [${i.confidence}]`;
    shapes.push(
      `<a href="${escapeHtml(href)}" class="death-mark"><title>${escapeHtml(title)}</title>${rect(`mark ${cls}`, x(died) - MARK_WIDTH / 2, 0, MARK_WIDTH, 34)}</a>`,
    );
    aliveFrom = back ?? toMs;
  }
  if (lives && aliveFrom < toMs) shapes.push(rect('life', x(aliveFrom), 10, x(toMs) - x(aliveFrom), 14));
  for (const k of input.otherKills) {
    const at = msOf(k.at);
    if (at === null) continue;
    const title = `${shortTime(k.at)} — OOM kill of ${k.process}${k.pid !== null ? ` pid ${k.pid}` : ''}`;
    shapes.push(
      `<g class="other-kill"><title>${escapeHtml(title)}</title>${rect('tick', x(at) - 1.5, 38, 3, 10)}</g>`,
    );
  }
  const middle = (fromMs + toMs) / 2;
  return `<figure class="timeline" aria-label="timeline of lives and deaths">
<svg viewBox="0 0 ${WIDTH} 48" preserveAspectRatio="none" role="img">${shapes.join('')}</svg>
<figcaption class="axis"><span>${escapeHtml(wallText(fromMs, input.offsetMinutes))}</span><span>${escapeHtml(wallText(middle, input.offsetMinutes))}</span><span>${escapeHtml(wallText(toMs, input.offsetMinutes))}</span></figcaption>
${legend(
  input.deaths.map((d) => d.incident),
  input.otherKills.length,
  lives,
)}
</figure>`;
}

function rect(cls: string, x: number, y: number, width: number, height: number): string {
  return `<rect class="${cls}" x="${x}" y="${y}" width="${Math.max(width, 0.5)}" height="${height}"/>`;
}

function legend(incidents: readonly Incident[], otherKills: number, lives: boolean): string {
  const causes = [...new Set(incidents.map((i) => i.cause))];
  const items = causes.map((cause) => {
    const n = incidents.filter((i) => i.cause === cause).length;
    return `<li><span class="swatch c-${cause}"></span>${escapeHtml(cause)} ×${n}</li>`;
  });
  if (lives) items.push('<li><span class="swatch life"></span>alive</li>');
  if (incidents.length > 0) items.push('<li><span class="swatch down"></span>down</li>');
  if (otherKills > 0) items.push(`<li><span class="swatch tick"></span>other OOM kills ×${otherKills}</li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}
