// The kernel's task table at a kill (`[ pid ] uid tgid total_vm rss … name`), read back from the OOM report's lines:
// every process the OOM killer weighed, with its resident memory. The verdict never needs it, the picture does.
import { detectCarrier } from '../framing/detect.js';
import { recognise } from '../recognise/index.js';
import type { PictureLine } from './model.js';

export interface TaskRow {
  readonly pid: number;
  readonly process: string;
  /** Resident set in kB (the table counts pages; a page is taken as 4 kB, as on x86 and most arm64 kernels). */
  readonly rssKb: number | null;
  readonly oomScoreAdj: number | null;
}

const PAGE_KB = 4;

/**
 * The task table of the last kill in `lines` (an OOM report, or the lines before a kill), in the kernel's order; empty
 * when there is none. A kill line closes the table before it, so an earlier report's table is never taken for a later
 * kill whose report printed none (vm.oom_dump_tasks=0, or a rate-limited header).
 */
export function taskTableOf(lines: readonly PictureLine[]): TaskRow[] {
  if (lines.length === 0) return [];
  const texts = lines.map((l) => l.text);
  const carrier = detectCarrier(texts.slice(0, 200), '');
  if (carrier === null) return [];
  const framer = carrier.createFramer(0);
  let rows: TaskRow[] = [];
  let ofLastKill: TaskRow[] = [];
  let afterKill = false;
  texts.forEach((text, index) => {
    const record = framer.frame({ sourceId: 0, lineNo: index + 1, text });
    if (record === null) return;
    const event = recognise(record, carrier.kind === 'app' ? 'kernel' : carrier.kind);
    if (event?.type === 'oom.killed') {
      // The table printed since the last kill belongs to this one; none printed: this kill has none — unless it is
      // one of a group killed at once (memory.oom.group), whose kill lines follow each other directly.
      if (rows.length > 0 || !afterKill) ofLastKill = rows;
      rows = [];
      afterKill = true;
      return;
    }
    afterKill = false;
    if (event?.type === 'oom.task-header' || event?.type === 'oom.invoked') rows = [];
    else if (event?.type === 'oom.task') {
      rows.push({
        pid: event.pid,
        process: event.process,
        rssKb: event.rssPages === null ? null : event.rssPages * PAGE_KB,
        oomScoreAdj: event.oomScoreAdj,
      });
    }
  });
  // Lines that end before their kill (a bundle cut short) still show the table they hold.
  return rows.length > 0 ? rows : ofLastKill;
}
