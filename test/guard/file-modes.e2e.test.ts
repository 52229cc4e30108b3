// The guard's evidence cannot be forged by other users: check.log, running.log and the incidents file are created
// 0640 whatever the umask (0666 under umask 000 before), an existing one that others may write loses those write bits
// (never widened), and with --user/--group the child runs unprivileged while the guard keeps root and owns the logs.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { CLI } from '../helpers/cli.js';
import { builtCopyForOtherUsers } from '../helpers/other-user.js';
import { skipUnlessCi } from '../helpers/skip.js';
import {
  assertBuilt,
  CHILD_SCRIPT,
  cleanEnv,
  lineWith,
  makeSandbox,
  readLines,
  type Sandbox,
  waitFor,
} from './support.js';

await assertBuilt();

const NOBODY = 65534;

/** `oomsleuth guard` started under `umask 000` (the sandbox's runner cannot set a umask). */
function guardUnderUmask000(
  box: Sandbox,
  command: readonly string[],
  args: readonly string[] = [],
): { process: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      'umask 000 && exec "$0" "$@"',
      process.execPath,
      CLI,
      'guard',
      '--check-log',
      box.checkLog,
      '--app-log',
      box.appLog,
      '--incidents',
      box.incidents,
      '--check-interval',
      '1s',
      ...args,
      '--',
      ...command,
    ],
    {
      cwd: box.work,
      env: cleanEnv({ CHILD_STATE: box.state, CHILD_PLAN: 'exit:0' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, exited, stderr: () => stderr };
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

test('under umask 000, check.log, running.log and the incidents file are created 0640', async (t) => {
  const box = await makeSandbox('umask');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const run = guardUnderUmask000(box, [app, CHILD_SCRIPT], ['--once']);
  assert.equal(await run.exited, 0, run.stderr());
  for (const file of [box.checkLog, box.appLog, box.incidents]) {
    assert.equal((await modeOf(file)).toString(8), '640', file);
  }
});

test('an existing log others may write loses those write bits; a tighter one is left as it is', async (t) => {
  const box = await makeSandbox('existing');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  await writeFile(box.checkLog, '20240723 10:04:01 anqicms PID check: 1\n');
  await chmod(box.checkLog, 0o666);
  await writeFile(box.appLog, '');
  await chmod(box.appLog, 0o600);
  const run = guardUnderUmask000(box, [app, CHILD_SCRIPT], ['--once']);
  assert.equal(await run.exited, 0, run.stderr());
  assert.equal((await modeOf(box.checkLog)).toString(8), '644', 'read bits kept, write bits of others gone');
  assert.equal((await modeOf(box.appLog)).toString(8), '600', 'never widened');
  assert.match(
    await readFile(box.checkLog, 'utf8'),
    /^20240723 10:04:01 anqicms PID check: 1\n/,
    'nothing lost',
  );
});

test('--app-log to a null device: output thrown away, and the device keeps its mode 0666', async (t) => {
  const box = await makeSandbox('devnull');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  // A private null device (same major/minor as /dev/null), so a regression cannot chmod the machine's own.
  const nullDevice = join(box.work, 'null');
  try {
    execFileSync('mknod', ['-m', '666', nullDevice, 'c', '1', '3'], { stdio: 'ignore' });
  } catch {
    skipUnlessCi(t, 'making a device node needs root');
    return;
  }
  const run = guardUnderUmask000(box, [app, CHILD_SCRIPT], ['--once', '--app-log', nullDevice]);
  assert.equal(await run.exited, 0, run.stderr());
  assert.equal((await modeOf(nullDevice)).toString(8), '666');
});

test('--user nobody --group nogroup: the child runs as nobody, the guard stays root, the logs are root:nogroup 0640', {
  timeout: 30_000,
}, async (t) => {
  if (process.getuid?.() !== 0) {
    skipUnlessCi(t, 'running a child as nobody needs root');
    return;
  }
  const box = await makeSandbox('user');
  t.after(() => box.cleanup());
  // nobody must reach the child's script and folder: a copy it can read, and the sandbox opened to it.
  const copy = await builtCopyForOtherUsers([CHILD_SCRIPT]);
  t.after(() => copy.cleanup());
  await chmod(dirname(box.logs), 0o755);
  await chmod(box.work, 0o777);
  await chmod(`${box.work}/bin`, 0o755);
  const app = await box.app('anqicms');
  const guard = box.guard([app, copy.fixtures['child.mjs']!], ['--user', 'nobody', '--group', 'nogroup'], {
    plan: 'idle',
  });
  const pid = await waitFor('the child', async () => {
    const line = lineWith(await readLines(box.checkLog), ' anqicms started: pid ');
    return line ? Number(/pid (?<pid>\d+)/.exec(line)?.groups?.pid) : undefined;
  });
  box.track(pid);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  assert.match(status, /^Uid:\s+65534\s+65534\s+65534\s+65534$/m, 'the child runs as nobody');
  assert.match(status, /^Gid:\s+65534\s+65534\s+65534\s+65534$/m, 'in nogroup');
  assert.match(status, /^Groups:\s*$/m, "none of root's supplementary groups");
  const guardStatus = await readFile(`/proc/${guard.process.pid}/status`, 'utf8');
  assert.match(guardStatus, /^Uid:\s+0\s+0\s+0\s+0$/m, 'the guard keeps root');
  await waitFor('the child to be up', async () =>
    (await readLines(box.appLog)).some((l) => l.includes('start 1')),
  );
  guard.process.kill('SIGTERM');
  assert.deepEqual(await guard.exited, { code: 0, signal: null }, guard.stderr());
  for (const file of [box.checkLog, box.appLog, box.incidents]) {
    const info = await stat(file);
    assert.equal(info.uid, 0, `${file} owned by root`);
    assert.equal(info.gid, NOBODY, `${file} readable by the app's group`);
    assert.equal((info.mode & 0o777).toString(8), '640', file);
  }
});

test('--user with an unknown name: exit 2, what is wrong and how to fix it', async (t) => {
  const box = await makeSandbox('nouser');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const run = box.guard(
    [app, CHILD_SCRIPT],
    ['--user', 'no-such-user-oomsleuth', '--group', 'no-such-group-oomsleuth'],
  );
  assert.equal((await run.exited).code, 2, run.stderr());
  assert.match(
    run.stderr(),
    /--user no-such-user-oomsleuth: no such user in \/etc\/passwd — .*\[OOMS_E_USAGE\]/,
  );
  assert.match(
    run.stderr(),
    /--group no-such-group-oomsleuth: no such group in \/etc\/group — .*\[OOMS_E_USAGE\]/,
  );
  assert.deepEqual(await readLines(box.checkLog), [], 'nothing started');
});
