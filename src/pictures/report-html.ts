// `analyze --html`: the analysis as one self-contained page — the timeline, each death with its verdict, diagnosis,
// evidence, memory curve and task table, the other OOM kills, and the sources with their notes.
import type { Analysis, SourceReport } from '../contract/analysis.js';
import { formatKb } from '../report/sizes.js';
import { deathCountWords } from '../report/words.js';
import type { ChartAssets } from './chart-assets.js';
import { renderDeath } from './death-view.js';
import { renderPage } from './document.js';
import { escapeHtml } from './escape.js';
import type { DeathExtras } from './model.js';
import { msOf, offsetMinutesOf, shortTime } from './time-text.js';
import { renderTimeline, timelineSpan } from './timeline.js';

/** The report page; `extras[n]` belongs to `analysis.incidents[n]`. */
export function renderReportHtml(
  analysis: Analysis,
  extras: readonly DeathExtras[],
  assets: ChartAssets,
): string {
  const title = analysis.app
    ? `${analysis.app}: ${deathCountWords(
        analysis.incidents.map((i) => i.cause),
        'en',
      )}`
    : `no app in focus: ${analysis.incidents.length} processes OOM-killed`;
  const read = analysis.sources.filter((s) => s.kind !== 'unknown');
  const body = [
    `<header><h1>${escapeHtml(title)}</h1><p class="sub">oomsleuth report · ${read.length} ${read.length === 1 ? 'source' : 'sources'} read · generated ${escapeHtml(shortTime(analysis.generatedAt))}</p></header>`,
    timelineHtml(analysis),
    `<h2>Deaths</h2>`,
    analysis.incidents.length === 0 ? '<p>No deaths found in these logs.</p>' : '',
    ...analysis.incidents.map((incident, n) =>
      renderDeath(incident, extras[n] ?? {}, {
        id: `death-${n + 1}`,
        heading: `Death ${n + 1} of ${analysis.incidents.length}`,
        withBundle: false,
      }),
    ),
    otherKillsHtml(analysis),
    sourcesHtml(analysis.sources),
  ].join('\n');
  return renderPage({ title: `oomsleuth — ${title}`, body, assets, sameOrigin: false }).html;
}

function timelineHtml(analysis: Analysis): string {
  const instants = [
    ...analysis.sources.filter((s) => s.kind !== 'unknown').flatMap((s) => [msOf(s.first), msOf(s.last)]),
    ...analysis.incidents.flatMap((i) => [msOf(i.diedAt), msOf(i.diedWithin?.[0]), msOf(i.restartedAt)]),
    ...analysis.otherOomKills.map((k) => msOf(k.at)),
  ];
  const span = timelineSpan(instants);
  if (span === null) return '<p class="sub">No dated line: no timeline.</p>';
  const zoneFrom =
    analysis.incidents[0]?.diedAt ?? analysis.sources.find((s) => s.first)?.first ?? analysis.generatedAt;
  return `<h2>Timeline</h2>${renderTimeline({
    deaths: analysis.incidents.map((incident, n) => ({ incident, href: `#death-${n + 1}` })),
    otherKills: analysis.otherOomKills,
    ...span,
    offsetMinutes: offsetMinutesOf(zoneFrom),
  })}`;
}

function otherKillsHtml(analysis: Analysis): string {
  if (analysis.otherOomKills.length === 0) return '';
  const rows = analysis.otherOomKills.map(
    (k) =>
      `<tr><td>${escapeHtml(shortTime(k.at))}</td><td>${escapeHtml(k.process)}</td><td class="num">${k.pid ?? ''}</td><td class="num">${k.anonRssKb == null ? '' : escapeHtml(formatKb(k.anonRssKb))}</td><td>${escapeHtml(k.scope ?? '')}</td></tr>`,
  );
  return `<h2>Other OOM kills (not the app)</h2><div class="table-wrap"><table class="other-kills"><thead><tr><th>at</th><th>process</th><th>pid</th><th>anon-rss</th><th>scope</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function sourcesHtml(sources: readonly SourceReport[]): string {
  const rows = sources.map((s) => {
    const notes = [
      ...(s.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`),
      ...s.problems.map((p) => `<li class="problem">${escapeHtml(p)}</li>`),
    ];
    return `<tr><td><code>${escapeHtml(s.path)}</code>${notes.length > 0 ? `<ul class="notes">${notes.join('')}</ul>` : ''}</td><td>${escapeHtml(s.kind)}</td><td>${escapeHtml(s.format)}</td><td class="num">${s.lines}</td><td>${escapeHtml(shortTime(s.first))} – ${escapeHtml(shortTime(s.last))}</td></tr>`;
  });
  return `<h2>Sources</h2><div class="table-wrap"><table class="sources"><thead><tr><th>path</th><th>kind</th><th>format</th><th>lines</th><th>span</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
