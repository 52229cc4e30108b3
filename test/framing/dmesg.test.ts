// dmesg forms: plain, -r, -x, -T, iso; continuation lines; the split 5.0-rc oom-kill summary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dmesg, dmesgCtime, dmesgDecoded, dmesgIso, dmesgRaw } from '../../src/framing/dmesg.js';
import { journalShortMonotonic } from '../../src/framing/journal-short.js';
import { frameLines, frameOne } from './frame-lines.js';

test('plain: width-padded monotonic stamps of every width', () => {
  for (const [line, seconds] of [
    ['[    0.000000] Linux version 6.18.44', 0],
    ['[  127.553604] x', 127.553604],
    ['[189937.363110] x', 189937.36311],
    ['[1813654.116643] x', 1813654.116643],
  ] as const) {
    const record = frameOne(dmesg, line);
    assert.deepEqual(record.stamp, { kind: 'monotonic', seconds }, line);
    assert.equal(record.monotonic, seconds, line);
    assert.equal(record.ident, 'kernel', line);
    assert.equal(record.host, null, line);
  }
});

test('plain: the CONFIG_PRINTK_CALLER field is not part of the message', () => {
  assert.equal(frameOne(dmesg, '[  127.553604] [ T2249] Out of memory: x').message, 'Out of memory: x');
  assert.equal(
    frameOne(dmesg, '[  127.553604] [   2249]     0  2249 anqicms').message,
    '[   2249]     0  2249 anqicms',
  );
});

test('continuation lines inherit stamp, monotonic and ident from the previous record', () => {
  const [first, second, third] = frameLines(dmesg, [
    '[    0.417206] amd_pstate: The CPPC feature is supported but currently disabled by the BIOS.',
    '               Please enable it if your BIOS has the CPPC option.',
    '[    0.500000] next',
  ]);
  assert.ok(first && second && third);
  assert.deepEqual(second.stamp, { kind: 'monotonic', seconds: 0.417206 });
  assert.equal(second.monotonic, 0.417206);
  assert.equal(second.ident, 'kernel');
  assert.equal(second.lineNo, 2);
  assert.equal(second.message, 'Please enable it if your BIOS has the CPPC option.');
  assert.equal(third.monotonic, 0.5);
});

test('continuation lines in -x inherit the priority and the user facility sender', () => {
  const [first, second] = frameLines(dmesgDecoded, [
    'user  :info  : [    1.874611] systemd[1]: line one',
    '                                 line two',
  ]);
  assert.ok(first && second);
  assert.equal(second.ident, 'systemd');
  assert.equal(second.pid, 1);
  assert.equal(second.priority, 6);
  assert.equal(second.monotonic, 1.874611);
});

test('an unstamped, unindented line in dmesg output stands alone as kernel text', () => {
  const [, lone] = frameLines(dmesg, ['[  1.0] a', 'no stamp here']);
  assert.ok(lone);
  assert.equal(lone.stamp.kind, 'none');
  assert.equal(lone.monotonic, null);
  assert.equal(lone.ident, 'kernel');
  assert.equal(lone.message, 'no stamp here');
});

test('the split 5.0-rc oom-kill summary is glued to its head', () => {
  const [head, tail] = frameLines(dmesg, [
    '[   23.346650] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0',
    '[   23.346691] ,global_oom,task_memcg=/,task=firewalld,pid=5096,uid=0',
  ]);
  assert.equal(head?.message, 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0');
  assert.equal(
    tail?.message,
    'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=firewalld,pid=5096,uid=0',
  );
  assert.equal(tail?.monotonic, 23.346691);
  // A lone `,global_oom` line with no head before it stays as it is.
  assert.equal(frameOne(dmesg, '[   23.346691] ,global_oom,task=x').message, ',global_oom,task=x');
});

test('-r: priority is the low 3 bits; facility user lines are not the kernel', () => {
  const kill = frameOne(
    dmesgRaw,
    '<3>[  127.553604] Memory cgroup out of memory: Killed process 2249 (anqicms)',
  );
  assert.equal(kill.priority, 3);
  assert.equal(kill.ident, 'kernel');
  assert.equal(kill.monotonic, 127.553604);
  assert.equal(kill.message, 'Memory cgroup out of memory: Killed process 2249 (anqicms)');
  const oomd = frameOne(
    dmesgRaw,
    '<14>[    3.120452] oomd kill: 81.28 80.05 42.78 user.slice/x.scope 1000 ruleset:[test]',
  );
  assert.equal(oomd.priority, 6);
  assert.equal(oomd.ident, null);
  assert.equal(oomd.message, 'oomd kill: 81.28 80.05 42.78 user.slice/x.scope 1000 ruleset:[test]');
});

test('-x: facility and level names; user facility with a tag gives ident and pid', () => {
  const kill = frameOne(dmesgDecoded, 'kern  :err   : [  127.553604] Memory cgroup out of memory: x');
  assert.equal(kill.priority, 3);
  assert.equal(kill.ident, 'kernel');
  assert.equal(kill.message, 'Memory cgroup out of memory: x');
  const warn = frameOne(
    dmesgDecoded,
    'kern  :warn  : [  127.550964] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)',
  );
  assert.equal(warn.priority, 4);
  const user = frameOne(dmesgDecoded, 'user  :notice: [    1.874611] systemd[1]: Started x.');
  assert.equal(user.ident, 'systemd');
  assert.equal(user.pid, 1);
  assert.equal(user.priority, 5);
  assert.equal(user.message, 'Started x.');
  const oomd = frameOne(dmesgDecoded, 'user  :info  : [    3.120452] oomd kill: 1 2 3 a 1 ruleset:[t]');
  assert.equal(oomd.ident, null);
  assert.equal(dmesgDecoded.sniff('nope  :err   : [  1.0] x'), false);
});

test('-T: wall time with year (computed by dmesg), English and Japanese month forms', () => {
  const english = frameOne(
    dmesgCtime,
    '[Fri Nov 27 00:45:11 2026] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)',
  );
  assert.deepEqual(english.stamp, {
    kind: 'local',
    year: 2026,
    month: 11,
    day: 27,
    hour: 0,
    minute: 45,
    second: 11,
    millis: 0,
  });
  assert.equal(english.monotonic, null);
  assert.equal(english.ident, 'kernel');
  assert.equal(english.message, 'anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)');
  const padded = frameOne(dmesgCtime, '[Sat Nov  7 09:01:02 2026] x');
  assert.ok(padded.stamp.kind === 'local');
  assert.equal(padded.stamp.day, 7);
  const japanese = frameOne(dmesgCtime, '[月  1月 26 01:49:41 2026] systemd invoked oom-killer: x');
  assert.deepEqual(japanese.stamp, {
    kind: 'local',
    year: 2026,
    month: 1,
    day: 26,
    hour: 1,
    minute: 49,
    second: 41,
    millis: 0,
  });
  assert.equal(japanese.message, 'systemd invoked oom-killer: x');
});

test('-T: a month word no table knows leaves the line unstamped but strips the stamp', () => {
  const record = frameOne(dmesgCtime, '[ven. brumaire 27 00:45:11 2026] anqicms invoked oom-killer: x');
  assert.equal(record.stamp.kind, 'none');
  assert.equal(record.message, 'anqicms invoked oom-killer: x');
});

test('iso: comma before the microseconds, instant marked computed', () => {
  const record = frameOne(dmesgIso, '2026-11-27T00:45:11,550964+00:00 anqicms invoked oom-killer: x');
  assert.deepEqual(record.stamp, {
    kind: 'instant',
    ms: Date.UTC(2026, 10, 27, 0, 45, 11) + 550.964,
    computed: true,
  });
  assert.equal(record.ident, 'kernel');
  assert.equal(record.message, 'anqicms invoked oom-killer: x');
});

test('plain dmesg and journal short-monotonic tell each other apart line by line', () => {
  assert.equal(dmesg.sniff('[  127.553604] vm kernel: Memory cgroup out of memory: x'), false);
  assert.equal(dmesg.sniff('[  127.553604] vm systemd[1]: x'), false);
  assert.equal(dmesg.sniff('[  127.553604] anqicms invoked oom-killer: x'), true);
  assert.equal(journalShortMonotonic.sniff('[  127.553604] anqicms invoked oom-killer: x'), false);
});
