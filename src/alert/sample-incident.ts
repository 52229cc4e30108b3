// The incident `oomsleuth alert test` sends: an OOM kill of a process named `oomsleuth-test`, so that whoever reads
// it in the chat sees at once that it is a test, in the same shape and format as a real alert.
import { formatIso } from '../clock/zone.js';
import type { Incident } from '../contract/analysis.js';
import { type IncidentAlert, incidentAlert } from './payload.js';

export const SAMPLE_PROCESS = 'oomsleuth-test';

export function sampleIncidentAlert(host: string, nowMs: number, zone: string): IncidentAlert {
  const iso = (ms: number) => formatIso(ms, zone);
  const killedAt = nowMs - 2000;
  const killed = `Out of memory: Killed process 4242 (${SAMPLE_PROCESS}) total-vm:1048576kB, anon-rss:524288kB, file-rss:2048kB, shmem-rss:0kB, UID:0 pgtables:1100kB oom_score_adj:0`;
  const incident: Incident = {
    process: SAMPLE_PROCESS,
    pid: 4242,
    diedAt: iso(killedAt),
    diedWithin: [iso(killedAt - 60_000), iso(nowMs)],
    restartedAt: iso(nowMs),
    cause: 'oom-killer',
    confidence: 'confirmed',
    oom: {
      scope: 'global',
      cgroup: null,
      invokedBy: SAMPLE_PROCESS,
      totalVmKb: 1_048_576,
      anonRssKb: 524_288,
      fileRssKb: 2048,
      shmemRssKb: 0,
      oomScoreAdj: 0,
    },
    missing: [],
    evidence: [
      {
        source: 'oomsleuth alert test',
        line: null,
        time: iso(killedAt),
        text: killed,
        says: `a sample kernel OOM kill of pid 4242 (${SAMPLE_PROCESS}): this is a test of the alert path`,
      },
    ],
  };
  return incidentAlert(`test-${host}-${nowMs}`, host, SAMPLE_PROCESS, 'app', incident, 0);
}
