// Kernel OOM-killer records (log-formats.md §1), every kernel generation, matched by shape and parsed by field name.
import type { LogRecord } from '../framing/record.js';
import type {
  MemcgTaskIn,
  MemcgUsage,
  OomConstraint,
  OomInvoked,
  OomKilled,
  OomKillIntent,
  OomManual,
  OomReaped,
  OomTask,
  OomTaskHeader,
} from './event.js';
import { fieldReader, toNumber } from './field-list.js';
import { scopeFromConstraint, scopeFromReason } from './oom-scope.js';
import type { Groups, Recogniser } from './recogniser.js';
import type { RecogniserTable } from './table.js';

// ---- oom.invoked -------------------------------------------------------------------------------------------------

const readOrder = fieldReader('order', '=');
// Only `oom_score_adj`: the older `oom_adj=` / `oomkilladj=` use another scale (-17..15) and stay null.
const readOomScoreAdjEq = fieldReader('oom_score_adj', '=');

export const oomInvoked: Recogniser<OomInvoked> = {
  id: 'oom.invoked',
  type: 'oom.invoked',
  guard: ' invoked oom-killer:',
  // The trigger's comm may hold spaces and colons (`in:imjournal`): take everything before the fixed text.
  pattern: /^(?<trigger>.+?) invoked oom-killer:(?<fields>.*)/,
  build: (g, record) => ({
    type: 'oom.invoked',
    record,
    trigger: g.trigger ?? '',
    order: readOrder(g.fields ?? ''),
    oomScoreAdj: readOomScoreAdjEq(g.fields ?? ''),
  }),
  samples: [
    {
      line: 'anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
      expect: { trigger: 'anqicms', order: 0, oomScoreAdj: 0 },
    },
    {
      line: 'java invoked oom-killer: gfp_mask=0x201d2, order=0, oomkilladj=0',
      expect: { trigger: 'java', order: 0, oomScoreAdj: null },
    },
    {
      line: 'httpd invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0',
      expect: { trigger: 'httpd', order: 0, oomScoreAdj: null },
    },
    {
      line: 'mysqld invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0',
      expect: { trigger: 'mysqld', order: 0, oomScoreAdj: 0 },
    },
    {
      line: 'in:imjournal invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0',
      expect: { trigger: 'in:imjournal', order: 0, oomScoreAdj: 0 },
    },
    {
      line: 'postgres invoked oom-killer: gfp_mask=0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD), order=0, oom_score_adj=0',
      expect: { trigger: 'postgres', order: 0, oomScoreAdj: 0 },
    },
    {
      line: 'stress invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=-1000',
      expect: { trigger: 'stress', order: 0, oomScoreAdj: -1000 },
    },
    {
      line: 'allocate invoked oom-killer: gfp_mask=0x14280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), nodemask=(null),  order=0, oom_score_adj=0',
      expect: { trigger: 'allocate', order: 0, oomScoreAdj: 0 },
    },
    {
      line: 'a.out invoked oom-killer: order=0, oom_score_adj=0, gfp_mask=0x24280ca(GFP_HIGHUSER_MOVABLE|GFP_ZERO)',
      expect: { trigger: 'a.out', order: 0, oomScoreAdj: 0 },
    },
    {
      line: 'systemd invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
      expect: { trigger: 'systemd', order: 0, oomScoreAdj: 0 },
    },
    {
      line: 'kworker/0:2 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0',
      expect: { trigger: 'kworker/0:2', order: -1, oomScoreAdj: 0 },
    },
    {
      line: 'CPU: 1 UID: 0 PID: 2249 Comm: anqicms Not tainted 6.18.44-fc-v657 #1 PREEMPT(none)',
      expect: null,
    },
  ],
};

// ---- oom.constraint (5.0+) ---------------------------------------------------------------------------------------

// Values such as `mems_allowed=0-1,4` and cgroup paths may contain commas, so each field is found by its own
// key and the task tail is anchored at the end (`,task=…,pid=N,uid=N`).
const OOM_MEMCG = /,oom_memcg=(?<path>.*?)(?=,task_memcg=|,task=|$)/;
const TASK_MEMCG = /,task_memcg=(?<path>.*?)(?=,task=|$)/;
const TASK_TAIL = /,task=(?<task>.*),pid=(?<pid>\d+)(?:,uid=(?<uid>\d+))?/;

type ConstraintFields = Omit<OomConstraint, 'type' | 'record' | 'scope'>;

function readConstraintFields(text: string): ConstraintFields {
  const tail = TASK_TAIL.exec(text)?.groups;
  return {
    oomMemcg: OOM_MEMCG.exec(text)?.groups?.path ?? null,
    taskMemcg: TASK_MEMCG.exec(text)?.groups?.path ?? null,
    process: tail?.task ?? null,
    pid: toNumber(tail?.pid),
    uid: toNumber(tail?.uid),
  };
}

export const oomConstraint: Recogniser<OomConstraint> = {
  id: 'oom.constraint',
  type: 'oom.constraint',
  guard: 'oom-kill:constraint=',
  pattern: /^oom-kill:constraint=(?<constraint>[A-Z_]+)(?<rest>.*)/,
  build: (g, record) => ({
    type: 'oom.constraint',
    record,
    scope: scopeFromConstraint(g.constraint),
    ...readConstraintFields(g.rest ?? ''),
  }),
  samples: [
    {
      line: 'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/process_api/x/ceo_oomtest,task_memcg=/process_api/x/ceo_oomtest,task=anqicms,pid=2249,uid=0',
      expect: {
        scope: 'memcg',
        oomMemcg: '/process_api/x/ceo_oomtest',
        taskMemcg: '/process_api/x/ceo_oomtest',
        process: 'anqicms',
        pid: 2249,
        uid: 0,
      },
    },
    {
      line: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0-7,global_oom,task_memcg=/,task=astar-collator,pid=1888,uid=1001',
      expect: {
        scope: 'global',
        oomMemcg: null,
        taskMemcg: '/',
        process: 'astar-collator',
        pid: 1888,
        uid: 1001,
      },
    },
    {
      line: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/session-689.scope,task=kaspad,pid=1297859,uid=1000',
      expect: {
        scope: 'global',
        taskMemcg: '/user.slice/user-1000.slice/session-689.scope',
        process: 'kaspad',
        pid: 1297859,
        uid: 1000,
      },
    },
    {
      // 5.0-rc split form, first half alone: the victim comes on the next record.
      line: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0',
      expect: { scope: 'global', oomMemcg: null, taskMemcg: null, process: null, pid: null, uid: null },
    },
    {
      // The same split form glued back together by the framer.
      line: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=firewalld,pid=5096,uid=0',
      expect: { scope: 'global', taskMemcg: '/', process: 'firewalld', pid: 5096, uid: 0 },
    },
    {
      line: 'oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0-1,3,cpuset=/,mems_allowed=0-3,global_oom,task_memcg=/system.slice/db.service,task=postgres,pid=4242,uid=26',
      expect: {
        scope: 'mempolicy',
        taskMemcg: '/system.slice/db.service',
        process: 'postgres',
        pid: 4242,
        uid: 26,
      },
    },
    {
      line: 'oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=(null),cpuset=batch,mems_allowed=1,global_oom,task_memcg=/batch.slice/job.scope,task=solver,pid=777,uid=1000',
      expect: { scope: 'cpuset', process: 'solver', pid: 777 },
    },
    {
      line: 'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=6562b1be2e55,mems_allowed=0,oom_memcg=/system.slice/docker-6562b1be2e55.scope,task_memcg=/system.slice/docker-6562b1be2e55.scope,task=java,pid=31337,uid=0',
      expect: {
        scope: 'memcg',
        oomMemcg: '/system.slice/docker-6562b1be2e55.scope',
        taskMemcg: '/system.slice/docker-6562b1be2e55.scope',
        process: 'java',
        pid: 31337,
      },
    },
  ],
};

function buildSplitTail(g: Groups, record: LogRecord): OomConstraint {
  // The split tail carries no constraint, so no scope: only the task, pid and memcg fields.
  return { type: 'oom.constraint', record, scope: null, ...readConstraintFields(g.tail ?? '') };
}

export const oomConstraintSplitGlobal: Recogniser<OomConstraint> = {
  id: 'oom.constraint.split-global',
  type: 'oom.constraint',
  guard: ',global_oom',
  pattern: /^(?<tail>,global_oom(?:,.*)?)$/,
  build: buildSplitTail,
  samples: [
    {
      line: ',global_oom,task_memcg=/,task=firewalld,pid=5096,uid=0',
      expect: { scope: null, oomMemcg: null, taskMemcg: '/', process: 'firewalld', pid: 5096, uid: 0 },
    },
  ],
};

export const oomConstraintSplitMemcg: Recogniser<OomConstraint> = {
  id: 'oom.constraint.split-memcg',
  type: 'oom.constraint',
  guard: ',oom_memcg=',
  pattern: /^(?<tail>,oom_memcg=.*)$/,
  build: buildSplitTail,
  samples: [
    {
      line: ',oom_memcg=/system.slice/anqicms.service,task_memcg=/system.slice/anqicms.service,task=anqicms,pid=2249,uid=0',
      expect: {
        scope: null,
        oomMemcg: '/system.slice/anqicms.service',
        taskMemcg: '/system.slice/anqicms.service',
        process: 'anqicms',
        pid: 2249,
        uid: 0,
      },
    },
  ],
};

// ---- oom.kill-intent (≤5.0) --------------------------------------------------------------------------------------

export const oomKillIntent: Recogniser<OomKillIntent> = {
  id: 'oom.kill-intent',
  type: 'oom.kill-intent',
  // `Kill process` (2.6.2x, 2.6.36+) and `kill process` (2.6.31–35); never matches `Killed process`.
  guard: 'ill process ',
  pattern:
    /^(?:(?<reason>[^:]+): )?[Kk]ill process (?<pid>\d+) \((?<process>.*)\) score (?<score>-?\d+) (?:or sacrifice child|or a child|and children)/,
  build: (g, record) => {
    const pid = toNumber(g.pid);
    if (pid === null) return null;
    return {
      type: 'oom.kill-intent',
      record,
      scope: scopeFromReason(g.reason),
      pid,
      process: g.process ?? '',
      score: toNumber(g.score),
    };
  },
  samples: [
    {
      line: 'Out of memory: Kill process 45465 (tail) score 902 or sacrifice child',
      expect: { scope: 'global', pid: 45465, process: 'tail', score: 902 },
    },
    {
      line: 'Memory cgroup out of memory: Kill process 443160 (stress-ng-vm) score 1272 or sacrifice child',
      expect: { scope: 'memcg', pid: 443160, process: 'stress-ng-vm', score: 1272 },
    },
    {
      line: 'Out of memory: kill process 2114 (httpd) score 1024 or a child',
      expect: { scope: 'global', pid: 2114, process: 'httpd', score: 1024 },
    },
    {
      line: 'Out of Memory: Kill process 3061 (java) score 498271 and children.',
      expect: { scope: 'global', pid: 3061, process: 'java', score: 498271 },
    },
    {
      line: 'No available memory (MPOL_BIND): Kill process 812 (redis-server) score 377 or sacrifice child',
      expect: { scope: 'mempolicy', pid: 812, process: 'redis-server' },
    },
    {
      line: 'Out of memory (oom_kill_allocating_task): Kill process 99 (anqicms) score 0 or sacrifice child',
      expect: { scope: 'global', pid: 99, process: 'anqicms', score: 0 },
    },
    { line: 'Kill process 1235 (anqicms) sharing same memory', expect: null },
    {
      line: 'Out of memory: Killed process 1436 (python) total-vm:869012kB, anon-rss:607516kB, file-rss:44kB',
      expect: null,
    },
  ],
};

// ---- oom.killed (every form) -------------------------------------------------------------------------------------

const readTotalVm = fieldReader('total-vm', ':');
const readVsz = fieldReader('vsz', ':');
const readAnonRss = fieldReader('anon-rss', ':');
const readFileRss = fieldReader('file-rss', ':');
const readShmemRss = fieldReader('shmem-rss', ':');
// `UID:0` (5.3+) and `, UID 0,` (RHEL 7 backport).
const readUid = fieldReader('UID', ': ');
const readOomScoreAdjColon = fieldReader('oom_score_adj', ':');

function buildKilled(g: Groups, record: LogRecord, uidOutsideTail: number | null): OomKilled | null {
  const pid = toNumber(g.pid);
  if (pid === null) return null;
  const fields = g.fields ?? '';
  return {
    type: 'oom.killed',
    record,
    scope: scopeFromReason(g.reason),
    pid,
    process: g.process ?? '',
    // All sizes in this line are kB (the kernel's K() macro); 2.6.3x called total-vm `vsz`.
    totalVmKb: readTotalVm(fields) ?? readVsz(fields),
    anonRssKb: readAnonRss(fields),
    fileRssKb: readFileRss(fields),
    shmemRssKb: readShmemRss(fields),
    uid: uidOutsideTail ?? readUid(fields),
    oomScoreAdj: readOomScoreAdjColon(fields),
  };
}

export const oomKilled: Recogniser<OomKilled> = {
  id: 'oom.killed',
  type: 'oom.killed',
  guard: 'Killed process ',
  // The comm may itself contain `)` and spaces: take the last `)` that is followed by a known tail —
  // ` total-vm:` / ` vsz:` (sizes), `, UID ` (RHEL 7), or `.`/nothing at the end (2.6.2x, bare form).
  pattern:
    /^(?:(?<reason>[^:]+): )?Killed process (?<pid>\d+) \((?<process>.*)\)(?<fields>(?: total-vm:| vsz:|, UID ).*|\.?\s*)$/,
  build: (g, record) => buildKilled(g, record, null),
  samples: [
    {
      line: 'Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
      expect: {
        scope: 'memcg',
        pid: 2249,
        process: 'anqicms',
        totalVmKb: 984984,
        anonRssKb: 64768,
        fileRssKb: 33368,
        shmemRssKb: 0,
        uid: 0,
        oomScoreAdj: 0,
      },
    },
    {
      line: 'Out of memory: Killed process 1436 (python) total-vm:869012kB, anon-rss:607516kB, file-rss:44kB, shmem-rss:0kB, UID:1000 pgtables:1264kB oom_score_adj:0',
      expect: { scope: 'global', pid: 1436, process: 'python', anonRssKb: 607516, uid: 1000, oomScoreAdj: 0 },
    },
    {
      line: 'Memory cgroup out of memory: Killed process 51947 (tail) total-vm:459896kB, anon-rss:458176kB, file-rss:772kB, shmem-rss:0kB, UID:0 pgtables:948kB oom_score_adj:0',
      expect: { scope: 'memcg', pid: 51947, process: 'tail', totalVmKb: 459896, anonRssKb: 458176 },
    },
    {
      // 5.1–5.2: one line, no UID yet.
      line: 'Out of memory: Killed process 2874 (stress) total-vm:8192kB, anon-rss:5000kB, file-rss:4kB, shmem-rss:0kB',
      expect: { scope: 'global', pid: 2874, shmemRssKb: 0, uid: null, oomScoreAdj: null },
    },
    {
      // ~5.3, short-lived.
      line: 'Out of memory: Killed process 2874 (stress) total-vm:8192kB, anon-rss:5000kB, file-rss:4kB, shmem-rss:0kB, UID:1000',
      expect: { pid: 2874, uid: 1000, oomScoreAdj: null },
    },
    {
      // 4.5–5.0: second line after `Kill process … or sacrifice child`, no reason prefix.
      line: 'Killed process 45465 (tail) total-vm:7582132kB, anon-rss:7420324kB, file-rss:0kB, shmem-rss:0kB',
      expect: { scope: null, pid: 45465, process: 'tail', totalVmKb: 7582132, anonRssKb: 7420324, uid: null },
    },
    {
      // 2.6.36–4.4 mainline.
      line: 'Killed process 2114 (httpd) total-vm:1205432kB, anon-rss:623412kB, file-rss:112kB',
      expect: { scope: null, pid: 2114, anonRssKb: 623412, fileRssKb: 112, shmemRssKb: null },
    },
    {
      // RHEL 7 backport.
      line: 'Killed process 45465 (tail), UID 0, total-vm:7582132kB, anon-rss:7420324kB, file-rss:0kB, shmem-rss:0kB',
      expect: { scope: null, pid: 45465, process: 'tail', uid: 0, totalVmKb: 7582132, shmemRssKb: 0 },
    },
    {
      // 2.6.2x.
      line: 'Out of memory: Killed process 3061 (java).',
      expect: { scope: 'global', pid: 3061, process: 'java', totalVmKb: null, anonRssKb: null },
    },
    {
      line: 'No available memory (MPOL_BIND): Killed process 3061 (java).',
      expect: { scope: 'mempolicy', pid: 3061 },
    },
    {
      line: 'No available memory in cpuset: Killed process 3061 (java).',
      expect: { scope: 'cpuset', pid: 3061 },
    },
    {
      line: 'Out of memory (oom_kill_allocating_task): Killed process 812 (anqicms) total-vm:2048000kB, anon-rss:1900000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4000kB oom_score_adj:0',
      expect: { scope: 'global', pid: 812, process: 'anqicms' },
    },
    {
      // 2.6.31–35 [recall]: sizes labelled vsz.
      line: 'Killed process 2114 (httpd) vsz:1205432kB, anon-rss:623412kB, file-rss:112kB',
      expect: { pid: 2114, totalVmKb: 1205432, anonRssKb: 623412 },
    },
    {
      line: 'Killed process 2114 (httpd)',
      expect: { scope: null, pid: 2114, process: 'httpd', totalVmKb: null },
    },
    {
      // memory.oom.group: every task of the group gets an ordinary kill line after the `Tasks in … are going` line.
      line: 'Memory cgroup out of memory: Killed process 3102 (anqicms-worker) total-vm:302000kB, anon-rss:120000kB, file-rss:900kB, shmem-rss:0kB, UID:33 pgtables:400kB oom_score_adj:0',
      expect: { scope: 'memcg', pid: 3102, process: 'anqicms-worker', uid: 33 },
    },
    {
      line: 'Tasks in /system.slice/anqicms.service are going to be killed due to memory.oom.group set',
      expect: null,
    },
    {
      line: 'Killed process 1985588 ((sd-pam)) total-vm:168716kB, anon-rss:3012kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:96kB oom_score_adj:100',
      expect: { pid: 1985588, process: '(sd-pam)', oomScoreAdj: 100 },
    },
    {
      line: 'Out of memory: Killed process 9 (a) total-vm) total-vm:10kB, anon-rss:5kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0',
      expect: { pid: 9, process: 'a) total-vm', totalVmKb: 10, anonRssKb: 5 },
    },
    { line: 'Killed process 29959, UID 42046, (hadd) total-vm:202363492kB', expect: null },
  ],
};

export const oomKilledRhel6: Recogniser<OomKilled> = {
  id: 'oom.killed.rhel6',
  type: 'oom.killed',
  guard: 'Killed process ',
  // RHEL 6 put the UID before the comm: anchor on `, UID N, (`.
  pattern:
    /^(?:(?<reason>[^:]+): )?Killed process (?<pid>\d+), UID (?<uid>\d+), \((?<process>.*)\)(?<fields>(?: total-vm:| vsz:).*|\.?\s*)$/,
  build: (g, record) => buildKilled(g, record, toNumber(g.uid)),
  samples: [
    {
      line: 'Killed process 29959, UID 42046, (hadd) total-vm:202363492kB, anon-rss:13069860kB, file-rss:60kB',
      expect: {
        scope: null,
        pid: 29959,
        process: 'hadd',
        uid: 42046,
        totalVmKb: 202363492,
        anonRssKb: 13069860,
        fileRssKb: 60,
        shmemRssKb: null,
        oomScoreAdj: null,
      },
    },
    {
      line: 'Out of memory: Killed process 29959, UID 0, (Plex Media Server) total-vm:2000kB, anon-rss:1000kB, file-rss:0kB',
      expect: { scope: 'global', pid: 29959, process: 'Plex Media Server', uid: 0 },
    },
  ],
};

// ---- oom.reaped (4.6+) -------------------------------------------------------------------------------------------

export const oomReaped: Recogniser<OomReaped> = {
  id: 'oom.reaped',
  type: 'oom.reaped',
  guard: 'oom_reaper: reaped process ',
  pattern: /^oom_reaper: reaped process (?<pid>\d+) \((?<process>.*)\), now anon-rss:/,
  build: (g, record) => {
    const pid = toNumber(g.pid);
    return pid === null ? null : { type: 'oom.reaped', record, pid, process: g.process ?? '' };
  },
  samples: [
    {
      line: 'oom_reaper: reaped process 51947 (tail), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
      expect: { pid: 51947, process: 'tail' },
    },
    {
      line: 'oom_reaper: reaped process 2249 (anqicms), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
      expect: { pid: 2249, process: 'anqicms' },
    },
    { line: 'oom_reaper: unable to reap pid:2249 (anqicms)', expect: null },
  ],
};

// ---- task table --------------------------------------------------------------------------------------------------

export const oomTaskHeader: Recogniser<OomTaskHeader> = {
  id: 'oom.task-header',
  type: 'oom.task-header',
  guard: 'tgid total_vm',
  pattern: /^\[\s*(?<pidColumn>pid)\s*\]\s+uid\s+tgid\s+total_vm\s+rss\s.*\bname\s*$/,
  build: (_g, record) => ({ type: 'oom.task-header', record }),
  samples: [
    { line: '[ pid ]   uid  tgid total_vm      rss cpu oom_adj name', expect: {} },
    { line: '[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name', expect: {} },
    { line: '[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name', expect: {} },
    { line: '[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name', expect: {} },
    {
      line: '[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds nr_puds swapents oom_score_adj name',
      expect: {},
    },
    { line: '[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name', expect: {} },
    {
      line: '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
      expect: {},
    },
    {
      line: '[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name',
      expect: {},
    },
    { line: 'Tasks state (memory values in pages):', expect: null },
  ],
};

// Numeric columns after the pid, by layout: 6 (2.6.32: … cpu oom_adj), 7 (RHEL 6, 3.x, 4.15+), 8 (4.0–4.14),
// 9 (4.14-rc), 10 (6.8+). `rss` is always the 4th (uid, tgid, total_vm, rss); the last is oom_score_adj
// except in the 6-column 2.6.32 layout, where it is the old oom_adj.
const TASK_COLUMNS = /-?\d+/g;

export const oomTask: Recogniser<OomTask> = {
  id: 'oom.task',
  type: 'oom.task',
  guard: ']',
  // The name is the last column and may contain spaces, so it is whatever follows the numbers.
  pattern: /^\[\s*(?<pid>\d+)\]\s+(?<columns>-?\d+(?:\s+-?\d+){5,9}) (?<name>.+)$/,
  build: (g, record) => {
    const pid = toNumber(g.pid);
    if (pid === null) return null;
    const columns = (g.columns ?? '').match(TASK_COLUMNS) ?? [];
    return {
      type: 'oom.task',
      record,
      pid,
      process: g.name ?? '',
      rssPages: toNumber(columns[3]),
      oomScoreAdj: columns.length >= 7 ? toNumber(columns[columns.length - 1]) : null,
    };
  },
  samples: [
    {
      line: '[   2249]     0  2249   246246    24534    16192     8342         0   585728        0             0 anqicms',
      expect: { pid: 2249, process: 'anqicms', rssPages: 24534, oomScoreAdj: 0 },
    },
    {
      line: '[  216]     0   216     2927      798       5       0        2         -1000 udevd',
      expect: { pid: 216, process: 'udevd', rssPages: 798, oomScoreAdj: -1000 },
    },
    {
      line: '[  627]     0   627    62468      841      59      311             0 rsyslogd',
      expect: { pid: 627, process: 'rsyslogd', rssPages: 841, oomScoreAdj: 0 },
    },
    {
      line: '[    812]    33   812   512345   401234  3469312        0             0 php-fpm: pool www',
      expect: { pid: 812, process: 'php-fpm: pool www', rssPages: 401234, oomScoreAdj: 0 },
    },
    {
      line: '[441688]  1000 441688  1234567   987654  8000000        0           300 java',
      expect: { pid: 441688, process: 'java', rssPages: 987654, oomScoreAdj: 300 },
    },
    {
      line: '[ 1234]     0  1234    12345     2345   1     -17 sshd',
      expect: { pid: 1234, process: 'sshd', rssPages: 2345, oomScoreAdj: null },
    },
    {
      line: '[ 1234]     0  1234    12345     2345   1       0         -1000 sshd',
      expect: { pid: 1234, process: 'sshd', rssPages: 2345, oomScoreAdj: -1000 },
    },
    {
      line: '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
      expect: null,
    },
    { line: '[UFW BLOCK] IN=eth0 OUT= MAC=00:00 SRC=1.2.3.4 DST=5.6.7.8 LEN=40', expect: null },
  ],
};

// ---- memcg report ------------------------------------------------------------------------------------------------

export const memcgUsage: Recogniser<MemcgUsage> = {
  id: 'memcg.usage',
  type: 'memcg.usage',
  guard: 'memory: usage ',
  // Only the `memory:` counter; `memory+swap:`, `kmem:` and `swap:` have the same shape and are skipped.
  pattern: /^memory: usage (?<usageKb>\d+)kB, limit (?<limitKb>\d+)kB/,
  build: (g, record) => {
    const usageKb = toNumber(g.usageKb);
    const limitKb = toNumber(g.limitKb);
    if (usageKb === null || limitKb === null) return null;
    return { type: 'memcg.usage', record, usageKb, limitKb };
  },
  samples: [
    { line: 'memory: usage 65536kB, limit 65536kB, failcnt 53', expect: { usageKb: 65536, limitKb: 65536 } },
    {
      line: 'memory: usage 524288kB, limit 524288kB, failcnt 0',
      expect: { usageKb: 524288, limitKb: 524288 },
    },
    { line: 'memory+swap: usage 65536kB, limit 9007199254740988kB, failcnt 0', expect: null },
    { line: 'kmem: usage 768kB, limit 9007199254740988kB, failcnt 0', expect: null },
    { line: 'swap: usage 0kB, limit 9007199254740988kB, failcnt 0', expect: null },
  ],
};

export const memcgTaskIn: Recogniser<MemcgTaskIn> = {
  id: 'memcg.task-in',
  type: 'memcg.task-in',
  guard: ' killed as a result of limit of ',
  pattern: /^Task in (?<taskMemcg>.+?) killed as a result of limit of (?<limitMemcg>.+)$/,
  build: (g, record) => ({
    type: 'memcg.task-in',
    record,
    taskMemcg: g.taskMemcg ?? '',
    limitMemcg: (g.limitMemcg ?? '').trimEnd(),
  }),
  samples: [
    {
      line: 'Task in /docker/6562b1be2e55 killed as a result of limit of /docker/6562b1be2e55',
      expect: { taskMemcg: '/docker/6562b1be2e55', limitMemcg: '/docker/6562b1be2e55' },
    },
    {
      line: 'Task in /system.slice/anqicms.service killed as a result of limit of /system.slice',
      expect: { taskMemcg: '/system.slice/anqicms.service', limitMemcg: '/system.slice' },
    },
  ],
};

// ---- oom.manual ----------------------------------------------------------------------------------------------------

export const oomManual: Recogniser<OomManual> = {
  id: 'oom.manual',
  type: 'oom.manual',
  guard: 'Manual OOM execution',
  pattern: /^(?:sysrq: )?(?:SysRq : )?(?<what>Manual OOM execution)/,
  build: (_g, record) => ({ type: 'oom.manual', record }),
  samples: [
    { line: 'sysrq: SysRq : Manual OOM execution', expect: {} },
    { line: 'sysrq: Manual OOM execution', expect: {} },
    { line: 'SysRq : Manual OOM execution', expect: {} },
  ],
};

/** True for a task-table row: `[` then a space or digit (`[  2249]`, `[441688]`), not `[UFW …]` or `[drm]`. */
function looksLikeTaskRow(message: string): boolean {
  if (message.charCodeAt(0) !== 0x5b) return false;
  const next = message.charCodeAt(1);
  return next === 0x20 || (next >= 0x30 && next <= 0x39);
}

export const kernelOomTable: RecogniserTable = {
  id: 'kernel-oom',
  // Every OOM record holds one of these (task rows aside); an unrelated kernel line costs four `includes`.
  gate: (m) =>
    m.includes('oom') || m.includes('ill') || m.includes('emory') || m.includes('OOM') || looksLikeTaskRow(m),
  recognisers: [
    // Task rows are the most numerous records of a report, so they go first.
    oomTask,
    oomKilled,
    oomKilledRhel6,
    oomKillIntent,
    oomInvoked,
    oomConstraint,
    oomConstraintSplitGlobal,
    oomConstraintSplitMemcg,
    oomReaped,
    oomTaskHeader,
    memcgUsage,
    memcgTaskIn,
    oomManual,
  ],
};
