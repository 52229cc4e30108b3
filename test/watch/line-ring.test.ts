// The ring of a source's last lines, against a plain array: whatever is pushed, what it gives back is exactly what was
// pushed (text, position, display line), as an unbroken run ending at the newest line, within its bounds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { FollowPosition } from '../../src/sources/follow/position.js';
import { LineRing, type RingLine } from '../../src/watch/line-ring.js';

const position: fc.Arbitrary<FollowPosition> = fc.oneof(
  fc.record({
    kind: fc.constant('file' as const),
    dev: fc.nat(),
    ino: fc.nat(),
    offset: fc.nat(),
    lineNo: fc.option(fc.nat(), { nil: null }),
    head: fc.base64String({ maxLength: 88 }),
  }),
  fc.record({
    kind: fc.constant('kmsg' as const),
    seq: fc.nat(),
    bootId: fc.option(fc.uuid(), { nil: null }),
  }),
  fc.record({ kind: fc.constant('journal' as const), cursor: fc.string() }),
);

const text = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', 'x'.repeat(9000), '采集完成: 新增 15 篇文章'),
);

test('what the ring gives back is what was pushed: a run ending at the newest line, within its bounds', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ text, position, display: fc.option(fc.nat(), { nil: null }) }), {
        maxLength: 300,
      }),
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 64, max: 4096 }),
      (pushed, maxLines, maxBytes) => {
        const ring = new LineRing(maxLines, maxBytes);
        const all: RingLine[] = pushed.map((p, i) => ({
          lineNo: 7 + i,
          text: p.text,
          position: p.position,
          displayLine: p.display,
        }));
        for (const line of all) ring.push(line);
        assert.ok(ring.size <= maxLines);
        if (all.length === 0) return assert.equal(ring.oldest(), undefined);
        assert.ok(ring.size >= 1, 'the newest line is always held');
        const held = ring.range(0, Number.MAX_SAFE_INTEGER);
        assert.equal(held.length, ring.size);
        const expected = all.slice(all.length - held.length);
        held.forEach((line, i) => {
          const want = expected[i]!;
          assert.equal(line.lineNo, want.lineNo);
          const kept = want.text.length > 8192 ? `${want.text.slice(0, 8192)}…` : want.text;
          // A text longer than a quarter of the byte budget is cut, at a whole character.
          if (Buffer.byteLength(kept) <= maxBytes >> 2) assert.equal(line.text, kept);
          else assert.ok(kept.startsWith(line.text) && Buffer.byteLength(line.text) > (maxBytes >> 2) - 4);
          assert.deepEqual({ ...line.position }, { ...want.position });
          assert.equal(line.displayLine, want.displayLine);
          assert.deepEqual(ring.get(line.lineNo), line);
        });
        const bytes = held.reduce((n, l) => n + Math.min(Buffer.byteLength(l.text), maxBytes >> 2), 0);
        assert.ok(bytes <= maxBytes, `${bytes} bytes held in a ring of ${maxBytes}`);
        assert.deepEqual(ring.newest(), held.at(-1));
        assert.deepEqual(ring.oldest(), held[0]);
        assert.equal(ring.get(all[0]!.lineNo - 1), undefined);
      },
    ),
    { numRuns: Number(process.env.OOMSLEUTH_FC_RUNS ?? 200) },
  );
});
