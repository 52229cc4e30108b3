// `oomsleuth drill` on the real kernel: a contained OOM kill, judged oom-killer/confirmed by analyze, alerted to a
// local receiver, and its cgroup gone afterwards. Needs root and a memory cgroup controller: elsewhere it is skipped
// with the reason, except under CI=true, where that is a failure.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { test } from 'node:test';
import type { DrillReport } from '../../src/drill/drill.js';
import { runCli } from '../helpers/cli.js';
import { builtCopyForOtherUsers } from '../helpers/other-user.js';
import { skipUnlessCi } from '../helpers/skip.js';
import { memcgAvailable } from '../support/memcg.js';

const availability = process.getuid?.() === 0 ? await memcgAvailable() : { ok: false, reason: 'not root' };

test('drill: a real OOM kill, oom-killer/confirmed, alerted, and its cgroup removed', {
  timeout: 60_000,
}, async (t) => {
  if (!availability.ok) {
    skipUnlessCi(t, `drill needs root and a memory cgroup: ${availability.reason}`);
    return;
  }
  const bodies: string[] = [];
  const receiver = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      bodies.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
  const port = (receiver.address() as AddressInfo).port;

  const run = await runCli(['drill', '--json', '--webhook', `http://127.0.0.1:${port}/hook`], {
    timeoutMs: 50_000,
  });
  assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);
  const report = JSON.parse(run.stdout) as DrillReport;
  console.log(
    `drill: cgroup v${report.cgroup.version}, ${report.victim.name} pid ${report.victim.pid} killed after ` +
      `${report.victim.diedAfterMs} ms, ${report.kernel.lines.length} kernel records, alert ${report.alerts[0]?.latencyMs} ms ` +
      `(${report.alerts[0]?.afterDeathMs} ms after the death)`,
  );

  assert.equal(report.ok, true, report.problems.join('\n'));
  assert.deepEqual(report.problems, []);
  assert.equal(report.victim.signal, 'SIGKILL');
  assert.ok(
    report.oomKillCounter.after! > report.oomKillCounter.before,
    JSON.stringify(report.oomKillCounter),
  );
  assert.match(
    report.kernel.killedLine ?? '',
    new RegExp(`Killed process ${report.victim.pid} \\(oomsleuth-drill\\)`),
  );
  assert.ok(
    report.kernel.lines.some((l) => l.includes('oomsleuth-drill invoked oom-killer')),
    'the trigger line',
  );
  assert.deepEqual(
    { cause: report.verdict?.cause, confidence: report.verdict?.confidence, pid: report.verdict?.pid },
    { cause: 'oom-killer', confidence: 'confirmed', pid: report.victim.pid },
  );

  // The alert arrived, as the contract's incident document, naming the hog.
  assert.equal(report.alerts.length, 1);
  assert.equal(report.alerts[0]!.ok, true);
  assert.equal(report.alerts[0]!.httpStatus, 200);
  assert.equal(bodies.length, 1);
  const doc = JSON.parse(bodies[0]!) as { schema: string; incident: { cause: string; pid: number } };
  assert.equal(doc.schema, 'oomsleuth.incident/1');
  assert.deepEqual([doc.incident.cause, doc.incident.pid], ['oom-killer', report.victim.pid]);

  // Cleaned up: the cgroup's folder is gone, and no drill cgroup of that run is left beside it.
  assert.equal(report.cgroup.removed, true);
  await assert.rejects(access(report.cgroup.dir), { code: 'ENOENT' });
  const left = (await readdir(dirname(report.cgroup.dir))).filter((n) => n.startsWith(`oomsleuth-drill-`));
  assert.equal(
    left.some((n) => report.cgroup.dir.endsWith(n)),
    false,
    left.join(', '),
  );
});

test('drill through dmesg --raw, where /dev/kmsg cannot be read: the same verdict', {
  timeout: 60_000,
}, async (t) => {
  if (!availability.ok) {
    skipUnlessCi(t, `drill needs root and a memory cgroup: ${availability.reason}`);
    return;
  }
  const { runDrill } = await import('../../src/drill/drill.js');
  const report = await runDrill({ webhooks: [], zone: 'UTC', kernelLog: 'dmesg' });
  assert.equal(report.kernel.via, 'dmesg');
  assert.deepEqual(report.problems, []);
  assert.deepEqual([report.verdict?.cause, report.verdict?.confidence], ['oom-killer', 'confirmed']);
  assert.equal(report.cgroup.removed, true);
  await assert.rejects(access(report.cgroup.dir), { code: 'ENOENT' });
});

test('drill as a user who is not root: refused with the reason and the fix, exit 2', async (t) => {
  if (process.getuid?.() !== 0) {
    const run = await runCli(['drill']);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^oomsleuth: drill: needs root .*sudo oomsleuth drill \[OOMS_E_DRILL_REFUSED\]\n$/,
    );
    return;
  }
  // As root, run it as nobody; nobody must be able to read the CLI it runs, so it runs a copy of the build.
  const copy = await builtCopyForOtherUsers();
  t.after(() => copy.cleanup());
  const child = spawn(process.execPath, [copy.cli, 'drill'], {
    uid: 65534,
    gid: 65534,
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 2, stderr);
  assert.match(
    stderr,
    /^oomsleuth: drill: needs root \(uid is 65534\).*sudo oomsleuth drill \[OOMS_E_DRILL_REFUSED\]\n$/,
  );
});
