// Hostile input: random text, random bytes, mutated samples, huge lines. No framer and no detection may throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ALL_CARRIERS, detectCarrier } from '../../src/framing/detect.js';
import type { LogRecord } from '../../src/framing/record.js';
import { MAX_LINE_BYTES } from '../../src/sources/raw-line.js';

const decoder = new TextDecoder('utf-8');
const ALL_SAMPLES = ALL_CARRIERS.flatMap((carrier) => carrier.samples);

function checkRecord(record: LogRecord | null): void {
  if (record === null) return;
  assert.equal(typeof record.message, 'string');
  assert.equal(typeof record.text, 'string');
  const { stamp } = record;
  if (stamp.kind === 'instant') assert.ok(Number.isFinite(stamp.ms));
  if (stamp.kind === 'monotonic') assert.ok(Number.isFinite(stamp.seconds) && stamp.seconds >= 0);
  if (stamp.kind === 'local') {
    assert.ok(stamp.month >= 1 && stamp.month <= 12 && stamp.day >= 1 && stamp.day <= 31);
    assert.ok(Number.isFinite(stamp.millis));
  }
  if (record.monotonic !== null) assert.ok(Number.isFinite(record.monotonic) && record.monotonic >= 0);
  if (record.priority !== null)
    assert.ok(Number.isInteger(record.priority) && record.priority >= 0 && record.priority <= 7);
  if (record.pid !== null) assert.ok(Number.isSafeInteger(record.pid) && record.pid >= 0);
  if (record.seq !== null) assert.ok(Number.isSafeInteger(record.seq));
}

/** Every carrier frames `lines` in order with one framer (so state is exercised), and every line sniffs without error. */
function frameEverywhere(lines: readonly string[]): void {
  for (const carrier of ALL_CARRIERS) {
    const framer = carrier.createFramer(0);
    lines.forEach((text, index) => {
      checkRecord(framer.frame({ sourceId: 0, lineNo: index + 1, text }));
      assert.equal(typeof carrier.sniff(text), 'boolean');
    });
  }
  const detected = detectCarrier(lines, 'input');
  // A carrier behind grep's prefixes is a wrapper with the same format as one of the list.
  assert.ok(detected === null || ALL_CARRIERS.some((carrier) => carrier.format === detected.format));
}

const bytesAsText = fc.uint8Array({ maxLength: 300 }).map((bytes) => decoder.decode(bytes));
const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom(
      '[',
      ']',
      ' ',
      '<',
      '>',
      ':',
      ',',
      ';',
      '-',
      '.',
      '0',
      '1',
      '9',
      '\\',
      'x',
      '{',
      '"',
      'T',
      '+',
      '\r',
      '\u0000',
      '\t',
    ),
    maxLength: 120,
  }),
  bytesAsText,
);

/** A sample line with random edits: a cut, an insertion, a replacement. */
const mutatedSample = fc
  .tuple(
    fc.constantFrom(...ALL_SAMPLES),
    fc.nat(),
    fc.nat(),
    anyText,
    fc.constantFrom('cut', 'insert', 'replace', 'prefix', 'suffix'),
  )
  .map(([sample, a, b, piece, how]) => {
    const at = a % (sample.length + 1);
    const to = Math.min(sample.length, at + (b % 8));
    switch (how) {
      case 'cut':
        return sample.slice(0, at);
      case 'insert':
        return sample.slice(0, at) + piece + sample.slice(at);
      case 'replace':
        return sample.slice(0, at) + piece + sample.slice(to);
      case 'prefix':
        return piece + sample;
      default:
        return sample + piece;
    }
  });

test('random strings and random bytes (decoded with replacement) never make a framer or detection throw', () => {
  fc.assert(
    fc.property(fc.array(anyText, { maxLength: 12 }), (lines) => frameEverywhere(lines)),
    { numRuns: 300 },
  );
});

test('mutated sample lines never make a framer or detection throw', () => {
  fc.assert(
    fc.property(fc.array(mutatedSample, { minLength: 1, maxLength: 12 }), (lines) => frameEverywhere(lines)),
    {
      numRuns: 500,
    },
  );
});

test('mutated journal JSON (any JSON values in any field) never throws', () => {
  const jsonEntry = fc
    .dictionary(
      fc.constantFrom(
        'MESSAGE',
        '_TRANSPORT',
        '__REALTIME_TIMESTAMP',
        '_SOURCE_MONOTONIC_TIMESTAMP',
        '_PID',
        'PRIORITY',
        '_BOOT_ID',
        'SYSLOG_IDENTIFIER',
        '__MONOTONIC_TIMESTAMP',
        '_SOURCE_REALTIME_TIMESTAMP',
      ),
      fc.jsonValue(),
    )
    .map((entry) => JSON.stringify(entry));
  fc.assert(
    fc.property(fc.array(jsonEntry, { maxLength: 6 }), (lines) => frameEverywhere(lines)),
    { numRuns: 300 },
  );
});

test('huge lines of every shape frame quickly (no catastrophic backtracking)', () => {
  const filler = 'a'.repeat(MAX_LINE_BYTES);
  const spaces = ' '.repeat(MAX_LINE_BYTES);
  const prefixes = ['', ...ALL_SAMPLES.map((sample) => sample.slice(0, 40))];
  const lines = prefixes.flatMap((prefix) => [
    prefix + filler,
    prefix + spaces + 'x',
    prefix + '['.repeat(MAX_LINE_BYTES),
    prefix + '\\x'.repeat(MAX_LINE_BYTES / 2),
    prefix + 'a:'.repeat(MAX_LINE_BYTES / 2),
    prefix + '[x="'.repeat(MAX_LINE_BYTES / 4),
  ]);
  const started = performance.now();
  frameEverywhere(lines);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 10_000, `took ${Math.round(elapsed)} ms`);
});
