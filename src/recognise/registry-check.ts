// Polices the recogniser tables: named groups only, stateless patterns, unique ids, and every sample honoured.
import { isDeepStrictEqual } from 'node:util';
import type { Recogniser } from './recogniser.js';
import { runRecogniser } from './recogniser.js';
import { sampleRecord } from './sample-record.js';
import { type RecogniserTable, recogniseWith } from './table.js';

interface GroupCount {
  readonly named: number;
  readonly unnamed: number;
}

/** Counts capturing groups in a regex source, skipping escapes and character classes. */
export function countCapturingGroups(source: string): GroupCount {
  let named = 0;
  let unnamed = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') {
      if (source[i + 1] !== '?') unnamed++;
      else if (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') named++;
    }
  }
  return { named, unnamed };
}

/** Every problem with one recogniser, each naming the recogniser and what to fix; empty when it is sound. */
export function checkRecogniser(recogniser: Recogniser): string[] {
  const problems: string[] = [];
  const where = `recogniser ${recogniser.id}`;
  const { named, unnamed } = countCapturingGroups(recogniser.pattern.source);
  if (named === 0)
    problems.push(`${where}: pattern has no named group; name what it captures, e.g. (?<pid>\\d+)`);
  if (unnamed > 0) {
    problems.push(`${where}: pattern has ${unnamed} unnamed capturing group(s); use (?<name>…) or (?:…)`);
  }
  if (recogniser.pattern.global || recogniser.pattern.sticky) {
    problems.push(`${where}: pattern has the g or y flag, which makes exec() stateful; remove it`);
  }
  if (recogniser.guard === '')
    problems.push(`${where}: guard is empty; give a substring every match contains`);
  if (recogniser.samples.length === 0)
    problems.push(`${where}: no samples; add real lines from log-formats.md`);

  recogniser.samples.forEach((sample, index) => {
    const at = `${where} sample ${index} (${JSON.stringify(sample.line)})`;
    const record = sampleRecord(sample.line);
    const event = runRecogniser(recogniser, record);
    if (sample.expect === null) {
      if (event !== null) problems.push(`${at}: expected no event, got ${event.type}`);
      return;
    }
    if (!sample.line.includes(recogniser.guard)) {
      problems.push(`${at}: line lacks the guard ${JSON.stringify(recogniser.guard)}`);
    }
    if (event === null) {
      problems.push(`${at}: expected a ${recogniser.type} event, got none`);
      return;
    }
    if (event.type !== recogniser.type)
      problems.push(`${at}: expected type ${recogniser.type}, got ${event.type}`);
    if (event.record !== record) problems.push(`${at}: the event does not carry the record it was given`);
    const actual = event as unknown as Readonly<Record<string, unknown>>;
    for (const [key, want] of Object.entries(sample.expect)) {
      if (!isDeepStrictEqual(actual[key], want)) {
        problems.push(`${at}: ${key} is ${JSON.stringify(actual[key])}, expected ${JSON.stringify(want)}`);
      }
    }
  });
  return problems;
}

/**
 * Every problem across the tables: each recogniser's own check, duplicate ids, and — because a table stops at the
 * first event — each positive sample must come out of its whole table as its own recogniser's event (order bugs).
 */
export function checkTables(tables: readonly RecogniserTable[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const table of tables) {
    for (const recogniser of table.recognisers) {
      if (seen.has(recogniser.id))
        problems.push(`recogniser id ${recogniser.id} is used twice; ids must be unique`);
      seen.add(recogniser.id);
      problems.push(...checkRecogniser(recogniser));
      recogniser.samples.forEach((sample, index) => {
        if (sample.expect === null) return;
        const at = `table ${table.id}, recogniser ${recogniser.id} sample ${index}`;
        const record = sampleRecord(sample.line);
        if (table.gate !== undefined && !table.gate(sample.line)) {
          problems.push(`${at}: the table's gate rejects this line; widen the gate`);
          return;
        }
        const viaTable = recogniseWith(table, record);
        const alone = runRecogniser(recogniser, record);
        if (!isDeepStrictEqual(viaTable, alone)) {
          problems.push(
            `${at}: an earlier recogniser in the table claims this line as ${viaTable?.type}; reorder`,
          );
        }
      });
    }
  }
  return problems;
}
