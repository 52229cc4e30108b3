// A verdict someone already wrote down in the contract's words (the guard's `died:` line, its incidents.jsonl).
import { CAUSES, CONFIDENCES } from '../contract/analysis.js';
import type { RecordedVerdict } from './event.js';

const CAUSE_WORDS: ReadonlySet<string> = new Set(CAUSES);
const CONFIDENCE_WORDS: ReadonlySet<string> = new Set(CONFIDENCES);

/** A cause and a confidence, or null when either is missing or not one of the contract's words. */
export function recordedVerdict(cause: unknown, confidence: unknown): RecordedVerdict | null {
  if (typeof cause !== 'string' || typeof confidence !== 'string') return null;
  if (!CAUSE_WORDS.has(cause) || !CONFIDENCE_WORDS.has(confidence)) return null;
  return { cause, confidence } as RecordedVerdict;
}
