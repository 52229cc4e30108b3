// The report a person reads: widths count what the terminal shows, evidence is cut but a death's cause and confidence
// never are, no escape sequence is ever cut in two, and one line up top tells the whole story.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Analysis } from '../../src/contract/analysis.js';
import { cutToWidth, displayWidth, padToWidth } from '../../src/report/display-width.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { deathCountWords } from '../../src/report/words.js';

/** The bundled example's analysis (a crash, a kernel OOM kill, a stop), as its golden JSON pins it. */
function example(): Analysis {
  return JSON.parse(readFileSync(new URL('../golden/anqicms-vps.json', import.meta.url), 'utf8')) as Analysis;
}

const ESCAPE_AT = /\x1b\[[0-9;]*m/y;

/** Every ESC starts a whole `ESC [ … m` sequence: none was cut in two. */
function escapesWhole(line: string): boolean {
  for (let at = line.indexOf('\x1b'); at !== -1; at = line.indexOf('\x1b', at + 1)) {
    ESCAPE_AT.lastIndex = at;
    if (!ESCAPE_AT.test(line)) return false;
  }
  return true;
}

test('width counts columns: colour codes none, Chinese characters two', () => {
  assert.equal(displayWidth('\x1b[2mlast line\x1b[22m'), 9);
  assert.equal(displayWidth('推送百度: 成功 3 条'), 19);
  assert.equal(displayWidth('e\u0301'), 1, 'a combining accent takes no column');
  assert.equal(padToWidth('成功', 6), '成功  ');
});

test('a cut keeps escape sequences whole, counts columns and resets the colour it leaves open', () => {
  const dim = '\x1b[2m2024/07/23 01:37:52 推送百度: 成功 3 条\x1b[22m';
  const cut = cutToWidth(dim, 25);
  assert.ok(displayWidth(cut) <= 25, cut);
  assert.ok(escapesWhole(cut), JSON.stringify(cut));
  assert.ok(cut.endsWith('…\x1b[0m'), JSON.stringify(cut));
  assert.equal(cutToWidth('short', 10), 'short');
  // A wide character that would straddle the edge is left out whole.
  assert.equal(cutToWidth('ab成功', 4), 'ab…');
});

test('one line up top says how many deaths and of which causes', () => {
  const first = renderTerminal(example(), { color: false, width: 120, language: 'en' }).split('\n')[0];
  assert.equal(first, 'anqicms: 3 deaths: 1 OOM kill, 1 crash, 1 stop · 5 sources read');
  assert.equal(deathCountWords([], 'en'), 'no deaths found');
  assert.equal(
    deathCountWords(['crash', 'oom-killer', 'crash', 'unexplained', 'oom-daemon'], 'en'),
    '5 deaths: 1 OOM kill, 1 OOM-daemon kill, 2 crashes, 1 unexplained',
  );
});

test('in colour and at 60 columns: no line wider than the terminal, no escape cut, every verdict whole', () => {
  const analysis = example();
  // A long binary name makes the headline wider than 60 columns on its own.
  analysis.incidents[1]!.process = 'anqicms-production-server';
  for (const width of [60, 80, 120]) {
    const lines = renderTerminal(analysis, { color: true, width, language: 'en' }).split('\n');
    for (const line of lines) {
      assert.ok(displayWidth(line) <= width, `${displayWidth(line)} > ${width}: ${JSON.stringify(line)}`);
      assert.ok(escapesWhole(line), `escape cut in two: ${JSON.stringify(line)}`);
    }
    const plain = lines.map((line) => line.replace(/\x1b\[[0-9;]*m/g, '')).join('\n');
    for (const verdict of [
      'crashed  [confirmed]',
      'killed by the kernel OOM killer  [confirmed]',
      'stopped deliberately  [confirmed]',
    ]) {
      assert.ok(plain.includes(verdict), `"${verdict}" whole at width ${width}:\n${plain}`);
    }
  }
});

test("evidence lines with Chinese text are cut by columns, so they end at the terminal's edge", () => {
  const analysis = example();
  analysis.incidents[0]!.evidence[3]!.text = `2024/07/23 01:37:52 ${'推送百度: 成功 3 条 '.repeat(10)}`;
  const lines = renderTerminal(analysis, { color: false, width: 80, language: 'en' }).split('\n');
  const cut = lines.find((line) => line.includes('推送百度') && line.endsWith('…'));
  assert.ok(cut, lines.join('\n'));
  assert.ok(displayWidth(cut) === 80 || displayWidth(cut) === 79, `${displayWidth(cut)}: ${cut}`);
});

test("a folder's non-log files are one line under Sources; a file with another problem keeps its own", () => {
  const analysis = example();
  const unknown = (path: string, problem: string) => ({
    path,
    kind: 'unknown' as const,
    format: 'unknown',
    lines: 0,
    first: null,
    last: null,
    problems: [problem],
    notes: [],
  });
  const noFormat = (path: string) =>
    unknown(
      path,
      `${path}: no known log format in its first 9 lines — skipped (see docs/formats.md) [OOMS_E_SOURCE_UNKNOWN_FORMAT]`,
    );
  analysis.sources.push(
    noFormat('anqicms/config.json'),
    noFormat('anqicms/start.sh'),
    noFormat('anqicms/template/default/index.html'),
    unknown(
      'anqicms/secret.log',
      'cannot read anqicms/secret.log: permission denied — run as root [OOMS_E_SOURCE_UNREADABLE]',
    ),
  );
  const text = renderTerminal(analysis, { color: false, width: 160, language: 'en' });
  assert.doesNotMatch(text, /config\.json: no known log format/);
  assert.match(
    text,
    /^ {2}3 files of no known log format skipped \(--json lists each\): anqicms\/config\.json, anqicms\/start\.sh, anqicms\/template\/default\/index\.html$/m,
  );
  assert.match(text, /secret\.log: permission denied/);
});

test('a long source path (a journalctl command line) does not widen the Sources table past the terminal', () => {
  const analysis = example();
  analysis.sources.push({
    path: 'journalctl -o json --no-pager _TRANSPORT=kernel + SYSLOG_IDENTIFIER=systemd SYSLOG_IDENTIFIER=systemd-oomd SYSLOG_IDENTIFIER=earlyoom',
    kind: 'system',
    format: 'journal-json',
    lines: 12,
    first: '2024-07-23T10:00:00+08:00',
    last: '2024-07-23T11:00:00+08:00',
    problems: [],
    notes: [],
  });
  const lines = renderTerminal(analysis, { color: false, width: 120, language: 'en' }).split('\n');
  const row = lines.find((line) => line.includes('check.log ') && line.includes('guardian'));
  assert.ok(row && /check\.log {2,}guardian/.test(row) && row.indexOf('guardian') < 60, row);
  const journal = lines.find((line) => line.startsWith('  journalctl'));
  assert.ok(journal?.includes('journal-json'), journal);
});

/** The terminal column at which `needle` starts in `line` (Chinese characters count two). */
function columnOf(line: string, needle: string | RegExp): number {
  const at = typeof needle === 'string' ? line.indexOf(needle) : line.search(needle);
  assert.ok(at >= 0, `${String(needle)} not in ${JSON.stringify(line)}`);
  return displayWidth(line.slice(0, at));
}

test('in Chinese the report aligns by terminal columns: evidence, its lines, and the Sources table', () => {
  const analysis = example();
  // A folder with a Chinese name: its paths are wider on screen than their length says.
  const rename = (path: string) => path.replace('anqicms-vps/check.log', '安企CMS/check.log');
  for (const source of analysis.sources) source.path = rename(source.path);
  for (const incident of analysis.incidents) for (const e of incident.evidence) e.source = rename(e.source);
  const lines = renderTerminal(analysis, { color: false, width: 120, language: 'zh' }).split('\n');
  assert.equal(lines[0], 'anqicms：退出 3 次：OOM 杀死 1 次，崩溃 1 次，主动停止 1 次 · 已读取 5 个日志来源');

  // Each incident's evidence: the words after `file:line`, and the cited line under them, start at one column.
  const blocks = lines
    .join('\n')
    .split('\n\n')
    .filter((b) => /^\d{4}-/.test(b));
  assert.equal(blocks.length, 3);
  for (const block of blocks) {
    const cited = block.split('\n').filter((line) => /^ {2}\S+:\d+ {2}/.test(line));
    const said = cited.map((line) => columnOf(line, /(?<=:\d+ +)\S/));
    assert.equal(new Set(said).size, 1, `says not aligned:\n${block}`);
    const verbatim = block.split('\n').filter((line) => /^ {20,}\S/.test(line));
    assert.ok(verbatim.length > 0);
    for (const line of verbatim) assert.equal(columnOf(line, /\S/), said[0], line);
  }

  // The Sources table: kinds start at one column, line counts end at one column.
  const table = lines.slice(lines.indexOf('日志来源') + 1).filter((line) => / 行 {2}/.test(line));
  assert.equal(table.length, 5);
  assert.equal(
    new Set(table.map((line) => columnOf(line, /(guardian|app|system) /))).size,
    1,
    table.join('\n'),
  );
  assert.equal(new Set(table.map((line) => columnOf(line, ' 行 ') + 2)).size, 1, table.join('\n'));
  // Padded by columns: the Chinese path is 17 columns (15 characters), the widest (running.log's) 23.
  assert.ok(table[0]!.startsWith(`  安企CMS/check.log${' '.repeat(23 - 17 + 2)}guardian`), table[0]);
});

test('in Chinese at 60 columns: no line wider than the terminal, every verdict whole', () => {
  for (const width of [60, 80]) {
    const lines = renderTerminal(example(), { color: true, width, language: 'zh' }).split('\n');
    for (const line of lines) {
      assert.ok(displayWidth(line) <= width, `${displayWidth(line)} > ${width}: ${JSON.stringify(line)}`);
      assert.ok(escapesWhole(line), `escape cut in two: ${JSON.stringify(line)}`);
    }
    const plain = lines.map((line) => line.replace(/\x1b\[[0-9;]*m/g, '')).join('\n');
    for (const verdict of ['崩溃  [已证实]', '被内核 OOM killer 杀死  [已证实]', '被主动停止  [已证实]']) {
      assert.ok(plain.includes(verdict), `"${verdict}" whole at width ${width}:\n${plain}`);
    }
  }
});
