// The cause rules' precedence, decided directly from literal death cases: what each edge of the contract's order
// makes of a death when two kinds of evidence disagree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceKind } from '../../src/contract/analysis.js';
import { type DeathCase, decideCause } from '../../src/correlate/causes/index.js';
import type { EvidenceRole, FindingEvidence, GuardFact } from '../../src/correlate/finding.js';
import { recognise } from '../../src/recognise/index.js';
import { sampleRecord } from '../../src/recognise/sample-record.js';

/** A log line as evidence: recognised by the real recognisers of a source of `kind`. */
function logLine(
  role: EvidenceRole,
  kind: SourceKind,
  text: string,
  ident: string | null = null,
): FindingEvidence {
  const fact = recognise(sampleRecord(text, { ident }), kind);
  assert.ok(fact, `not recognised as ${kind}: ${text}`);
  return { role, fact, sourceId: 0, source: 'test', line: 1, atMs: null, text };
}

/** Something the guard saw itself, as evidence. */
function guardSaw(role: EvidenceRole, fact: GuardFact, text: string): FindingEvidence {
  return { role, fact, sourceId: null, source: 'oomsleuth guard', line: null, atMs: null, text };
}

const KILL_LINE = logLine(
  'kill-record',
  'kernel',
  'Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:7908kB oom_score_adj:0',
);
const SHUTDOWN = logLine('dying-words', 'app', '退出 terminated');
const RUNTIME_OOM = logLine('dying-words', 'app', 'fatal error: runtime: out of memory');
const PANIC = logLine(
  'dying-words',
  'app',
  'panic: runtime error: invalid memory address or nil pointer dereference',
);
const SYSTEMD_STOPPING = logLine('stop-record', 'system', 'Stopping anqicms.service - AnQiCMS...', 'systemd');
const EARLYOOM = logLine(
  'kill-record',
  'system',
  'sending SIGTERM to process 23456 uid 0 "anqicms": badness 880, VmRSS 3312 MiB',
  'earlyoom',
);
const GUARD_STOP = guardSaw(
  'stop-record',
  { type: 'guard.stop', why: 'the guard got SIGTERM', killedAfterMs: null },
  'SIGTERM from the guard (the guard got SIGTERM)',
);
const HOST_OOM_COUNT = guardSaw(
  'memory-pressure',
  { type: 'host.oom-count', before: 10, after: 11 },
  'oom_kill 11',
);

function exit(
  signal: string | null,
  code: number | null = null,
  known = true,
): NonNullable<DeathCase['exit']> {
  const fact: GuardFact = {
    type: 'guard.exit',
    name: 'anqicms',
    pid: 23456,
    known,
    code,
    signal,
    uptimeMs: null,
  };
  return { known, code, signal, evidence: guardSaw('exit-status', fact, `exit ${signal ?? code}`) };
}

function memcgCount(own: boolean): NonNullable<DeathCase['memcgOomCount']> {
  const fact: GuardFact = {
    type: 'memcg.oom-count',
    cgroup: '/system.slice/anqicms.service',
    before: 0,
    after: 1,
    own,
  };
  return { own, evidence: guardSaw('kill-record', fact, 'oom_kill 1') };
}

/** A death nothing explains, every log read: each test adds what it is about. */
const NOTHING: DeathCase = {
  kernelKill: null,
  unitOom: null,
  memcgOomCount: null,
  daemonKill: null,
  exit: null,
  guardStop: null,
  recorded: null,
  words: { runtimeOom: [], panic: [], shutdown: [], portInUse: [] },
  crashRecords: [],
  stops: [],
  memoryPressure: [],
  kernelLogRead: true,
  daemonLogsRead: true,
};

const words = (w: Partial<DeathCase['words']>): DeathCase['words'] => ({ ...NOTHING.words, ...w });

function verdictOf(death: DeathCase) {
  const v = decideCause(death);
  return { cause: v.cause, confidence: v.confidence, reason: v.reason.kind, because: v.because };
}

test("the kernel's kill record outranks the app's shutdown words and the guard's own stop", () => {
  const v = verdictOf({
    ...NOTHING,
    kernelKill: { evidence: [KILL_LINE], manual: false, byOrder: false },
    exit: exit('SIGKILL'),
    guardStop: GUARD_STOP,
    words: words({ shutdown: [SHUTDOWN] }),
    stops: [SYSTEMD_STOPPING],
  });
  assert.deepEqual(v, {
    cause: 'oom-killer',
    confidence: 'confirmed',
    reason: 'kernel-kill',
    because: [KILL_LINE],
  });
});

test('a kernel kill tied to the death by order alone is only likely', () => {
  const v = verdictOf({ ...NOTHING, kernelKill: { evidence: [KILL_LINE], manual: false, byOrder: true } });
  assert.deepEqual([v.cause, v.confidence], ['oom-killer', 'likely']);
});

test('a kernel kill asked for with SysRq-f is a stop, likely, even though it arrived as SIGKILL', () => {
  const v = verdictOf({
    ...NOTHING,
    kernelKill: { evidence: [KILL_LINE], manual: true, byOrder: false },
    exit: exit('SIGKILL'),
  });
  assert.deepEqual(v, {
    cause: 'stopped',
    confidence: 'likely',
    reason: 'manual-kill',
    because: [KILL_LINE],
  });
});

test("the memory cgroup's oom_kill count decides only a SIGKILL or an end nobody saw", () => {
  const counted = { ...NOTHING, memcgOomCount: memcgCount(true) };
  for (const end of [exit('SIGKILL'), exit(null, null, false), null]) {
    const v = verdictOf({ ...counted, exit: end });
    assert.deepEqual(
      [v.cause, v.reason],
      ['oom-killer', 'memcg-oom-count'],
      `exit ${end === null ? 'not seen' : end.known ? end.signal : 'unknown'}`,
    );
  }
  // A clean exit or a stop signal is not the kill the counter counted: that was another process in the cgroup (a child).
  assert.equal(verdictOf({ ...counted, exit: exit(null, 0) }).reason, 'exit-zero');
  assert.equal(verdictOf({ ...counted, exit: exit('SIGTERM') }).reason, 'stop-signal');
});

test("the oom_kill count of the child's own cgroup confirms; of a shared one it is only likely", () => {
  assert.equal(
    verdictOf({ ...NOTHING, exit: exit('SIGKILL'), memcgOomCount: memcgCount(true) }).confidence,
    'confirmed',
  );
  assert.equal(
    verdictOf({ ...NOTHING, exit: exit('SIGKILL'), memcgOomCount: memcgCount(false) }).confidence,
    'likely',
  );
});

test("an OOM daemon's kill outranks the shutdown line its SIGTERM made the app print", () => {
  const v = verdictOf({
    ...NOTHING,
    daemonKill: [EARLYOOM],
    exit: exit('SIGTERM'),
    words: words({ shutdown: [SHUTDOWN] }),
  });
  assert.deepEqual(v, {
    cause: 'oom-daemon',
    confidence: 'confirmed',
    reason: 'daemon-kill',
    because: [EARLYOOM],
  });
});

test("the guard's own stop outranks the runtime's out-of-memory words printed while stopping", () => {
  const v = verdictOf({
    ...NOTHING,
    guardStop: GUARD_STOP,
    exit: exit(null, 2),
    words: words({ runtimeOom: [RUNTIME_OOM] }),
  });
  assert.deepEqual(v, {
    cause: 'stopped',
    confidence: 'confirmed',
    reason: 'guard-stop',
    because: [GUARD_STOP],
  });
});

test('without a stop, the runtime-oom words decide, and outrank a panic printed with them', () => {
  const v = verdictOf({
    ...NOTHING,
    exit: exit(null, 2),
    words: words({ runtimeOom: [RUNTIME_OOM], panic: [PANIC] }),
  });
  assert.deepEqual(v, {
    cause: 'runtime-oom',
    confidence: 'confirmed',
    reason: 'runtime-oom',
    because: [RUNTIME_OOM],
  });
});

test("panic words outrank someone else's stop record", () => {
  const v = verdictOf({ ...NOTHING, stops: [SYSTEMD_STOPPING], words: words({ panic: [PANIC] }) });
  assert.deepEqual(v, { cause: 'crash', confidence: 'confirmed', reason: 'panic', because: [PANIC] });
});

test("the app's last words are only likely when the observer could not see how it ended", () => {
  const v = verdictOf({ ...NOTHING, exit: exit(null, null, false), words: words({ panic: [PANIC] }) });
  assert.deepEqual([v.cause, v.confidence], ['crash', 'likely']);
});

test('shutdown words are a confirmed stop only when the logs an OOM daemon writes to were read', () => {
  const read = verdictOf({ ...NOTHING, words: words({ shutdown: [SHUTDOWN] }), daemonLogsRead: true });
  assert.deepEqual(read, {
    cause: 'stopped',
    confidence: 'confirmed',
    reason: 'shutdown-words',
    because: [SHUTDOWN],
  });
  const unread = verdictOf({ ...NOTHING, words: words({ shutdown: [SHUTDOWN] }), daemonLogsRead: false });
  assert.deepEqual(unread, {
    cause: 'stopped',
    confidence: 'likely',
    reason: 'shutdown-words',
    because: [SHUTDOWN],
  });
});

test('a SIGKILL with memory pressure is likely the OOM killer only when no kernel log was read', () => {
  const pressed = { ...NOTHING, exit: exit('SIGKILL'), memoryPressure: [HOST_OOM_COUNT] };
  const unread = verdictOf({ ...pressed, kernelLogRead: false });
  assert.deepEqual(unread, {
    cause: 'oom-killer',
    confidence: 'likely',
    reason: 'sigkill-memory-pressure',
    because: [HOST_OOM_COUNT],
  });
  // A kernel log was read and holds no kill for it: the pressure proves nothing.
  const read = verdictOf({ ...pressed, kernelLogRead: true });
  assert.deepEqual(read, {
    cause: 'unexplained',
    confidence: 'possible',
    reason: 'sigkill-unexplained',
    because: [pressed.exit.evidence],
  });
});

test('a death with nothing said about it is unexplained, possible, decided by nothing', () => {
  assert.deepEqual(verdictOf(NOTHING), {
    cause: 'unexplained',
    confidence: 'possible',
    reason: 'no-record',
    because: [],
  });
});
