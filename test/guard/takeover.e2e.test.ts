// End to end: one guard per app (the crontab habit of starting it every minute is safe), --daemon, a guard killed
// and started again (it adopts the orphan), and an app already running outside the guard (watched, then taken over).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  assertBuilt,
  CHILD_SCRIPT,
  cleanEnv,
  lineWith,
  makeSandbox,
  readIncidents,
  readLines,
  waitFor,
} from './support.js';

await assertBuilt();

const pidOf = (line: string | undefined) =>
  line === undefined ? undefined : Number(/pid (?<pid>\d+)/.exec(line)?.groups?.pid);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a second guard for the same app exits at once, quietly, with status 0 (also with --daemon)', async (t) => {
  const box = await makeSandbox('lock');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const first = box.guard([app, CHILD_SCRIPT]);
  const child = await waitFor('the first child', async () =>
    pidOf(lineWith(await readLines(box.checkLog), ' started: pid ')),
  );
  box.track(child);
  for (const extra of [[], ['--daemon']]) {
    const startedAt = Date.now();
    const second = box.guard([app, CHILD_SCRIPT], extra);
    assert.deepEqual(await second.exited, { code: 0, signal: null });
    assert.equal(second.stderr(), '', `stderr of the second guard ${extra.join(' ')}`);
    assert.ok(Date.now() - startedAt < 5000);
  }
  assert.ok(alive(child), 'the first guard’s child must still run');
  const lines = await readLines(box.checkLog);
  assert.equal(lines.filter((l) => l.includes(' started: ')).length, 1, lines.join('\n'));
  first.process.kill('SIGTERM');
  assert.deepEqual(await first.exited, { code: 0, signal: null });
});

test('--daemon detaches: the command returns 0, the guard runs in the background, its pid file stops it', async (t) => {
  const box = await makeSandbox('daemon');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const run = box.guard([app, CHILD_SCRIPT], ['--daemon']);
  assert.deepEqual(await run.exited, { code: 0, signal: null }, run.stderr());
  assert.match(run.stderr(), /guard running in the background \(pid \d+\), anqicms pid \d+/);
  const pidFile = join(dirname(box.checkLog), 'anqicms.guard.pid');
  const guardPid = Number((await readFile(pidFile, 'utf8')).trim());
  box.track(guardPid);
  const child = pidOf(lineWith(await readLines(box.checkLog), ' started: pid ')) ?? 0;
  box.track(child);
  assert.ok(alive(guardPid) && alive(child));
  // Its own session: not in the process group of whoever started it.
  const stat = await readFile(`/proc/${guardPid}/stat`, 'utf8');
  const [, , pgrp, session] = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  assert.equal(Number(pgrp), guardPid);
  assert.equal(Number(session), guardPid);
  process.kill(guardPid, 'SIGTERM');
  await waitFor('the daemon to exit', async () => !alive(guardPid) && !alive(child));
  const [incident] = await readIncidents(box.incidents);
  assert.equal(incident.cause, 'stopped');
  assert.ok(lineWith(await readLines(box.checkLog), ' guard exiting: stopped by SIGTERM'));
  await assert.rejects(readFile(pidFile), /ENOENT/);
});

test('a guard killed with SIGKILL: the next one adopts the orphan, watches it die, and restarts it', async (t) => {
  const box = await makeSandbox('orphan');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const first = box.guard([app, CHILD_SCRIPT]);
  const orphan = await waitFor('the first child', async () =>
    pidOf(lineWith(await readLines(box.checkLog), ' started: pid ')),
  );
  box.track(orphan);
  first.process.kill('SIGKILL');
  await first.exited;
  assert.ok(alive(orphan), 'the child outlives its guard');

  const second = box.guard([app, CHILD_SCRIPT]);
  const adopted = await waitFor('the adoption', async () =>
    lineWith(await readLines(box.checkLog), ' adopted: pid '),
  );
  assert.match(
    adopted,
    new RegExp(
      `anqicms adopted: pid ${orphan}, left running by an earlier guard \\(pid ${first.process.pid}\\)`,
    ),
  );
  await sleep(300);
  const killedAt = Date.now();
  process.kill(orphan, 'SIGKILL');
  const restarted = await waitFor('the restart', async () =>
    pidOf(lineWith(await readLines(box.checkLog), ' restarted: pid ')),
  );
  box.track(restarted);
  const [incident] = await waitFor('the incident', async () => {
    const all = await readIncidents(box.incidents);
    return all.length > 0 ? all : undefined;
  });
  assert.equal(incident.pid, orphan);
  assert.deepEqual(incident.exit, { code: null, signal: null });
  assert.equal(incident.cause, 'unexplained');
  assert.ok(Array.isArray(incident.diedWithin));
  assert.ok(Date.parse(incident.restartedAt) - killedAt < 1500, 'restarted within the poll period and a bit');
  const died = lineWith(await readLines(box.checkLog), ' died: ') ?? '';
  assert.match(
    died,
    new RegExp(`anqicms died: exit status unknown after [\\d.]+s, pid ${orphan} — unexplained`),
  );
  second.process.kill('SIGTERM');
  assert.deepEqual(await second.exited, { code: 0, signal: null }, second.stderr());
});

test('an app already running outside the guard: said so, watched, taken over when it ends; --once refuses', async (t) => {
  const box = await makeSandbox('outside');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  // As the old start.sh does: cd to the binary's directory, nohup it with output appended to running.log.
  const log = await open(box.appLog, 'a');
  const outside = spawn(app, [CHILD_SCRIPT], {
    cwd: dirname(app),
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    env: cleanEnv({ CHILD_PLAN: 'idle' }),
  });
  await log.close();
  const outsidePid = outside.pid ?? 0;
  box.track(outsidePid);
  await waitFor('the outside copy', async () =>
    (await readLines(box.appLog)).some((l) => l.includes('start 1')),
  );

  const once = box.guard([app, CHILD_SCRIPT], ['--once']);
  assert.equal((await once.exited).code, 2);
  assert.match(once.stderr(), new RegExp(`already running outside the guard as pid ${outsidePid}`));

  const guard = box.guard([app, CHILD_SCRIPT]);
  const said = await waitFor('the notice', async () =>
    lineWith(await readLines(box.checkLog), ' running outside the guard: '),
  );
  assert.match(said, new RegExp(`anqicms running outside the guard: pid ${outsidePid} `));
  assert.match(guard.stderr(), /running outside the guard/);
  outside.kill('SIGTERM');
  const restarted = await waitFor('the takeover', async () =>
    pidOf(lineWith(await readLines(box.checkLog), ' restarted: pid ')),
  );
  box.track(restarted);
  assert.notEqual(restarted, outsidePid);
  const [incident] = await waitFor('the incident', async () => {
    const all = await readIncidents(box.incidents);
    return all.length > 0 ? all : undefined;
  });
  assert.equal(incident.pid, outsidePid);
  // It printed `退出 terminated`: someone stopped it, not the guard.
  assert.equal(incident.cause, 'stopped');
  assert.equal(incident.confidence, 'likely');
  guard.process.kill('SIGTERM');
  assert.deepEqual(await guard.exited, { code: 0, signal: null });
});
