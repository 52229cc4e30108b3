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

/** The rows of the last task table in `lines` (an OOM report), in the kernel's order; empty when there is none. */
export function taskTableOf(lines: readonly PictureLine[]): TaskRow[] {
  if (lines.length === 0) return [];
  const texts = lines.map((l) => l.text);
  const carrier = detectCarrier(texts.slice(0, 200), '');
  if (carrier === null) return [];
  const framer = carrier.createFramer(0);
  let rows: TaskRow[] = [];
  texts.forEach((text, index) => {
    const record = framer.frame({ sourceId: 0, lineNo: index + 1, text });
    if (record === null) return;
    const event = recognise(record, carrier.kind === 'app' ? 'kernel' : carrier.kind);
    // A second report in the same lines (an OOM storm): its table is the one nearest the kill.
    if (event?.type === 'oom.task-header') rows = [];
    else if (event?.type === 'oom.task') {
      rows.push({
        pid: event.pid,
        process: event.process,
        rssKb: event.rssPages === null ? null : event.rssPages * PAGE_KB,
        oomScoreAdj: event.oomScoreAdj,
      });
    }
  });
  return rows;
}
