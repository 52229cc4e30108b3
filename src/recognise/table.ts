// A table is one family of recognisers tried in order; an optional gate skips the whole family in one go.
import type { LogRecord } from '../framing/record.js';
import type { Event } from './event.js';
import { type Recogniser, runRecogniser } from './recogniser.js';

export interface RecogniserTable {
  readonly id: string;
  /**
   * A few `includes` that every message of the family passes; false means no recogniser of the table can match.
   * Keeps the common case (an unrelated line) to a handful of substring checks. Absent = always try the table.
   */
  readonly gate?: (message: string) => boolean;
  /** Tried in order; the first event wins, so a specific form goes before a general one. */
  readonly recognisers: readonly Recogniser[];
}

/** The first event any recogniser of the table builds from the record, or null. */
export function recogniseWith(table: RecogniserTable, record: LogRecord): Event | null {
  if (table.gate !== undefined && !table.gate(record.message)) return null;
  for (const recogniser of table.recognisers) {
    const event = runRecogniser(recogniser, record);
    if (event !== null) return event;
  }
  return null;
}
