// Every line the guard writes into check.log is read back by `oomsleuth analyze` as intended: the heartbeat as
// check.sh's, the death line as the guard's (with its pid), and nothing else as an old guardian script's stdout.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectCarrier } from '../../src/framing/detect.js';
import {
  adoptedText,
  CheckLog,
  checkText,
  gaveUpText,
  guardExitText,
  outsideText,
  restartedText,
  startedText,
  startFailedText,
  stoppingText,
} from '../../src/guard/check-log.js';
import { warningText } from '../../src/guard/early-warning.js';
import { readBack } from './check-line-readback.js';

const AT = new Date(2024, 6, 23, 10, 4, 1).getTime();
const stamp = (message: string) => `20240723 10:04:01 ${message}`;

/** Lines about the app's lives: analyze reads them as the guard's own, with the pid (two copies of one program are
 * told apart by it) and the guard's stop. */
const lifeLines: [string, { type: string; pid: number }][] = [
  [
    startedText('anqicms', 12345, '/process_api/x/oomsleuth-guard-1-anqicms-abc'),
    { type: 'guard.started', pid: 12345 },
  ],
  [startedText('anqicms', 12345, null), { type: 'guard.started', pid: 12345 }],
  [restartedText('anqicms', 12401, 40, 0), { type: 'guard.started', pid: 12401 }],
  [restartedText('anqicms', 12401, 2016, 2000), { type: 'guard.started', pid: 12401 }],
  [adoptedText('anqicms', 12401, 12000), { type: 'guard.started', pid: 12401 }],
  [outsideText('anqicms', 4242), { type: 'guard.started', pid: 4242 }],
  [stoppingText('anqicms', 12401, 'the guard got SIGTERM'), { type: 'guard.stopping', pid: 12401 }],
];

const others = [
  gaveUpText('anqicms', 4, 60_000),
  guardExitText('anqicms', 'stopped by SIGTERM'),
  startFailedText('anqicms', '/www/anqicms: spawn EACCES'),
  'anqicms guard: warning: cannot read the kernel log (/dev/kmsg: EPERM; journalctl: not installed): run the guard as root',
  warningText('anqicms', {
    says: 'pid 4242 may run out of memory in about 8m (6m–11m): memory cgroup at 1.7 GiB of 2.0 GiB, growing 38 MiB/min over the last 9m10s',
  }),
  warningText('anqicms', { says: "pid 4242 is at 92% of its memory cgroup's limit (1.8 GiB of 2.0 GiB)" }),
];

test('the heartbeat is check.sh’s line, read as a guardian check', () => {
  assert.equal(checkText('anqicms', 1), 'anqicms PID check: 1');
  for (const count of [0, 1]) {
    const event = readBack(stamp(checkText('anqicms', count)));
    assert.equal(event?.type, 'guardian.check');
    assert.deepEqual(event?.type === 'guardian.check' && [event.name, event.value], [
      'anqicms',
      String(count),
    ]);
  }
});

test('the death line is read as the guard’s, with the pid and how the child ended', () => {
  const cases: [string, { pid: number; signal: string | null; code: number | null }][] = [
    [
      'anqicms died: signal SIGKILL after 3h12m, pid 12345 — oom-killer (confirmed): kernel killed pid 12345, anon-rss 3.8 GiB; rss rose 1.1→3.8 GiB in 10m',
      { pid: 12345, signal: 'SIGKILL', code: null },
    ],
    [
      'anqicms died: exit code 2 after 0.51s, pid 7 — crash (confirmed): panic: boom',
      { pid: 7, signal: null, code: 2 },
    ],
    [
      'anqicms died: exit status unknown after 2h, pid 9 — unexplained (possible): it ended and nothing says who killed it',
      { pid: 9, signal: null, code: null },
    ],
  ];
  for (const [line, expected] of cases) {
    const event = readBack(stamp(line));
    assert.equal(event?.type, 'guard.died', line);
    if (event?.type === 'guard.died')
      assert.deepEqual({ pid: event.pid, signal: event.signal, code: event.code }, expected);
  }
});

test('the lines about its lives are read as the guard’s own, with the pid', () => {
  for (const [message, expected] of lifeLines) {
    const event = readBack(stamp(message));
    assert.deepEqual(
      { type: event?.type, pid: event && 'pid' in event ? event.pid : undefined },
      expected,
      message,
    );
  }
});

test('no other guard line reads as anything, a guardian script’s start or stop line least of all', () => {
  for (const message of others) {
    const event = readBack(stamp(message));
    assert.equal(event, null, `${message} → ${event?.type}`);
  }
});

test('a check.log the guard wrote is detected as check-sh by its content', () => {
  const sample = [
    stamp(startedText('anqicms', 12345, null)),
    stamp(checkText('anqicms', 1)),
    stamp(
      'anqicms died: signal SIGKILL after 3.4s, pid 12345 — oom-killer (confirmed): kernel killed pid 12345',
    ),
    stamp(restartedText('anqicms', 12401, 40, 0)),
    stamp(checkText('anqicms', 1)),
    stamp(
      warningText('anqicms', { says: "pid 12401 is at 92% of its memory cgroup's limit (59 MiB of 64 MiB)" }),
    ),
  ];
  assert.equal(detectCarrier(sample, 'guard.log')?.format, 'check-sh');
});

test('CheckLog appends stamped lines in order, echoes all but the heartbeat, and survives a failed write', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-checklog-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const echoed: string[] = [];
  const problems: string[] = [];
  const log = new CheckLog(
    join(dir, 'check.log'),
    (p) => problems.push(p),
    (l) => echoed.push(l),
  );
  void log.append(AT, checkText('anqicms', 1), { heartbeat: true });
  void log.append(AT, startedText('anqicms', 1, null));
  await log.flush();
  assert.equal(
    await readFile(join(dir, 'check.log'), 'utf8'),
    `${stamp('anqicms PID check: 1')}\n${stamp('anqicms started: pid 1')}\n`,
  );
  assert.deepEqual(echoed, [stamp('anqicms started: pid 1')]);

  const broken = new CheckLog(join(dir, 'no-such-dir', 'check.log'), (p) => problems.push(p));
  await broken.append(AT, 'a');
  await broken.append(AT, 'b');
  assert.equal(problems.length, 1, 'reported once');
  assert.match(
    problems[0] ?? '',
    /cannot write .*check\.log: ENOENT — free disk space or fix the permissions; the guard goes on/,
  );
});
