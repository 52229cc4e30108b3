// Property: whatever the line and source kind, `recognise` never throws and any event carries the record given.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { SourceKind } from '../../src/contract/analysis.js';
import { RECOGNISER_TABLES, recognise } from '../../src/recognise/index.js';
import { sampleRecord } from '../../src/recognise/sample-record.js';

const KINDS: readonly SourceKind[] = ['guardian', 'app', 'kernel', 'system', 'unknown'];
const IDENTS = ['kernel', 'systemd', 'systemd-oomd', 'earlyoom', 'oomd', 'anqicms', 'CRON'];
const SAMPLE_LINES = RECOGNISER_TABLES.flatMap((t) =>
  t.recognisers.flatMap((r) => r.samples.map((s) => s.line)),
);

const kind = fc.constantFrom(...KINDS);
const ident = fc.option(fc.constantFrom(...IDENTS), { nil: null });

/** Replacement-decoded bytes, as the sources hand over invalid UTF-8. */
const decodedBytes = fc.uint8Array({ maxLength: 300 }).map((bytes) => new TextDecoder().decode(bytes));

/** A sample line with a random edit: insert, delete, truncate or repeat a slice. */
const mutatedSample = fc
  .tuple(
    fc.constantFrom(...SAMPLE_LINES),
    fc.nat(),
    fc.nat(),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('insert', 'delete', 'truncate', 'repeat'),
  )
  .map(([line, a, b, text, edit]) => {
    const i = a % (line.length + 1);
    const j = i + (b % (line.length - i + 1));
    switch (edit) {
      case 'insert':
        return line.slice(0, i) + text + line.slice(i);
      case 'delete':
        return line.slice(0, i) + line.slice(j);
      case 'truncate':
        return line.slice(0, i);
      default:
        // repeat
        return line.slice(0, j) + line.slice(i, j) + line.slice(i);
    }
  });

const anyLine = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  decodedBytes,
  mutatedSample,
  mutatedSample,
);

describe('recognise on arbitrary input', () => {
  test('never throws; any event carries its record; app lines always yield something when non-blank', () => {
    fc.assert(
      fc.property(anyLine, kind, ident, (line, k, id) => {
        const record = sampleRecord(line, { ident: id });
        const event = recognise(record, k);
        if (event !== null) assert.equal(event.record, record);
        if (k === 'app' && line.trim() !== '') assert.notEqual(event, null);
        if (k === 'unknown') assert.equal(event, null);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('long hostile lines stay linear', () => {
  // 64 KiB is the source's line cap; a regex that backtracks quadratically would take seconds here.
  const fillers = [
    ' '.repeat(60_000),
    '('.repeat(30_000) + ')'.repeat(30_000),
    ')'.repeat(60_000),
    'a '.repeat(30_000),
  ];
  test('every sample line, padded and suffixed with each filler, is recognised quickly', () => {
    const started = performance.now();
    for (const line of SAMPLE_LINES) {
      for (const filler of fillers) {
        for (const text of [line + filler + 'x', line.slice(0, 20) + filler, filler + line]) {
          for (const k of KINDS) recognise(sampleRecord(text, { ident: 'kernel' }), k);
        }
      }
    }
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 20_000, `took ${Math.round(elapsed)} ms`);
  });
});
