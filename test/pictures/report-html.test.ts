// The HTML report as text: every inline script and style is allowed by its hash and nothing else is, no URL loads
// anything, log text is escaped, the diagnosis and the task table are drawn from the incident and its OOM report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadChartAssets } from '../../src/pictures/chart-assets.js';
import { hashSource } from '../../src/pictures/csp.js';
import { escapeHtml, jsonForScript } from '../../src/pictures/escape.js';
import { renderReportHtml } from '../../src/pictures/report-html.js';
import { taskTableOf } from '../../src/pictures/task-table.js';
import { hostileAnalysis, hostileExtras, TASK_BLOCK_LINES } from './fixtures.js';

test('escapeHtml: markup characters become entities, control characters as \\xNN escapes', () => {
  assert.equal(escapeHtml('<a href="x">&\'</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  assert.equal(escapeHtml('\u001b[31mred\u001b[0m\u0007\u007f\r'), '\\x1b[31mred\\x1b[0m\\x07\\x7f\\x0d');
  assert.equal(escapeHtml('tab\tstays'), 'tab\tstays');
});

test('jsonForScript: no string can close the script element or open a comment', () => {
  const json = jsonForScript({ text: '</script><!-- & \u2028' });
  assert.doesNotMatch(json, /<|>|&/);
  assert.deepEqual(JSON.parse(json), { text: '</script><!-- & \u2028' });
});

test('taskTableOf reads the rows of the kernel task table from syslog lines, pages as 4 kB', () => {
  const rows = taskTableOf(TASK_BLOCK_LINES.map((text, n) => ({ source: 's', line: n + 1, text })));
  assert.deepEqual(
    rows.map((r) => [r.process, r.pid, r.rssKb, r.oomScoreAdj]),
    [
      ['systemd-journal', 398, 2560, -250],
      ['mysqld', 901, 417536, 0],
      ['<img src=x onerror=alert(1)>', 902, 4000, 0],
      ['anqicms', 18734, 3543352, 0],
    ],
  );
});

test("taskTableOf: a kill whose report printed no table gets none, not an earlier report's", () => {
  const at = (texts: readonly string[]) => texts.map((text, n) => ({ source: 's', line: n + 1, text }));
  const later = [
    'Jul 23 10:09:00 vps kernel: [284074.000000] Out of memory: Killed process 19001 (anqicms) total-vm:3921880kB, anon-rss:3541204kB, file-rss:2148kB, shmem-rss:0kB, UID:0 pgtables:7412kB oom_score_adj:0',
  ];
  assert.deepEqual(
    taskTableOf(at([...TASK_BLOCK_LINES, 'Jul 23 10:05:00 vps CRON[1]: (root) CMD (x)', ...later])),
    [],
  );
  // The reaper's line after the kill (watch's bundle keeps it) does not lose the table.
  const reaped =
    'Jul 23 10:03:47 vps kernel: [283715.100000] oom_reaper: reaped process 18734 (anqicms), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB';
  assert.equal(taskTableOf(at([...TASK_BLOCK_LINES, reaped])).length, 4);
});

test('the report: CSP lists the hash of every inline script and style, no remote source, log text escaped', async () => {
  const analysis = hostileAnalysis();
  const html = renderReportHtml(analysis, [hostileExtras(), {}], await loadChartAssets());
  const csp = /<meta http-equiv="Content-Security-Policy" content="(?<csp>[^"]+)">/.exec(html)?.groups?.csp;
  assert.ok(csp, 'a CSP meta element');
  const policy = csp.replace(/&#39;/g, "'");
  const inline = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
  for (const script of inline('script')) assert.ok(policy.includes(hashSource(script)), 'script hash listed');
  for (const style of inline('style')) assert.ok(policy.includes(hashSource(style)), 'style hash listed');
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /connect-src 'none'/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-hashes|https?:/);
  // No element of ours points anywhere: no src=, no stylesheet link.
  assert.doesNotMatch(html, /<(?:script|img|link|iframe)[^>]*\s(?:src|href)=/i);
  assert.ok(!html.includes('<script>window.pwned'), 'the log line is not markup');
  assert.ok(
    html.includes(
      '&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;',
    ),
  );
  assert.ok(html.includes('\\x1b[31mRED'), 'the ESC of an ANSI code is shown as \\x1b');
  assert.ok(html.includes('logs/&lt;b&gt;syslog&lt;/b&gt;'), 'source paths are escaped too');
  // The diagnosis, with its own text escaped.
  assert.match(html, /class="diagnosis"/);
  assert.ok(html.includes('killed it &lt;b&gt;not bold&lt;/b&gt;.'));
  assert.ok(html.includes('Look for a leak in the request path'));
  // The task table, the victim highlighted, a hostile process name escaped.
  assert.match(html, /<g class="bar victim"><title>anqicms \(18734\)/);
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; (902)'));
  assert.match(html, /data-memory="death-1-memory-data"/);
  // The second death has no extras: no chart, no table.
  const second = html.slice(html.indexOf('id="death-2"'));
  assert.doesNotMatch(second, /data-memory=|class="tasks"/);
});
