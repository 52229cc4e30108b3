// The work table's sample lines are its tests, as a recogniser's are; its words are needles of the app log.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WORK_NEEDLES, WORK_TABLE, workOf } from '../../src/recognise/app-work.js';
import { needlesFor, TASK_TABLE_BLOCK } from '../../src/recognise/needles.js';

describe('work table samples', () => {
  for (const entry of WORK_TABLE)
    for (const sample of entry.samples)
      test(`${entry.work}: ${sample.line}`, () => assert.equal(workOf(sample.line), sample.expect));
});

test('no work word is a needle: work lines are looked for only before a candidate (Selection.work)', () => {
  const app = needlesFor('app', 'app-log', 'anqicms') ?? [];
  for (const word of WORK_NEEDLES) assert.ok(!app.includes(word), `${word} is a needle of the app log`);
});

test("a system log's needles hold the task table's header, not its rows (they are read as a block after it)", () => {
  const system = needlesFor('system', 'syslog-rfc3164', null) ?? [];
  assert.ok(system.includes(TASK_TABLE_BLOCK.after));
  assert.ok(!system.includes(']  '));
});
