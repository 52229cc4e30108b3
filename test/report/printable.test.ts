// Log text reaches terminals and chats as text, never as a command: control characters and the escape sequences
// they start are removed whole (payload included), printable text is left as it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { printable, printableDeep, printableLines } from '../../src/report/printable.js';

test('escape sequences are removed with their payload', () => {
  assert.equal(printable('\x1b]8;;http://evil\x07click\x1b]8;;\x07 me'), 'click me', 'OSC 8 hyperlink');
  assert.equal(printable('\x1b]0;pwned\x1b\\title'), 'title', 'OSC window title, ST-terminated');
  assert.equal(printable('\x1b[31mERROR\x1b[0m disk'), 'ERROR disk', 'colours (CSI)');
  assert.equal(printable('a\x1b[2J\x1b[Hb'), 'ab', 'screen clear and cursor home');
  assert.equal(printable('a\x9b31mb'), 'ab', 'C1 CSI');
  assert.equal(printable('a\x1bPq#0;2;0;0;0\x1b\\b'), 'ab', 'DCS (sixel)');
  assert.equal(printable('a\x1bcb'), 'ab', 'ESC c (reset)');
  assert.equal(printable('x\x1b]8;;http://evil'), 'x', 'an OSC cut at the end of the line');
});

test('lone controls are removed; the tab and ordinary text stay', () => {
  assert.equal(printable('bell\x07 nul\x00 bs\x08 del\x7f c1\x85'), 'bell nul bs del c1');
  assert.equal(printable('one\r\nforged two\rthree'), 'one forged two three', 'a line break becomes a space');
  assert.equal(printable('a\tb'), 'a\tb');
  const plain =
    'Jul 23 10:03:47 web1 kernel: Killed process 12345 (anqicms) 退出 terminated [click](http://x) **b**';
  assert.equal(printable(plain), plain);
});

test('never leaves a control character, and is idempotent', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      const out = printable(s);
      assert.doesNotMatch(out, /[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
      assert.equal(printable(out), out);
    }),
    { numRuns: 2000 },
  );
});

test('printableDeep cleans every string of a document and keeps its shape', () => {
  const doc = { process: '\x1b[2Jx', pid: 1, evidence: [{ text: 'a\x07b', line: null }], ok: true };
  assert.deepEqual(printableDeep(doc), {
    process: 'x',
    pid: 1,
    evidence: [{ text: 'ab', line: null }],
    ok: true,
  });
});

test("printableLines keeps the line breaks of oomsleuth's own multi-line messages", () => {
  assert.equal(
    printableLines('guard cannot start:\n  - a\x1b[2J\n  - b\r'),
    'guard cannot start:\n  - a\n  - b ',
  );
});
