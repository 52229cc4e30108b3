// check.log is read by people (`tail -f`, `cat`): a death line quoting the app's last words or a kernel record writes
// them as text, without the control characters and escape sequences they may carry; the echo on stderr too.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CheckLog } from '../../src/guard/check-log.js';

test('a line with escape sequences is written, and echoed, as text', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-checklog-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const echoed: string[] = [];
  const log = new CheckLog(
    join(dir, 'check.log'),
    () => undefined,
    (line) => echoed.push(line),
  );
  const at = new Date(2024, 6, 23, 10, 4, 1).getTime();
  await log.append(
    at,
    'anqicms died: exit code 2 — crash (confirmed): panic: \x1b]8;;http://evil\x07boom\x1b[2J\x07',
  );
  await log.reserve().fill(at, 'anqicms restarted: pid 2\r\nforged 20240723 10:04:01 anqicms PID check: 1');
  const text = await readFile(join(dir, 'check.log'), 'utf8');
  assert.equal(
    text,
    '20240723 10:04:01 anqicms died: exit code 2 — crash (confirmed): panic: boom\n' +
      '20240723 10:04:01 anqicms restarted: pid 2 forged 20240723 10:04:01 anqicms PID check: 1\n',
  );
  assert.ok(echoed.every((l) => !/[\x00-\x1f]/.test(l)));
});
