// A recogniser is data plus a small function: a cheap guard, one named-group pattern, a builder, and sample lines.
import type { LogRecord } from '../framing/record.js';
import type { Event } from './event.js';

/** The named groups of one match. Absent optional groups are `undefined`. */
export type Groups = Readonly<Record<string, string | undefined>>;

/** An event's own fields: everything except the discriminant and the record it came from. */
export type EventFields<E extends Event> = E extends Event ? Omit<E, 'type' | 'record'> : never;

/** A real line and what it must yield: a subset of the event's fields, or null for "no event". */
export interface Sample<E extends Event> {
  readonly line: string;
  readonly expect: Partial<EventFields<E>> | null;
}

export interface Recogniser<E extends Event = Event> {
  /** Stable name, unique across the registry, e.g. `oom.killed.rhel6`. */
  readonly id: string;
  /** The event type this recogniser produces (registry check asserts it). */
  readonly type: E['type'];
  /** A substring every matching message contains; tested with `includes` before the regex runs. */
  readonly guard: string;
  /** Named groups only; no `g`/`y` flag (they make `exec` stateful). */
  readonly pattern: RegExp;
  /** Turns the groups into an event; null when the match turns out not to be one. Never throws. */
  build(groups: Groups, record: LogRecord): E | null;
  /** Real forms from shared/reference/log-formats.md; run as tests by the registry check. */
  readonly samples: readonly Sample<E>[];
}

/** Runs one recogniser on one record: guard, then pattern, then build. */
export function runRecogniser<E extends Event>(recogniser: Recogniser<E>, record: LogRecord): E | null {
  const message = record.message;
  if (!message.includes(recogniser.guard)) return null;
  const match = recogniser.pattern.exec(message);
  if (match === null || match.groups === undefined) return null;
  return recogniser.build(match.groups, record);
}
