// check.log stays in time order while a death is being judged: the `died:` line (stamped when the child died) and the
// `restarted:` line come before the heartbeats written meanwhile, and a SIGKILL the guard sent itself is judged at
// once (no 2 s wait for a kernel `Killed process` record that cannot come).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertBuilt, CHILD_SCRIPT, lineWith, makeSandbox, readLines, waitFor } from './support.js';

await assertBuilt();

/** `YYYYMMDD HH:MM:SS`: sorts as text. */
const stampOf = (line: string) => line.slice(0, 17);

function assertInTimeOrder(lines: readonly string[]): void {
  for (let i = 1; i < lines.length; i++) {
    assert.ok(
      stampOf(lines[i - 1]!) <= stampOf(lines[i]!),
      `check.log out of time order at line ${i + 1}:\n${lines.join('\n')}`,
    );
  }
}

test('a SIGKILL the guard sent at --stop-timeout: judged at once, the died line before any later heartbeat', async (t) => {
  const box = await makeSandbox('order-stop');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const guard = box.guard([app, CHILD_SCRIPT], ['--stop-timeout', '300ms'], { plan: 'stubborn' });
  await waitFor('the child to be up', async () =>
    (await readLines(box.appLog)).some((l) => l.includes('start 1')),
  );
  const stopAt = Date.now();
  guard.process.kill('SIGTERM');
  assert.deepEqual(await guard.exited, { code: 0, signal: null }, guard.stderr());
  const took = Date.now() - stopAt;
  // 300 ms of grace, then the verdict: not the 2 s a kill from elsewhere waits for the kernel's record.
  assert.ok(took < 1500, `the guard took ${took} ms to stop`);
  const lines = await readLines(box.checkLog);
  assert.match(lineWith(lines, ' died: ') ?? '', /SIGKILL after [\d.]+s without exiting/);
  assertInTimeOrder(lines);
});

test('a SIGKILL from elsewhere: heartbeats during the wait for the kernel record come after died and restarted', {
  timeout: 30_000,
}, async (t) => {
  const box = await makeSandbox('order-kill');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  // Heartbeats every second, so several fall inside the 2 s wait for a kernel record.
  const guard = box.guard([app, CHILD_SCRIPT], [], { plan: 'sigkill:300,idle' });
  await waitFor(
    'the restart and a few heartbeats after the verdict',
    async () => {
      const lines = await readLines(box.checkLog);
      const died = lines.findIndex((l) => l.includes(' died: '));
      return died >= 0 && lines.length >= died + 4;
    },
    15_000,
  );
  guard.process.kill('SIGTERM');
  assert.deepEqual(await guard.exited, { code: 0, signal: null }, guard.stderr());
  const lines = await readLines(box.checkLog);
  const died = lines.findIndex((l) => l.includes(' died: signal SIGKILL'));
  const restarted = lines.findIndex((l) => l.includes(' restarted: pid '));
  assert.ok(died >= 0 && restarted === died + 1, lines.join('\n'));
  assertInTimeOrder(lines);
});
