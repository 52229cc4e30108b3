// Pre-rendered traffic. A GiB of syslog is ~6 million lines; building each as a fresh string and encoding it costs
// microseconds, which would make generation alone blow the 10-minute budget. So the writers render a pool of
// traffic once, as bytes, and copy a random entry per line — patching in the line's own stamp where the message
// carries one (nginx's access time, Go's log prefix, MySQL's ISO stamp) and the pid of a process that changes over
// the year (the app, mysqld). The pool is small on purpose: 8192 entries stay in the CPU cache, 65 536 made each
// random copy ~4× slower.
import type { Random } from './random.js';
import type { DayStyle } from './stamp-bytes.js';
import { goLogStamper, isoSecondStamper, nginxStamper } from './stamp-text.js';
import type { Story } from './story.js';
import { createTraffic, type LogEvent } from './traffic.js';

export const POOL_SIZE = 1 << 13;

/** Whose pid a pooled line carries: its own (fixed), none (kernel), or whichever instance is alive (app, mysqld). */
export type PidKind = 'fixed' | 'kernel' | 'app' | 'mysqld';

/** A stamp inside a pooled message: which style, and the byte offset where its day part starts. */
export interface StampSpot {
  readonly style: DayStyle;
  readonly at: number;
}

export interface TrafficSample {
  readonly events: LogEvent[];
  /** Finds the sample time's stamp in a rendering of an event's message (plain or JSON-escaped). */
  findStamp(rendered: string): StampSpot | null;
}

/** `size` traffic events taken a few seconds into the story, when the app and mysqld are both alive. */
export function sampleTraffic(random: Random, story: Story, size = POOL_SIZE): TrafficSample {
  const t0 = story.startMs + 7000; // the first kill comes hours later
  const traffic = createTraffic(random, story);
  const events: LogEvent[] = [];
  for (let i = 0; i < size; i++) events.push(traffic(t0));
  const stamps: ReadonlyArray<readonly [DayStyle, string]> = [
    ['nginx', nginxStamper()(t0)],
    ['go', goLogStamper()(t0)],
    ['iso', isoSecondStamper()(t0)],
  ];
  return {
    events,
    findStamp(rendered) {
      for (const [style, text] of stamps) {
        const charAt = rendered.indexOf(text);
        if (charAt >= 0) return { style, at: Buffer.byteLength(rendered.slice(0, charAt), 'utf8') };
      }
      return null;
    },
  };
}

export function pidKindOf(event: LogEvent): PidKind {
  if (event.transport === 'kernel') return 'kernel';
  if (event.ident === 'mysqld') return 'mysqld';
  if (event.ident === 'anqicms') return 'app';
  return 'fixed';
}
