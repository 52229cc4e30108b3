// Evidence the supervisor judges a death by that cannot be read (the kernel log at the child's start, the cgroup's
// oom_kill counter) is said on stderr with its code, once, and the death is still judged and recorded.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CheckLog } from '../../src/guard/check-log.js';
import type { GuardConfig } from '../../src/guard/guard-config.js';
import type { KernelLog } from '../../src/guard/kernel-log.js';
import type { Memcg } from '../../src/guard/memcg.js';
import { Supervisor } from '../../src/guard/supervisor.js';

test('an unreadable kernel log or oom_kill counter is said once, with its code; the death is still recorded', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-supervisor-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config: GuardConfig = {
    command: '/bin/sh',
    args: ['-c', 'exit 3'],
    commandLine: ['/bin/sh', '-c', 'exit 3'],
    name: 'evidence-test',
    cwd: dir,
    checkLog: join(dir, 'check.log'),
    appLog: join(dir, 'running.log'),
    incidents: null,
    pidFile: join(dir, 'guard.pid'),
    memoryLimitBytes: 64 * 1024 * 1024,
    checkIntervalMs: 60_000,
    sampleIntervalMs: 1_000,
    sampleWindowMs: 10_000,
    warnBeforeMs: 0,
    stopTimeoutMs: 1_000,
    stableAfterMs: 60_000,
    maxRestarts: 0,
    once: true,
    daemon: false,
    language: 'en',
    jsonLanguage: 'en',
  };
  const kernelLog: KernelLog = {
    via: '/dev/kmsg',
    problem: null,
    mark: async () => {
      throw new Error('read /dev/kmsg: input/output error');
    },
    findKill: async () => null,
    close: async () => undefined,
  };
  const cgroup: Memcg = {
    version: 1,
    dir: join(dir, 'cg'),
    cgroupPath: '/oomsleuth-guard-1-evidence-test',
    limitBytes: 64 * 1024 * 1024,
    addProcess: async () => undefined,
    pids: async () => [],
    oomKillCount: async () => {
      throw new Error('memory.oom_control has no oom_kill line (kernel older than 4.13?)');
    },
    usage: async () => ({ usageBytes: 0, limitBytes: 64 * 1024 * 1024 }),
    remove: async () => undefined,
  };
  const said: string[] = [];
  const say = (message: string) => said.push(message);
  const checkLog = new CheckLog(config.checkLog, say);
  const supervisor = new Supervisor({
    config,
    checkLog,
    kernelLog,
    memcg: { cgroup, homeDir: dir },
    appendIncident: async () => undefined,
    say,
  });
  assert.equal(await supervisor.run(), 3);
  await checkLog.flush();
  const evidence = said.filter((m) => m.includes('[OOMS_E_GUARD_EVIDENCE_UNREADABLE]'));
  assert.equal(evidence.filter((m) => /cannot read the kernel log .*input\/output error/.test(m)).length, 1);
  assert.equal(
    evidence.filter((m) => /oom_kill counter .*no oom_kill line/.test(m)).length,
    1,
    said.join('\n'),
  );
  assert.match(await readFile(config.checkLog, 'utf8'), /evidence-test died: exit code 3/);
});
