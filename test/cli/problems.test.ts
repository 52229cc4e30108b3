// Problems as a script and a person meet them: every one in --json carries its OOMS_E_ code, and so does every
// problem line on stderr; a folder's non-log files are said in one line, not one warning each.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ERROR_CODES } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';

const KILL =
  'Jul 23 10:03:47 web1 kernel: Out of memory: Killed process 12345 (anqicms) total-vm:4123456kB, anon-rss:3987654kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:8000kB oom_score_adj:0\n';
const CODE_AT_END = /\[(?<code>OOMS_E_[A-Z0-9_]+)\]$/;

async function folder(t: { after(fn: () => Promise<void>): void }, files: Record<string, string | Buffer>) {
  const root = await mkdtemp(path.join(tmpdir(), 'oomsleuth-problems-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = path.join(root, 'logs');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

test('every problem in --json and on stderr ends with its registered OOMS_E_ code', async (t) => {
  const gz = gzipSync(Buffer.from('Jul 22 09:00:00 web1 CRON[1]: (root) CMD (x)\n'.repeat(2000)));
  const dir = await folder(t, {
    syslog: KILL,
    'kern.log': '',
    'syslog.2.gz': gz.subarray(0, gz.length >> 1),
    'dmesg.txt':
      '[  512.000000] Out of memory: Killed process 999 (mysqld) total-vm:1000kB, anon-rss:800kB\n',
  });
  const run = await runCli([
    'analyze',
    dir,
    path.join(dir, 'nowhere.log'),
    '--json',
    '--tz',
    'UTC',
    '--year',
    '2024',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  assert.deepEqual(schemaErrors(analysis), []);
  const problems: string[] = analysis.sources.flatMap((s: { problems: string[] }) => s.problems);
  const codes = problems.map((p) => CODE_AT_END.exec(p)?.groups?.code);
  assert.deepEqual(
    problems.filter((_, i) => codes[i] === undefined || !(codes[i]! in ERROR_CODES)),
    [],
    'problems without a registered code at the end',
  );
  // One of each kind given above, each with its own code.
  for (const code of [
    'OOMS_E_SOURCE_NOT_FOUND',
    'OOMS_E_SOURCE_EMPTY',
    'OOMS_E_SOURCE_GZIP_TRUNCATED',
    'OOMS_E_CLOCK_NO_BOOT_TIME',
  ]) {
    assert.ok(codes.includes(code), `${code} in ${JSON.stringify(problems, null, 1)}`);
  }
  const lines = run.stderr.trim().split('\n');
  assert.ok(lines.length >= 3);
  for (const line of lines) assert.match(line, /^oomsleuth: .* \[OOMS_E_[A-Z0-9_]+\]$/);
});

test("a folder's non-log files are listed in --json and said in one line on stderr", async (t) => {
  const dir = await folder(t, {
    'check.log': '20240723 10:03:01 anqicms PID check: 1\n20240723 10:04:01 anqicms PID check: 0\n',
    syslog: KILL,
    'config.json': '{\n  "server": {\n    "site_name": "AnQiCMS",\n    "port": 8001\n  }\n}\n',
    'start.sh':
      '#!/bin/bash\nappname=anqicms\nexists=`ps -ef | grep "\\<anqicms\\>" | grep -v grep | wc -l`\n',
    'template/default/index.html':
      '<!DOCTYPE html>\n<html><head><title>{{tdk with name="Title"}}</title></head></html>\n',
    'public/robots.txt': 'User-agent: *\nDisallow: /system/\n',
    'public/static/js/app.js': 'console.log("hi");\n',
  });
  const run = await runCli(['analyze', dir, '--json', '--tz', 'UTC', '--year', '2024']);
  assert.equal(run.code, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  assert.equal(analysis.incidents.length, 1);
  const unknown = analysis.sources.filter((s: { kind: string }) => s.kind === 'unknown');
  assert.deepEqual(unknown.map((s: { path: string }) => s.path).sort(), [
    'logs/config.json',
    'logs/public/robots.txt',
    'logs/public/static/js/app.js',
    'logs/start.sh',
    'logs/template/default/index.html',
  ]);
  for (const s of unknown)
    assert.match(s.problems.join(), /no known log format .*\[OOMS_E_SOURCE_UNKNOWN_FORMAT\]/);
  assert.deepEqual(run.stderr.trim().split('\n'), [
    `oomsleuth: ${dir}: 5 files of no known log format skipped (config.json, public/robots.txt, public/static/js/app.js and 2 more; --json lists each under sources) — if one is a log oomsleuth should read, see docs/formats.md for the formats it knows [OOMS_E_SOURCE_UNKNOWN_FORMAT]`,
  ]);
});

test('a file of no known format given by name keeps its own warning', async (t) => {
  const dir = await folder(t, { syslog: KILL, 'notes.txt': 'shopping list\nmilk\n' });
  const run = await runCli([
    'analyze',
    path.join(dir, 'syslog'),
    path.join(dir, 'notes.txt'),
    '--json',
    '--tz',
    'UTC',
    '--year',
    '2024',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /^oomsleuth: .*notes\.txt: no known log format in its first 2 lines — skipped .*\[OOMS_E_SOURCE_UNKNOWN_FORMAT\]\n$/,
  );
});
