// Turns observations into the contract's evidence entries, each saying in words what the line proves.

import type { Clock } from '../clock/clock.js';
import type { Evidence } from '../contract/analysis.js';
import type { Event } from '../recognise/event.js';
import { formatKb } from '../report/sizes.js';
import type { Observation, ScannedSource } from '../scan/observation.js';

export class EvidenceWriter {
  private readonly byId: Map<number, ScannedSource>;

  constructor(
    sources: readonly ScannedSource[],
    private readonly clock: Clock,
  ) {
    this.byId = new Map(sources.map((s) => [s.id, s]));
  }

  /** Evidence entries for observations, in the order given, each line once. */
  write(items: readonly { observation: Observation; says?: string }[]): Evidence[] {
    const seen = new Set<Observation>();
    const out: Evidence[] = [];
    for (const { observation, says } of items) {
      if (seen.has(observation)) continue;
      seen.add(observation);
      const { record } = observation.event;
      out.push({
        source: this.byId.get(record.sourceId)?.displayPath ?? `source ${record.sourceId}`,
        line: record.lineNo,
        time: this.clock.iso(this.clock.observationTime(observation)),
        text: record.text,
        says: says ?? describe(observation.event),
      });
    }
    return out;
  }
}

/** What a line proves, in a few words. */
export function describe(e: Event): string {
  switch (e.type) {
    case 'oom.invoked':
      return `${e.trigger} triggered the OOM killer${e.order === -1 ? ' (manual, order=-1)' : ''}`;
    case 'oom.manual':
      return 'a manual OOM kill was requested (SysRq-f)';
    case 'oom.constraint':
      return `OOM summary: ${e.scope ?? 'unknown'} OOM${e.oomMemcg ? ` in ${e.oomMemcg}` : ''}${e.pid !== null ? `, victim ${e.process} pid ${e.pid}` : ''}`;
    case 'oom.kill-intent':
      return `kernel chose pid ${e.pid} (${e.process}) to kill`;
    case 'oom.killed':
      return `kernel OOM kill of pid ${e.pid} (${e.process})${e.anonRssKb !== null ? `, anon-rss ${formatKb(e.anonRssKb)}` : ''}`;
    case 'oom.reaped':
      return `oom_reaper freed the memory of pid ${e.pid}: the kill took effect`;
    case 'memcg.usage':
      return `memory cgroup at its limit: usage ${formatKb(e.usageKb)} of ${formatKb(e.limitKb)}`;
    case 'memcg.task-in':
      return `victim in ${e.taskMemcg}, limit hit in ${e.limitMemcg}`;
    case 'unit.oom':
      return `systemd: the kernel OOM killer killed a process of ${e.unit}`;
    case 'unit.oomd':
      return `systemd: systemd-oomd killed processes of ${e.unit}`;
    case 'unit.exited':
      return `systemd: main process of ${e.unit} exited (${e.code}, ${e.status})`;
    case 'unit.result':
      return `systemd: ${e.unit} failed with result '${e.result}'`;
    case 'unit.stopping':
      return `systemd is stopping ${e.unit}`;
    case 'unit.stopped':
      return `systemd stopped ${e.unit}`;
    case 'unit.started':
      return `systemd started ${e.unit}`;
    case 'oomd.killed':
      return `systemd-oomd killed ${e.cgroup}`;
    case 'earlyoom.killed':
      return `earlyoom sent ${e.signal} to pid ${e.pid ?? '?'} (${e.process})`;
    case 'fboomd.killed':
      return `oomd killed ${e.cgroup}`;
    case 'kernel.segfault':
      return `kernel: ${e.process} pid ${e.pid} crashed (segfault)`;
    case 'guardian.check':
      return `guardian check: ${e.name} count ${e.value === '' ? '(empty)' : e.value}`;
    case 'guardian.restart':
      return `guardian found ${e.name} not running and restarted it`;
    case 'guardian.stop':
      return `guardian stop script${e.pid !== null ? ` killed pid ${e.pid}` : ''}`;
    case 'guard.died':
      return `oomsleuth guard saw ${e.name} die${e.signal ? ` of ${e.signal}` : e.code !== null ? ` with exit code ${e.code}` : ''}`;
    case 'app.start':
      return 'the app started';
    case 'app.shutdown':
      return `the app caught a signal and shut down${e.signal ? ` (${e.signal})` : ''}`;
    case 'app.restart-in-place':
      return 'the app re-executed itself (same pid, not a death)';
    case 'app.panic':
      return `the app crashed: ${clip(e.message)}`;
    case 'app.runtime-oom':
      return `the runtime could not allocate memory and aborted: ${clip(e.message)}`;
    case 'app.port-in-use':
      return 'a second copy found the port in use and exited';
    case 'app.line':
      return 'last line the app wrote before it died';
    case 'oom.task':
    case 'oom.task-header':
      return 'OOM task table';
  }
}

function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
