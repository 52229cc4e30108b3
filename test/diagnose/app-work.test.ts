// The work table's sample lines are its tests, as a recogniser's are; its words are needles of the app log.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WORK_NEEDLES, WORK_TABLE, workOf } from '../../src/recognise/app-work.js';
import { needlesFor } from '../../src/recognise/needles.js';

describe('work table samples', () => {
  for (const entry of WORK_TABLE)
    for (const sample of entry.samples)
      test(`${entry.work}: ${sample.line}`, () => assert.equal(workOf(sample.line), sample.expect));
});

test('no work word is a needle: work lines are looked for only before a candidate (Selection.work)', () => {
  const app = needlesFor('app', 'app-log', 'anqicms') ?? [];
  for (const word of WORK_NEEDLES) assert.ok(!app.includes(word), `${word} is a needle of the app log`);
});

test("a system log's needles find task-table rows and the header, a plain dmesg stamp alone is not one", () => {
  const system = needlesFor('system', 'syslog-rfc3164', null) ?? [];
  const row = 'Jul 23 10:03:47 web1 kernel: [283715.000346] [  18734]     0 18734   980470   885838 anqicms';
  assert.ok(system.some((n) => row.includes(n)));
  const plain = 'Jul 23 10:03:47 web1 kernel: [283715.000346] eth0: link up';
  assert.ok(!system.some((n) => n === ']  ' && plain.includes(n)));
});
