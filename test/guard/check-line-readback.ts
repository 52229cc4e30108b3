// Reads a check.log line back the way `oomsleuth analyze` does: the check-sh carrier, then the guardian recognisers.
import assert from 'node:assert/strict';
import { checkSh } from '../../src/framing/check-sh.js';
import type { Event } from '../../src/recognise/event.js';
import { recognise } from '../../src/recognise/index.js';

/** The event analyze gets from one check.log line (null when it is not one it acts on). */
export function readBack(line: string): Event | null {
  const record = checkSh.createFramer(0).frame({ sourceId: 0, lineNo: 1, text: line });
  assert.ok(record, `check-sh does not frame ${JSON.stringify(line)}`);
  assert.notEqual(record.stamp.kind, 'none', `no stamp read from ${JSON.stringify(line)}`);
  return recognise(record, 'guardian');
}

/** Asserts a death line reads back as `guard.died` with this pid and exit. */
export function classifyExitLineRecognised(
  line: string,
  expected: { pid: number; code: number | null; signal: string | null },
): void {
  const event = readBack(line);
  assert.equal(event?.type, 'guard.died', line);
  if (event?.type !== 'guard.died') return;
  assert.equal(event.pid, expected.pid);
  assert.equal(event.code, expected.code);
  assert.equal(event.signal, expected.signal);
}
