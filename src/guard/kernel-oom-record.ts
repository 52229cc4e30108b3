// The kernel's account of one OOM kill, assembled from the records that name the victim's pid: the `Killed process`
// line (always), the 5.0+ `oom-kill:` summary (scope, cgroup) and the `invoked oom-killer` trigger before them.

import type { OomFigures } from '../contract/analysis.js';
import type { LogRecord } from '../framing/record.js';
import type { Event, OomConstraint, OomInvoked, OomKilled } from '../recognise/event.js';

/** An event of the kernel log together with where it was read and the wall time it was written. */
export interface KernelEvent {
  readonly event: OomEventOfInterest;
  /** Milliseconds since the epoch (kmsg: from the monotonic stamp; journal: its realtime stamp); null if unknown. */
  readonly atMs: number | null;
  /** Position in the stream it came from (kmsg seq, or a running count for the journal), for "after the start". */
  readonly order: number;
}

export type OomEventOfInterest = OomKilled | OomConstraint | OomInvoked;

/** The records of one kill. */
export interface KernelKill {
  readonly killed: KernelEvent & { readonly event: OomKilled };
  readonly constraint: (KernelEvent & { readonly event: OomConstraint }) | null;
  readonly invoked: (KernelEvent & { readonly event: OomInvoked }) | null;
}

/** True for the kernel events a death's verdict may need; the rest of the kernel log is read and dropped. */
export function isOomEventOfInterest(event: Event | null): event is OomEventOfInterest {
  return event?.type === 'oom.killed' || event?.type === 'oom.constraint' || event?.type === 'oom.invoked';
}

/** Only the kernel writes these: a user process writing `Killed process …` into /dev/kmsg gets another facility. */
export function isFromKernel(record: LogRecord): boolean {
  return record.ident === 'kernel' || record.ident === null;
}

/**
 * The kill of `pid` among `events` (oldest first) written after `afterOrder`, with the summary and trigger of the same
 * report: the summary naming the pid, and the last trigger before it.
 */
export function findKernelKill(
  events: readonly KernelEvent[],
  pid: number,
  afterOrder: number,
): KernelKill | null {
  const index = events.findIndex(
    (e) => e.order > afterOrder && e.event.type === 'oom.killed' && e.event.pid === pid,
  );
  if (index < 0) return null;
  const killed = events[index] as KernelEvent & { event: OomKilled };
  let constraint: KernelKill['constraint'] = null;
  let invoked: KernelKill['invoked'] = null;
  for (let i = index - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.order <= afterOrder) break;
    if (constraint === null && e.event.type === 'oom.constraint' && e.event.pid === pid) {
      constraint = e as KernelEvent & { event: OomConstraint };
    } else if (e.event.type === 'oom.invoked') {
      invoked = e as KernelEvent & { event: OomInvoked };
      break;
    } else if (e.event.type === 'oom.killed') {
      // The previous report's victim: what comes before it belongs to that report.
      break;
    }
  }
  return { killed, constraint, invoked };
}

/** The contract's `oom` figures of a kill, from the kernel's own words. */
export function kernelKillFigures(kill: KernelKill): OomFigures {
  const { killed, constraint, invoked } = kill;
  return {
    scope: constraint?.event.scope ?? killed.event.scope,
    cgroup: constraint?.event.oomMemcg ?? null,
    invokedBy: invoked?.event.trigger ?? null,
    totalVmKb: killed.event.totalVmKb,
    anonRssKb: killed.event.anonRssKb,
    fileRssKb: killed.event.fileRssKb,
    shmemRssKb: killed.event.shmemRssKb,
    oomScoreAdj: killed.event.oomScoreAdj,
  };
}
