// Process names that break naive patterns, run through every recogniser that reads a name.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Event } from '../../src/recognise/event.js';
import { recognise } from '../../src/recognise/index.js';
import { kernelGeneralProtection, kernelSegfault } from '../../src/recognise/kernel-crash.js';
import {
  oomConstraint,
  oomConstraintSplitGlobal,
  oomInvoked,
  oomKilled,
  oomKilledRhel6,
  oomKillIntent,
  oomReaped,
  oomTask,
} from '../../src/recognise/kernel-oom.js';
import { earlyoomKilled } from '../../src/recognise/oom-daemons.js';
import type { Recogniser } from '../../src/recognise/recogniser.js';
import { runRecogniser } from '../../src/recognise/recogniser.js';
import { sampleRecord } from '../../src/recognise/sample-record.js';

const HOSTILE_NAMES = [
  'Plex Media Server',
  'Plex Media Serv',
  '[',
  '()',
  'with quotes "x"',
  'nginx: worker',
  'in:imjournal',
  'a)b',
  'anqicms-product',
  '(sd-pam)',
  'x) total-vm:1kB',
  '"',
  ': ',
];

interface Case {
  readonly recogniser: Recogniser;
  readonly line: (name: string) => string;
  /** The field that must hold the name. */
  readonly field: 'process' | 'trigger';
  /** Other fields that must survive the name. */
  readonly also: Readonly<Record<string, unknown>>;
}

const CASES: readonly Case[] = [
  {
    recogniser: oomKilled,
    line: (n) =>
      `Out of memory: Killed process 4242 (${n}) total-vm:1000kB, anon-rss:500kB, file-rss:7kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0`,
    field: 'process',
    also: { pid: 4242, totalVmKb: 1000, anonRssKb: 500, fileRssKb: 7, scope: 'global' },
  },
  {
    recogniser: oomKilled,
    line: (n) =>
      `Killed process 4242 (${n}), UID 0, total-vm:1000kB, anon-rss:500kB, file-rss:0kB, shmem-rss:0kB`,
    field: 'process',
    also: { pid: 4242, uid: 0, anonRssKb: 500 },
  },
  {
    recogniser: oomKilled,
    line: (n) => `Out of memory: Killed process 4242 (${n}).`,
    field: 'process',
    also: { pid: 4242, scope: 'global' },
  },
  {
    recogniser: oomKilledRhel6,
    line: (n) => `Killed process 4242, UID 42, (${n}) total-vm:1000kB, anon-rss:500kB, file-rss:60kB`,
    field: 'process',
    also: { pid: 4242, uid: 42, anonRssKb: 500 },
  },
  {
    recogniser: oomKillIntent,
    line: (n) => `Memory cgroup out of memory: Kill process 4242 (${n}) score 900 or sacrifice child`,
    field: 'process',
    also: { pid: 4242, score: 900, scope: 'memcg' },
  },
  {
    recogniser: oomConstraint,
    line: (n) =>
      `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,task_memcg=/a/b,task=${n},pid=4242,uid=0`,
    field: 'process',
    also: { pid: 4242, uid: 0, oomMemcg: '/a', taskMemcg: '/a/b' },
  },
  {
    recogniser: oomConstraintSplitGlobal,
    line: (n) => `,global_oom,task_memcg=/,task=${n},pid=4242,uid=0`,
    field: 'process',
    also: { pid: 4242, taskMemcg: '/' },
  },
  {
    recogniser: oomReaped,
    line: (n) => `oom_reaper: reaped process 4242 (${n}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`,
    field: 'process',
    also: { pid: 4242 },
  },
  {
    recogniser: earlyoomKilled,
    line: (n) => `sending SIGTERM to process 4242 uid 1000 "${n}": badness 733, VmRSS 3 MiB`,
    field: 'process',
    also: { pid: 4242, signal: 'SIGTERM', vmRssMib: 3 },
  },
  {
    recogniser: earlyoomKilled,
    line: (n) =>
      `sending SIGKILL to process 4242 uid 0 "${n}": oom_score 812, oom_score_adj 0, VmRSS 1843 MiB, cmdline "/opt/${n}"`,
    field: 'process',
    also: { pid: 4242, signal: 'SIGKILL', vmRssMib: 1843 },
  },
  {
    recogniser: oomInvoked,
    line: (n) => `${n} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`,
    field: 'trigger',
    also: { order: 0, oomScoreAdj: 0 },
  },
  {
    recogniser: oomTask,
    line: (n) =>
      `[   4242]     0  4242   256375    27383    18088     9295         0   663552        0           -17 ${n}`,
    field: 'process',
    also: { pid: 4242, rssPages: 27383, oomScoreAdj: -17 },
  },
  {
    recogniser: kernelSegfault,
    line: (n) =>
      `${n}[4242]: segfault at 0 ip 0000000000400546 sp 00007fff2fb08610 error 4 in ${n}[400000+1000]`,
    field: 'process',
    also: { pid: 4242 },
  },
  {
    recogniser: kernelGeneralProtection,
    line: (n) =>
      `traps: ${n}[4242] general protection fault ip:7f0a sp:7ffd error:0 in libc.so.6[7f0a+195000]`,
    field: 'process',
    also: { pid: 4242 },
  },
];

function fieldsOf(event: Event | null): Readonly<Record<string, unknown>> {
  assert.ok(event !== null, 'expected an event');
  return event as unknown as Readonly<Record<string, unknown>>;
}

describe('hostile process names', () => {
  for (const c of CASES) {
    describe(`${c.recogniser.id}: ${c.line('NAME')}`, () => {
      for (const name of HOSTILE_NAMES) {
        test(JSON.stringify(name), () => {
          const record = sampleRecord(c.line(name));
          const event = fieldsOf(runRecogniser(c.recogniser, record));
          assert.equal(event[c.field], name);
          for (const [key, want] of Object.entries(c.also)) assert.deepEqual(event[key], want, key);
          // And the same line through the routed entry point, as the kernel or earlyoom would log it.
          const viaRoute = c.recogniser.id.startsWith('earlyoom')
            ? recognise(sampleRecord(record.message, { ident: 'earlyoom' }), 'system')
            : recognise(record, 'kernel');
          assert.equal(fieldsOf(viaRoute)[c.field], name);
        });
      }
    });
  }
});
