// `oomsleuth guard status|restart|logs|stop` against a real supervised child: the built CLI talks to a running guard
// over its lock socket. A restart asked for is a deliberate stop (recorded `stopped`, no backoff, counted apart from
// the restarts after a death); stop ends the guard and its child and removes its files. Needs Linux, not root.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, appendFile, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { GuardStatusReport } from '../../src/guard/control.js';
import { lockName } from '../../src/guard/lock.js';
import { isProcessAlive } from '../../src/guard/proc-stat.js';
import { CLI, runCli } from '../helpers/cli.js';
import {
  assertBuilt,
  CHILD_SCRIPT,
  lineWith,
  makeSandbox,
  readIncidents,
  readLines,
  waitFor,
} from './support.js';

await assertBuilt();

async function status(folder: string): Promise<GuardStatusReport> {
  const run = await runCli(['guard', 'status', folder, '--json'], { timeoutMs: 10_000 });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as GuardStatusReport;
}

test('status, restart, a death, logs, stop: driving a running guard', async (t) => {
  const box = await makeSandbox('control');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  // Start 1 idles; start 2 (the restart asked for) exits 3 after a moment; start 3 idles.
  const guard = box.guard([app, CHILD_SCRIPT], [], { plan: 'idle,exit:3,idle' });
  const firstPid = await waitFor('the first start', async () => {
    const line = lineWith(await readLines(box.checkLog), ' anqicms started: pid ');
    return line === undefined ? undefined : Number(/pid (?<pid>\d+)/.exec(line)?.groups?.pid);
  });
  const pidFile = join(box.logs, 'anqicms.guard.pid');
  assert.equal((await stat(`${pidFile}.key`)).mode & 0o777, 0o600, 'the key is readable by its owner only');

  // status: the app's pid, its memory now, no restarts yet.
  await waitFor('a memory sample', async () => (await status(box.logs)).life?.lastSample != null);
  const first = await status(box.logs);
  assert.equal(first.name, 'anqicms');
  assert.equal(first.state, 'running');
  assert.equal(first.guardPid, guard.process.pid);
  assert.equal(first.life?.pid, firstPid);
  assert.equal(first.life?.kind, 'child');
  assert.ok((first.rssKbNow ?? 0) > 1000, `rss now: ${first.rssKbNow}`);
  assert.match(first.life?.trend ?? '', /^rss (steady at|rose|fell) /);
  assert.deepEqual([first.restarts, first.requestedRestarts, first.lastDeath], [0, 0, null]);
  const text = await runCli(['guard', 'status'], { cwd: box.logs });
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    /^anqicms guard: running \(guard pid \d+, up [\d.]+s\)\n {2}app: {8}pid \d+, up /,
  );
  assert.match(text.stdout, /\n {2}memory: {5}rss [\d.]+ MiB now; rss /);

  // restart: a deliberate stop, then a new life at once.
  const restart = await runCli(['guard', 'restart', '--name', 'anqicms', box.logs], { timeoutMs: 30_000 });
  assert.equal(restart.code, 0, restart.stderr);
  const restarted = /restarted: pid (?<old>\d+) stopped, pid (?<new>\d+) running/.exec(
    restart.stdout,
  )?.groups;
  assert.equal(Number(restarted?.old), firstPid);
  assert.ok(!isProcessAlive(firstPid));
  const lines = await readLines(box.checkLog);
  assert.ok(lineWith(lines, ` anqicms stopping: SIGTERM to pid ${firstPid} (oomsleuth guard restart)`));
  assert.match(lineWith(lines, ` pid ${firstPid} — `) ?? '', /— stopped \(confirmed\): /);
  // No backoff: a restart asked for is not a death in a crash loop.
  assert.match(
    lineWith(lines, ` anqicms restarted: pid ${restarted?.new} `) ?? '',
    /\(\d[\d.]*s after the death\)$/,
  );

  // Start 2 exits 3: a death of its own, restarted and counted as such.
  await waitFor(
    'the death of start 2',
    async () => (await status(box.logs)).lastDeath?.pid === Number(restarted?.new),
  );
  const after = await waitFor('start 3', async () => {
    const s = await status(box.logs);
    return s.state === 'running' && s.life?.pid !== Number(restarted?.new) ? s : undefined;
  });
  assert.equal(after.requestedRestarts, 1);
  assert.equal(after.restarts, 1);
  assert.equal(after.lastDeath?.requested, false);
  assert.equal(after.lastDeath?.exit, 'exit code 3');
  const incidents = await readIncidents(box.incidents);
  assert.equal(incidents.find((i) => i.pid === firstPid)?.cause, 'stopped');

  // logs: the end of running.log; -f prints what is written next.
  await waitFor('start 3 ready', async () =>
    (await readLines(box.appLog)).some((l) => l.includes('Press CTRL+C')),
  );
  const logs = await runCli(['guard', 'logs', box.logs, '-n', '2']);
  assert.equal(logs.code, 0, logs.stderr);
  assert.deepEqual(logs.stdout.split('\n').filter(Boolean), (await readLines(box.appLog)).slice(-2));
  const follow = spawn(process.execPath, [CLI, 'guard', 'logs', '-f', '-n', '0', box.logs]);
  let followed = '';
  follow.stdout.setEncoding('utf8').on('data', (d: string) => {
    followed += d;
  });
  const followEnded = new Promise<number | null>((resolve) => follow.on('close', resolve));
  t.after(() => follow.kill('SIGKILL'));
  // Written until seen: a line written before the follower has started is (rightly) not new to it.
  let written = 0;
  await waitFor('a followed line', async () => {
    if (followed.includes('a line written while followed')) return true;
    if (written++ % 6 === 0) await appendFile(box.appLog, `a line written while followed (${written})\n`);
    return false;
  });
  assert.doesNotMatch(followed, /Press CTRL\+C/, '-n 0: nothing of the past');
  follow.kill('SIGINT');
  assert.equal(await followEnded, 0);

  // stop: the guard and the app end; its files go.
  const stop = await runCli(['guard', 'stop', box.logs], { timeoutMs: 30_000 });
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, new RegExp(`guard stopped; the app \\(pid ${after.life?.pid}\\) stopped`));
  assert.deepEqual(await guard.exited, { code: 0, signal: null });
  assert.ok(!isProcessAlive(after.life!.pid));
  for (const file of [pidFile, `${pidFile}.key`, `${pidFile}.child`]) {
    await assert.rejects(access(file), `${file} is removed`);
  }
  assert.ok(
    lineWith(await readLines(box.checkLog), ' anqicms guard exiting: stopped by oomsleuth guard stop'),
  );
  const none = await runCli(['guard', 'status', box.logs]);
  assert.equal(none.code, 3, none.stderr);
  assert.match(none.stderr, /no guard pid file .* \[OOMS_E_GUARD_NOT_RUNNING\]/);
});

test('a request without the key is refused: anyone can reach the socket, not everyone may drive the guard', async (t) => {
  const box = await makeSandbox('control-key');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const guard = box.guard([app, CHILD_SCRIPT], [], { plan: 'idle' });
  await waitFor('the start', async () => lineWith(await readLines(box.checkLog), ' anqicms started: pid '));
  const socket = connect({ path: lockName(join(box.logs, 'anqicms.guard.pid')) });
  let reply = '';
  socket.setEncoding('utf8').on('data', (d: string) => {
    reply += d;
  });
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`${JSON.stringify({ key: 'guessed', op: 'stop' })}\n`);
  await new Promise((resolve) => socket.once('close', resolve));
  assert.deepEqual(JSON.parse(reply), {
    ok: false,
    error: 'wrong key: run as the user the guard runs as (or root)',
  });
  assert.equal(guard.process.exitCode, null, 'the guard still runs');
  assert.equal((await status(box.logs)).state, 'running');
});
