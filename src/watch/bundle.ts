// The evidence bundle of an incident, cut from the followed sources' rings while the lines are still there: the whole
// kernel OOM report (task table and Mem-Info included, which the verdict never needed), the app's last 200 lines
// before the cliff, and the guardian lines around the death.
import type { Bundle, BundleLine, MemorySample } from '../store/records.js';
import type { RingLine } from './line-ring.js';
import type { Candidate, EvidenceRef } from './live-correlator.js';
import type { LiveSource } from './live-source.js';

const APP_TAIL_LINES = 200;
const GUARDIAN_CONTEXT_LINES = 5;
const GUARDIAN_RECENT_LINES = 10;
/** An OOM report longer than this (a huge task table) is cut at its end. */
const MAX_BLOCK_LINES = 20_000;
/** How far after the kill line the oom_reaper's line is looked for. */
const REAPER_LOOKAHEAD = 40;

export function buildBundle(
  candidate: Candidate,
  sources: readonly LiveSource[],
  memory: MemorySample[],
): Bundle {
  const refsOf = (source: LiveSource): EvidenceRef[] => candidate.refs.filter((r) => r.source === source);
  const oomBlock: BundleLine[] = [];
  const appTail: BundleLine[] = [];
  const guardian: BundleLine[] = [];
  for (const source of sources) {
    const refs = refsOf(source);
    switch (source.kind) {
      case 'kernel':
      case 'system': {
        const oomRefs = refs.filter((r) => r.role === 'kill-record' || r.role === 'oom-report');
        if (oomRefs.length === 0) break;
        const from = Math.min(...oomRefs.map((r) => r.lineNo));
        let to = Math.max(...oomRefs.map((r) => r.lineNo));
        const pid = candidate.incident.pid;
        if (pid !== null) {
          const reaper = source.ring
            .range(to + 1, to + REAPER_LOOKAHEAD)
            .find((l) => l.text.includes(`oom_reaper: reaped process ${pid} `));
          if (reaper) to = reaper.lineNo;
        }
        oomBlock.push(
          ...bundleLines(source, source.ring.range(from, Math.min(to, from + MAX_BLOCK_LINES - 1))),
        );
        break;
      }
      case 'app': {
        if (candidate.kind === 'other') break;
        const own = refs.filter((r) => r.role !== 'next-start');
        // The cliff: the app's last cited line; with none (the kernel's record came first), the newest line now.
        const cliff = own.length > 0 ? Math.max(...own.map((r) => r.lineNo)) : source.ring.newest()?.lineNo;
        if (cliff === undefined) break;
        appTail.push(...bundleLines(source, source.ring.lastUpTo(cliff, APP_TAIL_LINES)));
        break;
      }
      case 'guardian': {
        if (candidate.kind === 'other') break;
        const lines =
          refs.length > 0
            ? source.ring.range(
                Math.min(...refs.map((r) => r.lineNo)) - GUARDIAN_CONTEXT_LINES,
                Math.max(...refs.map((r) => r.lineNo)) + GUARDIAN_CONTEXT_LINES,
              )
            : source.ring.lastUpTo(source.ring.newest()?.lineNo ?? 0, GUARDIAN_RECENT_LINES);
        guardian.push(...bundleLines(source, lines));
        break;
      }
      default:
        break;
    }
  }
  return { oomBlock, appTail, guardian, memory };
}

/** Each part of the fuller bundle: lines seen when a death was first noticed may have left the ring since. */
export function fullerBundle(a: Bundle, b: Bundle | undefined): Bundle {
  if (!b) return a;
  const pick = (x: BundleLine[], y: BundleLine[]) => (y.length > x.length ? y : x);
  return {
    oomBlock: pick(a.oomBlock, b.oomBlock),
    appTail: pick(a.appTail, b.appTail),
    guardian: pick(a.guardian, b.guardian),
    memory: a.memory.length >= b.memory.length ? a.memory : b.memory,
  };
}

function bundleLines(source: LiveSource, lines: readonly RingLine[]): BundleLine[] {
  return lines.map((l) => ({ source: source.displayPath, line: l.displayLine, text: l.text }));
}
