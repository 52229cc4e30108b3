// Bad input at the command line: every problem reported at once, each with its fix and code, exit 2 — and nothing
// started. --memory-limit where no cgroup can be made is refused, never silently ignored.
import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { memcgAvailable } from '../../src/guard/memcg.js';
import { runCli } from '../helpers/cli.js';
import { builtCopyForOtherUsers } from '../helpers/other-user.js';
import { assertBuilt, CHILD_SCRIPT, makeSandbox, readLines } from './support.js';

await assertBuilt();

const NOBODY = 65534;

// The sandbox is made 0700 by mkdtemp: let nobody in, and let it write the logs and the work folder.
async function openToNobody(box: { logs: string; work: string }): Promise<void> {
  await chmod(dirname(box.logs), 0o755);
  for (const dir of [box.logs, box.work]) await chmod(dir, 0o777);
}

test('a command that does not exist: exit 2, the path, the fix, and nothing written', async (t) => {
  const box = await makeSandbox('missing');
  t.after(() => box.cleanup());
  const run = box.guard([join(box.work, 'bin', 'anqicms')]);
  assert.equal((await run.exited).code, 2);
  assert.match(run.stderr(), /COMMAND .*bin\/anqicms: .*bin\/anqicms does not exist — check the path/);
  assert.match(run.stderr(), /OOMS_E_GUARD_COMMAND_NOT_FOUND|guard: COMMAND/);
  assert.deepEqual(await readLines(box.checkLog), []);
});

test('a bare command name not in PATH, and a file without the x bit', async (t) => {
  const box = await makeSandbox('noexec');
  t.after(() => box.cleanup());
  const bare = box.guard(['no-such-program-oomsleuth']);
  assert.equal((await bare.exited).code, 2);
  assert.match(bare.stderr(), /no-such-program-oomsleuth: not found in PATH — give its path/);
  const script = join(box.work, 'bin', 'start-me');
  await writeFile(script, '#!/bin/sh\nexit 0\n');
  await chmod(script, 0o644);
  const noexec = box.guard([script]);
  assert.equal((await noexec.exited).code, 2);
  assert.match(noexec.stderr(), /is not executable — chmod \+x /);
});

test('every problem at once: missing --cwd, unwritable log directory, bad durations and sizes', async (t) => {
  const box = await makeSandbox('many');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const run = box.guard(
    [app, CHILD_SCRIPT],
    [
      '--cwd',
      join(box.work, 'nowhere'),
      '--incidents',
      join(box.work, 'no-dir', 'incidents.jsonl'),
      '--stop-timeout',
      '10',
      '--sample-interval',
      'soon',
      '--memory-limit',
      '12Q',
      '--max-restarts',
      '-1',
      '--name',
      'two words',
    ],
  );
  assert.equal((await run.exited).code, 2);
  const text = run.stderr();
  for (const expected of [
    /guard cannot start:/,
    /--stop-timeout "10" is not a duration: use a number with a unit, e\.g\. 200ms, 5s, 1m, 1h \[OOMS_E_USAGE\]/,
    /--sample-interval "soon" is not a duration/,
    /--memory-limit "12Q" is not a size: e\.g\. 512M, 2G/,
    /--max-restarts "-1" must be a whole number/,
    /--name "two words" must be one word/,
    /working directory .*nowhere does not exist — create it or correct --cwd \[OOMS_E_GUARD_CWD_MISSING\]/,
    /--incidents .*no-dir\/incidents\.jsonl: directory .*no-dir does not exist .* \[OOMS_E_GUARD_LOG_UNWRITABLE\]/,
  ]) {
    assert.match(text, expected);
  }
});

test('a log file in a directory the guard may not write', {
  skip: process.getuid?.() !== 0 && 'needs root to drop to nobody',
}, async (t) => {
  const box = await makeSandbox('readonly');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const readonly = join(box.work, 'readonly');
  await mkdir(readonly, { mode: 0o755 });
  await openToNobody(box);
  // Nobody must be able to read the CLI it runs: a clone in a 0700 folder is not, so run a copy of the build.
  const copy = await builtCopyForOtherUsers();
  t.after(() => copy.cleanup());
  const run = box.guard([app, CHILD_SCRIPT], ['--check-log', join(readonly, 'check.log')], {
    uid: NOBODY,
    cli: copy.cli,
  });
  assert.equal((await run.exited).code, 2);
  // The pid file goes next to check.log by default: both are refused.
  const problems = run.stderr().trim().split('\n');
  assert.deepEqual(problems, [
    'oomsleuth: guard cannot start:',
    `  - --check-log ${join(readonly, 'check.log')}: directory ${readonly} is not writable — create the directory, fix its permissions, or choose another path [OOMS_E_GUARD_LOG_UNWRITABLE]`,
    `  - --pid-file ${join(readonly, 'anqicms.guard.pid')}: directory ${readonly} is not writable — create the directory, fix its permissions, or choose another path [OOMS_E_GUARD_LOG_UNWRITABLE]`,
  ]);
});

test('--memory-limit where no memory cgroup can be made is refused, with the fix', async (t) => {
  const box = await makeSandbox('nocgroup');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const root = process.getuid?.() === 0;
  if (!root && (await memcgAvailable()).ok) {
    t.skip('this user can make memory cgroups and is not root: nothing to refuse');
    return;
  }
  // As root, run the guard as nobody, who may not write the memory cgroups.
  await openToNobody(box);
  const copy = root ? await builtCopyForOtherUsers() : null;
  if (copy) t.after(() => copy.cleanup());
  const run = box.guard(
    [app, CHILD_SCRIPT],
    ['--memory-limit', '64M'],
    copy ? { uid: NOBODY, cli: copy.cli } : {},
  );
  assert.equal((await run.exited).code, 2);
  assert.match(
    run.stderr(),
    /^oomsleuth: guard: --memory-limit 64M cannot be applied: .*(not root|no memory cgroup controller|not writable).*refused rather than ignored/,
  );
  assert.deepEqual(await readLines(box.checkLog), []);
});

test('guard without COMMAND, or with an unknown option: usage error, exit 2', async () => {
  const none = await runCli(['guard']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /missing required argument 'command'/);
  const unknown = await runCli(['guard', '--frobnicate', '--', '/bin/true']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option '--frobnicate'/);
});
