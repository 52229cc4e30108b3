// Hostile inputs next to a real kill: each gets a specific message (what, where, fix) and nothing found elsewhere
// is lost. Exit status follows the contract: 0 while anything was readable.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli.js';
import { builtCopyForOtherUsers } from '../helpers/other-user.js';
import { schemaErrors } from '../helpers/schema.js';
import { skipUnlessCi } from '../helpers/skip.js';

const killLine =
  'Jul 23 10:03:47 web1 kernel: Out of memory: Killed process 12345 (anqicms) total-vm:4123456kB, anon-rss:3987654kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:8000kB oom_score_adj:0\n';

function folderWithKill(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oomsleuth-bad-'));
  writeFileSync(join(dir, 'syslog'), `Jul 23 10:00:01 web1 CRON[1]: (root) CMD (/www/start.sh)\n${killLine}`);
  return dir;
}

async function analyzeJson(dir: string) {
  const run = await runCli(['analyze', dir, '--json', '--tz', 'UTC', '--year', '2024']);
  assert.equal(run.code, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  assert.deepEqual(schemaErrors(analysis), []);
  assert.equal(analysis.incidents.length, 1, 'the kill in the good file is still found');
  assert.equal(analysis.incidents[0].pid, 12345);
  return { analysis, stderr: run.stderr };
}

function problemsOf(analysis: { sources: { path: string; problems: string[] }[] }, name: string): string {
  return analysis.sources
    .filter((s) => s.path.endsWith(name))
    .flatMap((s) => s.problems)
    .join('\n');
}

test('binary junk: skipped as unknown, said why', async () => {
  const dir = folderWithKill();
  writeFileSync(
    join(dir, 'core.dump'),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
  );
  const { analysis } = await analyzeJson(dir);
  assert.match(problemsOf(analysis, 'core.dump'), /binary|no known log format/);
});

test('an empty file is named as empty', async () => {
  const dir = folderWithKill();
  writeFileSync(join(dir, 'kern.log'), '');
  const { analysis } = await analyzeJson(dir);
  assert.match(problemsOf(analysis, 'kern.log'), /empty/);
});

test('a 50 MB line is cut, counted and said; the lines around it are read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomsleuth-long-'));
  const fd = openSync(join(dir, 'syslog'), 'w');
  writeSync(fd, 'Jul 23 10:00:00 web1 app[9]: ');
  const block = Buffer.alloc(1024 * 1024, 0x61);
  for (let i = 0; i < 50; i++) writeSync(fd, block);
  writeSync(fd, `\n${killLine}`);
  closeSync(fd);
  const { analysis } = await analyzeJson(dir);
  assert.match(problemsOf(analysis, 'syslog'), /longer than .* cut/);
});

test('NUL bytes, invalid UTF-8, GBK and CRLF around the kill line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomsleuth-bytes-'));
  const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // 你好 in GBK
  writeFileSync(
    join(dir, 'syslog'),
    Buffer.concat([
      Buffer.from('Jul 23 10:00:00 web1 app[9]: \u0000\u0000\u0000 zeroed\r\n'),
      Buffer.from('Jul 23 10:00:01 web1 app[9]: bad utf8 \xff\xfe here\r\n', 'latin1'),
      Buffer.from('Jul 23 10:00:02 web1 app[9]: '),
      gbk,
      Buffer.from('\r\n'),
      Buffer.from(killLine.replace('\n', '\r\n')),
    ]),
  );
  await analyzeJson(dir);
});

test('a truncated gzip keeps the lines before the damage and says so', async () => {
  const dir = folderWithKill();
  const gz = gzipSync(Buffer.from('Jul 22 09:00:00 web1 CRON[1]: (root) CMD (x)\n'.repeat(2000)));
  writeFileSync(join(dir, 'syslog.2.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
  const { analysis } = await analyzeJson(dir);
  assert.match(problemsOf(analysis, 'syslog.2.gz'), /truncated/);
  const source = analysis.sources.find((s: { path: string }) => s.path.endsWith('syslog.2.gz'));
  assert.ok(source.lines > 0, 'lines before the damage are read');
});

test('a journal export with a damaged entry: the entries around it are read, the damaged one is said', async () => {
  const dir = folderWithKill();
  const entry = (message: string, us: number) =>
    JSON.stringify({
      __REALTIME_TIMESTAMP: String(us),
      _BOOT_ID: '66165ab1531d44038417129576ef7791',
      _TRANSPORT: 'journal',
      SYSLOG_IDENTIFIER: 'systemd',
      MESSAGE: message,
    });
  writeFileSync(
    join(dir, 'journal.json'),
    [
      entry('Started anqicms.service.', 1721728800000000),
      '{"__REALTIME_TIMESTAMP":"1721728830000000","_TRANSPORT":"kernel","MESSAGE":"Out of memory: Killed proc',
      entry('anqicms.service: Main process exited, code=killed, status=9/KILL', 1721728860000000),
      '',
    ].join('\n'),
  );
  const { analysis, stderr } = await analyzeJson(dir);
  const source = analysis.sources.find((s: { path: string }) => s.path.endsWith('journal.json'));
  assert.equal(source.format, 'journal-json');
  assert.equal(source.lines, 3);
  assert.match(
    problemsOf(analysis, 'journal.json'),
    /1 line is not a journal-json entry \(line 2\) — skipped/,
  );
  assert.match(stderr, /journal\.json: 1 line is not a journal-json entry/);
});

test('a missing path next to a good one: problem with a suggestion, the rest analysed', async () => {
  const dir = folderWithKill();
  const run = await runCli(['analyze', dir, join(dir, 'sylog'), '--json', '--tz', 'UTC', '--year', '2024']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /sylog: no such file or directory.*did you mean .*syslog/);
  assert.equal(JSON.parse(run.stdout).incidents.length, 1);
});

test('a file without read permission: says so and how to fix it', async (t) => {
  if (!hasUser('nobody') || !hasCommand('setpriv')) {
    skipUnlessCi(t, 'needs the nobody user and setpriv to drop root');
    return;
  }
  const dir = folderWithKill();
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'messages'), killLine);
  chmodSync(join(dir, 'messages'), 0o000);
  chmodSync(join(dir, 'syslog'), 0o644);
  // Nobody must be able to read the CLI it runs: a clone in a 0700 folder is not, so run a copy of the build.
  const copy = await builtCopyForOtherUsers();
  t.after(() => copy.cleanup());
  const cli = copy.cli;
  let stdout = '';
  try {
    stdout = execFileSync(
      'setpriv',
      [
        '--reuid=nobody',
        '--regid=nogroup',
        '--clear-groups',
        process.execPath,
        cli,
        'analyze',
        dir,
        '--json',
        '--tz',
        'UTC',
        '--year',
        '2024',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: copy.root },
    );
  } catch (error) {
    const e = error as { stdout: string; stderr: string; status: number };
    assert.fail(`exit ${e.status}: ${e.stderr}`);
  }
  const analysis = JSON.parse(stdout);
  assert.equal(analysis.incidents.length, 1);
  assert.match(
    problemsOf(analysis, 'messages'),
    /permission denied — run as root or add your user to the adm group/,
  );
});

function hasUser(name: string): boolean {
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
