// The child's last words: the end of what it wrote to the app log during its life, read once at its death and run
// through the shared app-log carrier and recognisers (Go panics, `fatal error: runtime: out of memory`, `退出 …`).
import { open } from 'node:fs/promises';
// The carrier straight from its module (not carrier-list, which loads every format: ~4 MiB for the guard).
import { appLog } from '../framing/app-log.js';
// The app table alone, not recognise/index (which loads every table): the guard stays small.
import { recogniseAppRecord } from '../recognise/app.js';
import type { AppPanic, AppPortInUse, AppRuntimeOom, AppShutdown } from '../recognise/event.js';

/** Enough for a panic and its goroutine dump; a dump of thousands of goroutines puts `panic:` further back. */
export const TAIL_BYTES = 512 * 1024;

export interface AppLastWords {
  readonly runtimeOom: AppRuntimeOom | null;
  readonly panic: AppPanic | null;
  readonly shutdown: AppShutdown | null;
  readonly portInUse: AppPortInUse | null;
  /** The last non-blank line of the life, for the record. */
  readonly lastLine: string | null;
}

export const NO_WORDS: AppLastWords = Object.freeze({
  runtimeOom: null,
  panic: null,
  shutdown: null,
  portInUse: null,
  lastLine: null,
});

/** The dying words among the lines of one life's output (the first of each kind: the cause, not its echoes). */
export function findLastWords(text: string): AppLastWords {
  const framer = appLog.createFramer(0);
  let runtimeOom: AppRuntimeOom | null = null;
  let panic: AppPanic | null = null;
  let shutdown: AppShutdown | null = null;
  let portInUse: AppPortInUse | null = null;
  let lastLine: string | null = null;
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    const record = framer.frame({ sourceId: 0, lineNo, text: line });
    if (record === null) continue;
    lastLine = record.text;
    const event = recogniseAppRecord(record);
    switch (event?.type) {
      case 'app.runtime-oom':
        // Go prints `runtime: out of memory: cannot allocate …` then `fatal error: …`: the fatal error names the death.
        if (
          runtimeOom === null ||
          (!runtimeOom.message.startsWith('fatal error:') && event.message.startsWith('fatal error:'))
        )
          runtimeOom = event;
        break;
      case 'app.panic':
        panic ??= event;
        break;
      case 'app.shutdown':
        shutdown ??= event;
        break;
      case 'app.port-in-use':
        portInUse ??= event;
        break;
      default:
        break;
    }
  }
  return { runtimeOom, panic, shutdown, portInUse, lastLine };
}

/**
 * What the app log holds from `fromOffset` (its size when the life began) to its end, at most the last TAIL_BYTES.
 * A file now shorter than `fromOffset` was truncated or replaced (logrotate): its tail is read instead.
 */
export async function readLifeOutput(path: string, fromOffset: number): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    // No app log (removed, or never written): no last words. Any other failure is the caller's to say.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const lifeStart = size >= fromOffset ? fromOffset : 0;
    const start = Math.max(lifeStart, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    let text = buffer.toString('utf8', 0, bytesRead);
    // Started mid-line: the first, partial line is not a line of its own.
    if (start > lifeStart) text = text.slice(text.indexOf('\n') + 1);
    return text;
  } finally {
    await handle.close();
  }
}
