// `oomsleuth doctor` as a user runs it: exit 0 with warnings, 1 with a fail, 2 on bad usage; --json fits the schema;
// and one run on this very machine, which must complete with a status for every check.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, test } from 'node:test';
import type { DoctorReport } from '../../src/doctor/check.js';
import { runCli } from '../helpers/cli.js';
import { fakeRoot } from './fake-root.js';
import { doctorSchemaErrors } from './schema.js';

const roots: string[] = [];
after(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

async function root(changes = {}): Promise<string> {
  const dir = await fakeRoot(changes);
  roots.push(dir);
  return dir;
}

test('a healthy fake machine: exit 0, one aligned line per check', async () => {
  const run = await runCli(['doctor', '/srv/anqicms', '--root', await root()]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split('\n');
  assert.match(
    lines[0]!,
    /^oomsleuth doctor: will the next death of anqicms in \/srv\/anqicms leave evidence\?$/,
  );
  const checks = lines.filter((l) => /^ {2}(?:ok|warn|fail) /.test(l));
  assert.equal(checks.length, 12);
  // The titles are padded to the longest one's width: every `found` starts in the same column.
  const column = '  warn  '.length + 'memory overcommit'.length + 2;
  for (const line of checks) assert.match(line.slice(column - 2, column + 1), /^ {2}\S$/, checks.join('\n'));
  assert.match(run.stdout, /\n12 ok, 0 warn, 0 fail\n$/);
});

test('a warning alone exits 0; its why and fix are printed under it', async () => {
  const run = await runCli(['doctor', '--root', await root({ '/proc/sys/vm/oom_dump_tasks': '0\n' })]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /^ {2}warn {2}OOM task table +vm\.oom_dump_tasks=0: no task table at an OOM kill$/m,
  );
  assert.match(run.stdout, /^ +fix: sysctl -w vm\.oom_dump_tasks=1 /m);
});

test('a fail exits 1, and --json says which', async () => {
  const run = await runCli([
    'doctor',
    '--json',
    '--root',
    await root({ '/proc/sys/vm/panic_on_oom': '1\n' }),
  ]);
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as DoctorReport;
  assert.deepEqual(doctorSchemaErrors(report), []);
  assert.deepEqual(
    report.checks.filter((c) => c.status === 'fail').map((c) => c.id),
    ['vm.panic_on_oom'],
  );
  assert.equal(report.summary.fail, 1);
});

test('bad usage exits 2 with what is wrong: --root not a folder, FOLDER missing', async () => {
  const run = await runCli(['doctor', '/srv/nothing-here', '--root', '/nonexistent-oomsleuth-root']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--root \/nonexistent-oomsleuth-root is not a folder/);
  assert.match(run.stderr, /FOLDER \/srv\/nothing-here is not a folder/);
  assert.equal(run.stdout, '');
});

test('on this machine: doctor completes and every check has a status', async () => {
  const run = await runCli(['doctor', '--json'], { timeoutMs: 30_000 });
  assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as DoctorReport;
  assert.deepEqual(doctorSchemaErrors(report), []);
  assert.equal(report.root, '/');
  assert.ok(report.checks.length >= 10);
  for (const check of report.checks) assert.ok(['ok', 'warn', 'fail'].includes(check.status), check.id);
  assert.equal(run.code, report.summary.fail > 0 ? 1 : 0);
  console.log(report.checks.map((c) => `${c.status} ${c.id}: ${c.found}`).join('\n'));
});
