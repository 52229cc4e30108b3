// The guard's options, validated at the edge: defaults, paths, and every problem reported together.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OomsleuthError } from '../../src/errors.js';
import { loadGuardConfig, resolveCommand } from '../../src/guard/guard-config.js';

async function sandbox(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-guard-config-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'app'));
  const app = join(dir, 'app', 'anqicms');
  await writeFile(app, '#!/bin/sh\n');
  await chmod(app, 0o755);
  return { dir, app };
}

test('defaults: name and cwd from the command, check.log and running.log here, pid file next to check.log', async (t) => {
  const { dir, app } = await sandbox(t);
  const config = await loadGuardConfig(['./app/anqicms', '-port', '8001'], {}, dir, { PATH: '' });
  assert.equal(config.command, app);
  assert.deepEqual(config.args, ['-port', '8001']);
  assert.deepEqual(config.commandLine, ['./app/anqicms', '-port', '8001']);
  assert.equal(config.name, 'anqicms');
  assert.equal(config.cwd, join(dir, 'app'));
  assert.equal(config.checkLog, join(dir, 'check.log'));
  assert.equal(config.appLog, join(dir, 'running.log'));
  assert.equal(config.pidFile, join(dir, 'anqicms.guard.pid'));
  assert.equal(config.incidents, null);
  assert.equal(config.memoryLimitBytes, null);
  assert.deepEqual(
    [
      config.checkIntervalMs,
      config.sampleIntervalMs,
      config.sampleWindowMs,
      config.warnBeforeMs,
      config.stopTimeoutMs,
      config.stableAfterMs,
    ],
    [60_000, 5000, 3_600_000, 600_000, 10_000, 60_000],
  );
  assert.equal(config.maxRestarts, null);
  assert.ok(Object.isFrozen(config));
});

test('flags: sizes, durations, counts, paths relative to where the guard starts', async (t) => {
  const { dir, app } = await sandbox(t);
  const config = await loadGuardConfig(
    [app],
    {
      name: 'site',
      checkLog: 'logs-check.log',
      checkInterval: '1s',
      sampleInterval: '200ms',
      sampleWindow: '10m',
      warnBefore: '0',
      stopTimeout: '3s',
      stableAfter: '30s',
      maxRestarts: '5',
      daemon: true,
    },
    dir,
  );
  assert.equal(config.name, 'site');
  assert.equal(config.checkLog, join(dir, 'logs-check.log'));
  assert.equal(config.pidFile, join(dir, 'site.guard.pid'));
  assert.deepEqual(
    [
      config.checkIntervalMs,
      config.sampleIntervalMs,
      config.sampleWindowMs,
      config.warnBeforeMs,
      config.stopTimeoutMs,
      config.stableAfterMs,
    ],
    [1000, 200, 600_000, 0, 3000, 30_000],
  );
  assert.equal(config.maxRestarts, 5);
  assert.equal(config.daemon, true);
});

test('a bare name is looked up in PATH, like execvp', async (t) => {
  const { dir, app } = await sandbox(t);
  assert.deepEqual(await resolveCommand('anqicms', dir, `/nonexistent:${join(dir, 'app')}`), {
    path: app,
    problem: null,
  });
  const missing = await resolveCommand('anqicms', dir, '/nonexistent');
  assert.equal(missing.path, null);
});

test('the command through a symlink keeps the symlink’s name (the kernel names the process after it)', async (t) => {
  const { dir } = await sandbox(t);
  await symlink(process.execPath, join(dir, 'app', 'site'));
  const config = await loadGuardConfig(['./app/site'], {}, dir);
  assert.equal(config.command, join(dir, 'app', 'site'));
  assert.equal(config.name, 'site');
});

test('every problem in one error, flag problems first, each with its code', async (t) => {
  const { dir } = await sandbox(t);
  const error = await loadGuardConfig(
    ['./app/missing'],
    {
      checkInterval: '500ms',
      sampleInterval: '5',
      warnBefore: '500ms',
      memoryLimit: '1M',
      once: true,
      daemon: true,
      appLog: join(dir, 'nope', 'r.log'),
    },
    dir,
  ).then(
    () => assert.fail('accepted'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof OomsleuthError);
  assert.equal(error.code, 'OOMS_E_USAGE');
  const lines = error.message.split('\n');
  assert.equal(lines[0], 'guard cannot start:');
  const text = error.message;
  assert.match(
    text,
    /COMMAND \.\/app\/missing: .*does not exist — check the path \[OOMS_E_GUARD_COMMAND_NOT_FOUND\]/,
  );
  assert.match(text, /--check-interval 500ms is too short: at least 1s \[OOMS_E_USAGE\]/);
  assert.match(text, /--sample-interval "5" is not a duration/);
  assert.match(text, /--warn-before 500ms is too short: at least 1s, or 0 to turn it off/);
  assert.match(text, /--memory-limit 1M is too small: at least 4M/);
  assert.match(text, /--once and --daemon do not go together/);
  assert.match(
    text,
    /--app-log .*nope\/r\.log: directory .*nope does not exist .*\[OOMS_E_GUARD_LOG_UNWRITABLE\]/,
  );
  assert.ok(
    lines.findIndex((l) => l.includes('OOMS_E_USAGE')) < lines.findIndex((l) => l.includes('OOMS_E_GUARD_')),
  );
});

test('a single problem keeps its own code', async (t) => {
  const { dir } = await sandbox(t);
  const error = await loadGuardConfig(['./app/anqicms'], { cwd: 'nowhere' }, dir).catch((e: unknown) => e);
  assert.ok(error instanceof OomsleuthError);
  assert.equal(error.code, 'OOMS_E_GUARD_CWD_MISSING');
  assert.match(
    error.message,
    /^guard: working directory .*nowhere does not exist — create it or correct --cwd \[OOMS_E_GUARD_CWD_MISSING\]$/,
  );
});
