// One line of `oomsleuth guard --incidents FILE` (src/guard/incident.ts): the contract's incident object plus how the
// child ended. analyze reads it as the guard's own record of the death: the verdict the guard reached with evidence
// the logs may not hold (the exit status, its memory cgroup's oom_kill counter, the kernel records it read itself).
import { NO_OOM_FIGURES, type OomFigures, type OomScope } from '../contract/analysis.js';
import type { GuardIncident } from './event.js';
import type { Recogniser } from './recogniser.js';
import { recordedVerdict } from './recorded-verdict.js';

const SCOPES: ReadonlySet<string> = new Set(['global', 'memcg', 'cpuset', 'mempolicy']);

type Json = Record<string, unknown>;

function parseObject(text: string): Json | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // A damaged line (the guard killed mid-write): the framer counts it; nothing is recognised in it.
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isSafeInteger(value) ? value : null;

function instant(value: unknown): number | null {
  const iso = text(value);
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function figures(value: unknown): OomFigures | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const o = value as Json;
  const scope = text(o.scope);
  return {
    ...NO_OOM_FIGURES,
    scope: scope !== null && SCOPES.has(scope) ? (scope as OomScope) : null,
    cgroup: text(o.cgroup),
    invokedBy: text(o.invokedBy),
    totalVmKb: count(o.totalVmKb),
    anonRssKb: count(o.anonRssKb),
    fileRssKb: count(o.fileRssKb),
    shmemRssKb: count(o.shmemRssKb),
    oomScoreAdj: count(o.oomScoreAdj),
  };
}

export const guardIncident: Recogniser<GuardIncident> = {
  id: 'guard.incident',
  type: 'guard.incident',
  guard: '"cause":',
  pattern: /^(?<object>\{.*\})\s*$/s,
  build: (g, record) => {
    const o = parseObject(g.object ?? '');
    if (o === null) return null;
    const name = text(o.process);
    const verdict = recordedVerdict(o.cause, o.confidence);
    if (name === null || verdict === null) return null;
    const exit = typeof o.exit === 'object' && o.exit !== null ? (o.exit as Json) : {};
    const within = Array.isArray(o.diedWithin) ? o.diedWithin : null;
    return {
      type: 'guard.incident',
      record,
      name,
      pid: count(o.pid),
      diedAtMs: instant(o.diedAt),
      diedWithinMs: within === null ? null : [instant(within[0]), instant(within[1])],
      restartedAtMs: instant(o.restartedAt),
      verdict,
      signal: text(exit.signal),
      code: count(exit.code),
      oom: figures(o.oom),
      command: Array.isArray(o.command) ? o.command.filter((w): w is string => typeof w === 'string') : [],
    };
  },
  samples: [
    {
      line: '{"process":"anqicms","pid":4242,"diedAt":"2024-07-23T10:41:05.312+08:00","diedWithin":null,"restartedAt":"2024-07-23T10:41:05.339+08:00","cause":"oom-killer","confidence":"confirmed","oom":{"scope":"memcg","cgroup":"/system.slice/oomsleuth-guard-2950-anqicms-lyx07qd","invokedBy":"anqicms","totalVmKb":1392120,"anonRssKb":1046020,"fileRssKb":1264,"shmemRssKb":0,"oomScoreAdj":0},"missing":[],"evidence":[],"exit":{"code":null,"signal":"SIGKILL"},"memory":[],"uptimeMs":7385012,"memoryLimitKb":1048576,"command":["/www/wwwroot/a.example.com/anqicms"]}',
      expect: {
        name: 'anqicms',
        pid: 4242,
        diedAtMs: Date.parse('2024-07-23T10:41:05.312+08:00'),
        restartedAtMs: Date.parse('2024-07-23T10:41:05.339+08:00'),
        verdict: { cause: 'oom-killer', confidence: 'confirmed' },
        signal: 'SIGKILL',
        code: null,
        command: ['/www/wwwroot/a.example.com/anqicms'],
      },
    },
    {
      line: '{"process":"anqicms","pid":16994,"diedAt":"2026-11-27T10:00:00.512+08:00","diedWithin":null,"restartedAt":null,"cause":"crash","confidence":"confirmed","oom":null,"missing":[],"evidence":[],"exit":{"code":2,"signal":null},"memory":[],"uptimeMs":510,"memoryLimitKb":null,"command":["./anqicms"]}',
      expect: {
        pid: 16994,
        verdict: { cause: 'crash', confidence: 'confirmed' },
        code: 2,
        signal: null,
        oom: null,
      },
    },
    // Not the guard's: no verdict in the contract's words.
    { line: '{"process":"anqicms","pid":1,"cause":"bad luck","confidence":"sure"}', expect: null },
    { line: '{"process":"anqicms","pid":1,"cause":"crash",', expect: null },
  ],
};
