// `analyze --html FILE`: the page is written besides the usual output, which is unchanged; a file that cannot be
// written is exit 2 with the fix; and analyze's module graph holds neither fastify nor SQLite (they stay serve's).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';

const example = fileURLToPath(new URL('../../examples/anqicms-vps', import.meta.url));
const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-html-'));
after(() => rm(dir, { recursive: true, force: true }));

test('analyze --html writes one self-contained page; --json on stdout is the same document as without it', async () => {
  const file = path.join(dir, 'report.html');
  const withHtml = await runCli(['analyze', example, '--tz', 'Asia/Shanghai', '--json', '--html', file]);
  const without = await runCli(['analyze', example, '--tz', 'Asia/Shanghai', '--json']);
  assert.equal(withHtml.code, 0, withHtml.stderr);
  const strip = (s: string) => s.replace(/"generatedAt": "[^"]+"/, '');
  assert.equal(strip(withHtml.stdout), strip(without.stdout));
  const html = await readFile(file, 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<h1>anqicms: 3 deaths: 1 OOM kill, 1 crash, 1 stop<\/h1>/);
  assert.match(html, /class="tasks"/);
  assert.match(html, /uPlot/);
  assert.doesNotMatch(html, /<(?:script|link|img)[^>]*\s(?:src|href)=/);
});

test('analyze --html into a missing folder: exit 2, saying which file and how to fix it', async () => {
  const run = await runCli([
    'analyze',
    example,
    '--tz',
    'Asia/Shanghai',
    '--html',
    path.join(dir, 'no/such/r.html'),
  ]);
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /cannot write the HTML report to .*no\/such\/r\.html: ENOENT.*--html \/tmp\/report\.html/,
  );
});

test("analyze's modules, the lazily loaded ones included, never reach fastify or better-sqlite3", () => {
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(\s*)['"](?<spec>[^'"]+)['"]/g)) {
      const spec = m.groups!.spec!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
      else bare.add(spec);
    }
  };
  visit(path.join(src, 'cli/analyze.ts'));
  assert.ok(seen.has(path.join(src, 'pictures/report-html.ts')), 'the walk reaches the HTML renderer');
  assert.ok(!bare.has('fastify') && !bare.has('better-sqlite3'), [...bare].join(', '));
});
