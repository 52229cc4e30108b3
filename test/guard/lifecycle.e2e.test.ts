// End to end: the built `oomsleuth guard` supervising the test child through the deaths it must tell apart — a Go
// panic, a runtime OOM, a SIGKILL nobody explains, its own stop (SIGTERM first) — and a crash loop (growing delays,
// --max-restarts), with the restart latency measured. Needs Linux, not root.
import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyExitLineRecognised } from './check-line-readback.js';
import {
  assertBuilt,
  CHECK_LINE,
  CHILD_SCRIPT,
  lineWith,
  makeSandbox,
  median,
  readIncidents,
  readLines,
  waitFor,
} from './support.js';

await assertBuilt();

test('guard --once: a child printing a Go panic and exiting 2 is a crash; the guard exits 2', async (t) => {
  const box = await makeSandbox('panic');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const guard = box.guard([app, CHILD_SCRIPT], ['--once'], { plan: 'panic' });
  const exit = await guard.exited;
  assert.deepEqual(exit, { code: 2, signal: null }, guard.stderr());
  const [incident] = await readIncidents(box.incidents);
  assert.equal(incident.cause, 'crash');
  assert.equal(incident.confidence, 'confirmed');
  assert.deepEqual(incident.exit, { code: 2, signal: null });
  assert.equal(incident.restartedAt, null);
  assert.ok(
    incident.evidence.some(
      (e: { text: string }) =>
        e.text === 'panic: runtime error: invalid memory address or nil pointer dereference',
    ),
  );
  const lines = await readLines(box.checkLog);
  const died = lineWith(lines, ' anqicms died: ') ?? '';
  assert.match(
    died,
    / anqicms died: exit code 2 after [\d.]+s, pid \d+ — crash \(confirmed\): panic: runtime error: invalid memory address/,
  );
  classifyExitLineRecognised(died, { pid: incident.pid, code: 2, signal: null });
  assert.ok(lineWith(lines, ' anqicms guard exiting: --once: the child ended, exit status 2'));
});

test('guard --once: `fatal error: runtime: out of memory` is a runtime-oom, not a crash', async (t) => {
  const box = await makeSandbox('runtime-oom');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const guard = box.guard([app, CHILD_SCRIPT], ['--once'], { plan: 'runtime-oom' });
  assert.deepEqual(await guard.exited, { code: 2, signal: null }, guard.stderr());
  const [incident] = await readIncidents(box.incidents);
  assert.equal(incident.cause, 'runtime-oom');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.oom, null);
  const died = lineWith(await readLines(box.checkLog), ' died: ') ?? '';
  assert.match(died, /— runtime-oom \(confirmed\): fatal error: runtime: out of memory/);
});

test('guard --once: a SIGKILL with no kernel OOM record is unexplained, and says what is missing', async (t) => {
  const box = await makeSandbox('sigkill');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const guard = box.guard([app, CHILD_SCRIPT], ['--once'], { plan: 'sigkill:300' });
  assert.deepEqual(await guard.exited, { code: 137, signal: null }, guard.stderr());
  const [incident] = await readIncidents(box.incidents);
  assert.deepEqual(incident.exit, { code: null, signal: 'SIGKILL' });
  assert.equal(incident.cause, 'unexplained');
  assert.deepEqual(incident.missing, ['kernel-log']);
  const died = lineWith(await readLines(box.checkLog), ' died: ') ?? '';
  assert.match(died, / died: signal SIGKILL after [\d.]+s, pid \d+ — unexplained \(possible\): /);
});

test('SIGTERM to the guard: the child gets SIGTERM first, the death is `stopped`, the guard exits 0', async (t) => {
  const box = await makeSandbox('sigterm');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const guard = box.guard([app, CHILD_SCRIPT], [], { plan: 'idle' });
  const pid = await waitFor('the child', async () => {
    const line = lineWith(await readLines(box.checkLog), ' anqicms started: pid ');
    return line ? Number(/pid (?<pid>\d+)/.exec(line)?.groups?.pid) : undefined;
  });
  box.track(pid);
  await waitFor('the child to be up', async () =>
    (await readLines(box.appLog)).some((l) => l.includes('start 1')),
  );
  guard.process.kill('SIGTERM');
  assert.deepEqual(await guard.exited, { code: 0, signal: null }, guard.stderr());
  // The child's own words prove it got SIGTERM (not SIGKILL) and shut down by itself.
  const appLines = await readLines(box.appLog);
  assert.ok(appLines.includes('退出 terminated'), appLines.join('\n'));
  const [incident] = await readIncidents(box.incidents);
  assert.equal(incident.pid, pid);
  assert.equal(incident.cause, 'stopped');
  assert.equal(incident.confidence, 'confirmed');
  assert.deepEqual(incident.exit, { code: 0, signal: null });
  const lines = await readLines(box.checkLog);
  const stopping = lines.findIndex((l) =>
    l.includes(` anqicms stopping: SIGTERM to pid ${pid} (the guard got SIGTERM)`),
  );
  const died = lines.findIndex((l) => l.includes(' anqicms died: exit code 0 '));
  assert.ok(stopping >= 0 && died > stopping, lines.join('\n'));
  assert.match(
    lines[died] ?? '',
    /— stopped \(confirmed\): SIGTERM from the guard \(the guard got SIGTERM\)/,
  );
  assert.ok(lines.some((l) => CHECK_LINE.exec(l)?.groups?.count === '1'));
});

test('a child that ignores SIGTERM is SIGKILLed after --stop-timeout, and the stop is still `stopped`', async (t) => {
  const box = await makeSandbox('stubborn');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const guard = box.guard([app, CHILD_SCRIPT], ['--stop-timeout', '500ms'], { plan: 'stubborn' });
  await waitFor('the child to be up', async () =>
    (await readLines(box.appLog)).some((l) => l.includes('start 1')),
  );
  const stopAt = Date.now();
  guard.process.kill('SIGINT');
  assert.deepEqual(await guard.exited, { code: 0, signal: null }, guard.stderr());
  assert.ok(Date.now() - stopAt >= 500);
  assert.ok((await readLines(box.appLog)).includes('ignoring terminated'));
  const [incident] = await readIncidents(box.incidents);
  assert.deepEqual(incident.exit, { code: null, signal: 'SIGKILL' });
  assert.equal(incident.cause, 'stopped');
  assert.equal(incident.confidence, 'confirmed');
  assert.match(
    lineWith(await readLines(box.checkLog), ' died: ') ?? '',
    /SIGKILL after [\d.]+s without exiting/,
  );
});

test('a crash loop: restarts come with growing delays and --max-restarts is honoured', {
  timeout: 30_000,
}, async (t) => {
  const box = await makeSandbox('loop');
  t.after(() => box.cleanup());
  const app = await box.app('crashy');
  const started = Date.now();
  const guard = box.guard([app, CHILD_SCRIPT], ['--max-restarts', '3'], { plan: 'exit:1' });
  assert.deepEqual(await guard.exited, { code: 1, signal: null }, guard.stderr());
  const elapsed = Date.now() - started;
  const incidents = await readIncidents(box.incidents);
  // The first child and the three restarts: four deaths, then the guard gives up.
  assert.equal(incidents.length, 4);
  for (const incident of incidents) {
    assert.equal(incident.cause, 'crash');
    assert.equal(incident.confidence, 'likely');
    assert.deepEqual(incident.exit, { code: 1, signal: null });
  }
  const delays = incidents.slice(0, 3).map((i) => Date.parse(i.restartedAt) - Date.parse(i.diedAt));
  assert.equal(incidents[3].restartedAt, null);
  console.log(`crash loop delays: ${delays.join(' ms, ')} ms; guard gave up after ${elapsed} ms`);
  assert.ok(delays[0]! < 1000, `first restart ${delays[0]} ms`);
  assert.ok(delays[1]! >= 1000 && delays[1]! < 1800, `second restart ${delays[1]} ms`);
  assert.ok(delays[2]! >= 2000 && delays[2]! < 2800, `third restart ${delays[2]} ms`);
  const lines = await readLines(box.checkLog);
  assert.ok(lineWith(lines, ' crashy gave up: 4 lives in a row each shorter than 1m'), lines.join('\n'));
  assert.doesNotMatch(lineWith(lines, ' crashy restarted: pid ') ?? '', /backoff/);
  assert.ok(lines.some((l) => l.includes(' crashy restarted: ') && l.includes(', 1s backoff)')));
  assert.ok(lines.some((l) => l.includes(' crashy restarted: ') && l.includes(', 2s backoff)')));
  assert.match(guard.stderr(), /OOMS_E_GUARD_GAVE_UP/);
});

test('restart latency: median time from a death to the next child over 6 restarts', {
  timeout: 30_000,
}, async (t) => {
  const box = await makeSandbox('latency');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  // Each life (0.4 s) is longer than --stable-after, so every death restarts at once, as after a real OOM kill.
  const guard = box.guard([app, CHILD_SCRIPT], ['--stable-after', '300ms'], { plan: 'panic:400' });
  const incidents = await waitFor(
    'six restarts',
    async () => {
      const all = await readIncidents(box.incidents);
      return all.length >= 6 ? all : undefined;
    },
    20_000,
  );
  guard.process.kill('SIGTERM');
  await guard.exited;
  const latencies = incidents.slice(0, 6).map((i) => Date.parse(i.restartedAt) - Date.parse(i.diedAt));
  const mid = median(latencies);
  console.log(
    `restart latency over ${latencies.length} restarts: median ${mid} ms (${latencies.join(', ')} ms)`,
  );
  assert.ok(mid <= 1000, `median ${mid} ms`);
  assert.ok(
    incidents.every((i) => i.cause === 'crash'),
    JSON.stringify(incidents.map((i) => i.cause)),
  );
});

test('an idle guard uses next to no CPU (default intervals)', { timeout: 20_000 }, async (t) => {
  const box = await makeSandbox('idle');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  const guard = box.guard([app, CHILD_SCRIPT], ['--sample-interval', '5s', '--check-interval', '1m'], {
    plan: 'idle',
  });
  await waitFor('the child to be up', async () =>
    (await readLines(box.appLog)).some((l) => l.includes('start 1')),
  );
  await sleep(1000);
  const ticks = async () => {
    const stat = await readFile(`/proc/${guard.process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, 1/100 s
  };
  const before = await ticks();
  await sleep(5000);
  const used = (await ticks()) - before;
  console.log(`idle guard: ${used * 10} ms of CPU in 5 s`);
  assert.ok(used <= 5, `${used * 10} ms of CPU in 5 s`);
  guard.process.kill('SIGTERM');
  await guard.exited;
});

test('a program that cannot be started any more (lost its x bit): said, retried with the backoff, no busy loop', async (t) => {
  const box = await makeSandbox('spawnfail');
  t.after(() => box.cleanup());
  const script = join(box.work, 'bin', 'site');
  await writeFile(script, '#!/bin/sh\necho "2024/07/23 10:04:01 up"\nsleep 0.4\nexit 0\n');
  await chmod(script, 0o755);
  const guard = box.guard([script], ['--stable-after', '200ms']);
  await waitFor('the first start', async () =>
    lineWith(await readLines(box.checkLog), ' site started: pid '),
  );
  await chmod(script, 0o644);
  const failed = await waitFor('the failed start', async () =>
    lineWith(await readLines(box.checkLog), ' site start failed: '),
  );
  assert.match(failed, /site start failed: .*site: spawn .*EACCES/);
  await sleep(300);
  await chmod(script, 0o755);
  const restarted = await waitFor('the recovery', async () =>
    lineWith(await readLines(box.checkLog), ' site restarted: pid '),
  );
  const lines = await readLines(box.checkLog);
  assert.equal(lines.filter((l) => l.includes(' start failed: ')).length, 1, lines.join('\n'));
  assert.ok(restarted);
  guard.process.kill('SIGTERM');
  assert.deepEqual(await guard.exited, { code: 0, signal: null });
});
