// The guard cannot start: a log or pid file on a kernel filesystem (/proc, /sys), a full disk under the pid file. Each
// is a coded message saying what failed, the path and the fix, with exit 2 — never an internal error (exit 70).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { skipUnlessCi } from '../helpers/skip.js';
import { assertBuilt, CHILD_SCRIPT, makeSandbox } from './support.js';

await assertBuilt();

test('--check-log /proc/version: exit 2, the path, a kernel filesystem, the fix; no child started', async (t) => {
  const box = await makeSandbox('proc');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const run = box.guard([app, CHILD_SCRIPT], ['--check-log', '/proc/version']);
  const { code } = await run.exited;
  assert.doesNotMatch(run.stderr(), /internal error/);
  assert.equal(code, 2, run.stderr());
  assert.match(run.stderr(), /--check-log \/proc\/version: .*\/proc.*kernel.*choose/);
  assert.match(run.stderr(), /OOMS_E_GUARD_LOG_UNWRITABLE/);
  // The default pid file would sit next to it, in /proc as well: said too.
  assert.match(run.stderr(), /--pid-file \/proc\/anqicms\.guard\.pid/);
});

test('ENOSPC on the pid file: exit 2, what failed, the path, the fix', async (t) => {
  const box = await makeSandbox('enospc');
  let mounted = false;
  // Unmounted before the sandbox is removed (hooks run in the order they were added).
  t.after(async () => {
    if (mounted) execFileSync('umount', [full]);
    await box.cleanup();
  });
  const full = join(box.work, 'full');
  await mkdir(full);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'oomsleuth-enospc', full], { stdio: 'ignore' });
    mounted = true;
  } catch {
    skipUnlessCi(t, 'mounting a tiny tmpfs needs root');
    return;
  }
  // Fill it: the one 4 KiB page it has.
  await writeFile(join(full, 'fill'), Buffer.alloc(4096)).catch(() => undefined);
  const pidFile = join(full, 'anqicms.guard.pid');
  const app = await box.app('anqicms');
  const run = box.guard([app, CHILD_SCRIPT], ['--pid-file', pidFile]);
  const { code } = await run.exited;
  assert.doesNotMatch(run.stderr(), /internal error/);
  assert.equal(code, 2, run.stderr());
  assert.match(run.stderr(), new RegExp(`pid file ${pidFile}.*no space left on device.*free`, 'i'));
  assert.match(run.stderr(), /OOMS_E_GUARD_LOG_UNWRITABLE/);
  assert.ok(!(await readdir(full)).includes('anqicms.guard.pid'), 'no empty pid file left behind');
});

test('--pid-file naming a device (/dev/null): refused at start, the guard would remove it when it exits', async (t) => {
  const box = await makeSandbox('pid-device');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  // A private null device, so a regression cannot remove the machine's own /dev/null.
  const nullDevice = join(box.work, 'null');
  try {
    execFileSync('mknod', ['-m', '666', nullDevice, 'c', '1', '3'], { stdio: 'ignore' });
  } catch {
    skipUnlessCi(t, 'making a device node needs root');
    return;
  }
  const run = box.guard([app, CHILD_SCRIPT], ['--once', '--pid-file', nullDevice], { plan: 'exit:0' });
  assert.equal((await run.exited).code, 2, run.stderr());
  assert.match(run.stderr(), /--pid-file .*\/null: is not a regular file .*OOMS_E_GUARD_LOG_UNWRITABLE/);
  assert.ok((await stat(nullDevice)).isCharacterDevice(), 'the device is still there');
});
