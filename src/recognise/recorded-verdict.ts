// A verdict someone already wrote down in the contract's words (the guard's `died:` line, its incidents.jsonl).
import type { RecordedVerdict } from './event.js';

const CAUSES: ReadonlySet<string> = new Set([
  'oom-killer',
  'oom-daemon',
  'runtime-oom',
  'crash',
  'stopped',
  'unexplained',
]);
const CONFIDENCES: ReadonlySet<string> = new Set(['confirmed', 'likely', 'possible']);

/** A cause and a confidence, or null when either is missing or not one of the contract's words. */
export function recordedVerdict(cause: unknown, confidence: unknown): RecordedVerdict | null {
  if (typeof cause !== 'string' || typeof confidence !== 'string') return null;
  if (!CAUSES.has(cause) || !CONFIDENCES.has(confidence)) return null;
  return { cause, confidence } as RecordedVerdict;
}
