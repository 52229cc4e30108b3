// The analyze command line as scripts see it: exit codes, --json purity, messages that say what and how to fix.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';

const fixture = new URL('../fixtures/real-kernel/memcg-v1-anqicms', import.meta.url).pathname;
const bootTime = '2026-11-27T01:17:57Z';

test('--json prints one JSON document and nothing else on stdout', async () => {
  const run = await runCli(['analyze', fixture, '--json', '--tz', 'UTC', '--boot-time', bootTime]);
  assert.equal(run.code, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  assert.deepEqual(schemaErrors(analysis), []);
  assert.equal(analysis.incidents.length, 1);
  assert.equal(analysis.incidents[0].cause, 'oom-killer');
});

test('the terminal report names the cause, the memory and the evidence with file:line', async () => {
  const run = await runCli(['analyze', fixture, '--tz', 'UTC', '--boot-time', bootTime]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /killed by the kernel OOM killer/);
  assert.match(run.stdout, /\[confirmed\]/);
  assert.match(run.stdout, /anon-rss 71 MiB/);
  assert.match(run.stdout, /dmesg\.txt:79/);
  assert.doesNotMatch(run.stdout, /\x1b\[/, 'no colour codes when stdout is not a terminal');
});

test('--fail-on oom exits 1 when an incident is an OOM kill', async () => {
  const run = await runCli([
    'analyze',
    fixture,
    '--json',
    '--tz',
    'UTC',
    '--boot-time',
    bootTime,
    '--fail-on',
    'oom',
  ]);
  assert.equal(run.code, 1);
  assert.doesNotThrow(() => JSON.parse(run.stdout));
});

test('a missing path alone exits 2 and says which path and what to do', async () => {
  const run = await runCli(['analyze', '/nonexistent/check.log', '--json']);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /\/nonexistent\/check\.log/);
  assert.match(run.stderr, /no such file/i);
});

test('a missing path next to a readable one is listed in sources[].problems and the rest is analysed (exit 0)', async () => {
  const run = await runCli([
    'analyze',
    fixture,
    '/nonexistent/syslog',
    '--json',
    '--tz',
    'UTC',
    '--boot-time',
    bootTime,
  ]);
  assert.equal(run.code, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  const missing = analysis.sources.find((s: { path: string }) => s.path.includes('nonexistent'));
  assert.ok(missing, 'the missing input is listed');
  assert.ok(missing.problems.length > 0);
  assert.equal(analysis.incidents.length, 1);
});

test('bad options are all reported at once with the fix, exit 2', async () => {
  const run = await runCli([
    'analyze',
    fixture,
    '--tz',
    'Mars/Olympus',
    '--year',
    '24',
    '--since',
    'yesterday-ish',
  ]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--tz .*IANA time zone/);
  assert.match(run.stderr, /--year .*four-digit/);
  assert.match(run.stderr, /--since "yesterday-ish" is not a time: use ISO 8601/);
});

test('an unknown flag is a usage error (exit 2)', async () => {
  const run = await runCli(['analyze', fixture, '--frobnicate']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /unknown option/);
});

test('a directory with nothing recognisable exits 2 and says what to pass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomsleuth-empty-'));
  writeFileSync(join(dir, 'notes.txt'), 'shopping list\nmilk\neggs\n');
  const run = await runCli(['analyze', dir, '--json']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /no readable log/);
  assert.match(run.stderr, /check\.log/);
});

test('- reads a log from stdin', async () => {
  const kill =
    'Jul 23 10:03:47 web1 kernel: Out of memory: Killed process 12345 (anqicms) total-vm:4123456kB, anon-rss:3987654kB, file-rss:123456kB, shmem-rss:0kB, UID:0 pgtables:8000kB oom_score_adj:0\n';
  const run = await runCli(['analyze', '-', '--json', '--tz', 'Asia/Shanghai', '--year', '2024'], {
    input: kill,
  });
  assert.equal(run.code, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  assert.equal(analysis.incidents.length, 1);
  assert.equal(analysis.incidents[0].pid, 12345);
  assert.equal(analysis.incidents[0].diedAt, '2024-07-23T10:03:47+08:00');
  assert.equal(analysis.incidents[0].oom.anonRssKb, 3987654);
});

test('--since and --until take the relative times journalctl takes', async () => {
  // The example's deaths are in July 2024: "-1h" leaves none, "yesterday" … "now" none either, a date range one.
  const example = new URL('../../examples/anqicms-vps', import.meta.url).pathname;
  const recent = await runCli(['analyze', example, '--json', '--tz', 'Asia/Shanghai', '--since', '-1h']);
  assert.equal(recent.code, 0, recent.stderr);
  assert.equal(JSON.parse(recent.stdout).incidents.length, 0);
  const window = await runCli([
    'analyze',
    example,
    '--json',
    '--tz',
    'Asia/Shanghai',
    '--since=2024-07-23 10:00',
    '--until',
    '2024-07-23 12:00',
  ]);
  assert.equal(window.code, 0, window.stderr);
  const incidents = JSON.parse(window.stdout).incidents;
  assert.deepEqual(
    incidents.map((i: { cause: string }) => i.cause),
    ['oom-killer'],
  );
});
