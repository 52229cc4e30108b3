// Every carrier's sample lines are tests: each frames to a record, sniffs as its carrier, and the set is detected.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_CARRIERS, carrierByFormat, detectCarrier } from '../../src/framing/detect.js';
import { frameLines, SOURCE_ID } from './frame-lines.js';

const EXPECTED_FORMATS: Record<string, string> = {
  'syslog-rfc3164': 'system',
  'journal-short': 'system',
  'journal-short-precise': 'system',
  'syslog-rfc3339': 'system',
  'journal-short-iso': 'system',
  'journal-short-full': 'system',
  'journal-short-unix': 'system',
  'journal-short-monotonic': 'system',
  'syslog-rfc5424': 'system',
  dmesg: 'kernel',
  'dmesg-raw': 'kernel',
  'dmesg-decoded': 'kernel',
  'dmesg-ctime': 'kernel',
  'dmesg-iso': 'kernel',
  'dmesg-reltime': 'kernel',
  'dmesg-notime': 'kernel',
  kmsg: 'kernel',
  'journal-json': 'system',
  'check-sh': 'guardian',
  'guard-incidents': 'guardian',
  'app-log': 'app',
};

// app-log lines without the Go prefix or a marker (a goroutine frame) are app output but no evidence of it on their own.
const APP_LINES_WITHOUT_MARKER = new Set(['\t/src/main.go:12 +0x25']);

test('the carrier list holds exactly the agreed format names and kinds', () => {
  const actual = Object.fromEntries(ALL_CARRIERS.map((carrier) => [carrier.format, carrier.kind]));
  assert.deepEqual(actual, EXPECTED_FORMATS);
});

test('carrierByFormat finds every carrier and nothing else', () => {
  for (const carrier of ALL_CARRIERS) assert.equal(carrierByFormat(carrier.format), carrier);
  assert.equal(carrierByFormat('unknown'), undefined);
  assert.equal(carrierByFormat(''), undefined);
});

for (const carrier of ALL_CARRIERS) {
  describe(`${carrier.format} samples`, () => {
    test('there are samples', () => {
      assert.ok(carrier.samples.length >= 2, 'at least two sample lines');
    });

    test('each sample frames to a record with a string message and its own line number', () => {
      const records = frameLines(carrier, carrier.samples);
      records.forEach((record, index) => {
        assert.ok(record !== null, `sample ${index + 1} framed to null: ${carrier.samples[index]}`);
        assert.equal(typeof record.message, 'string');
        assert.equal(record.lineNo, index + 1);
        assert.equal(record.sourceId, SOURCE_ID);
        assert.equal(record.text, carrier.samples[index]);
      });
    });

    test('each sample, framed alone, is stamped (or deliberately unstamped for untimed shapes)', () => {
      for (const sample of carrier.samples) {
        const [record] = frameLines(carrier, [sample]);
        assert.ok(record);
        if (record.stamp.kind === 'none') {
          // Only shapes that carry no time at all may be unstamped, and dmesg -e's deltas, which count from a line before.
          const relative = carrier.format === 'dmesg-reltime' && /^\[ *[+-]/.test(sample);
          assert.ok(
            ['check-sh', 'app-log', 'syslog-rfc5424', 'dmesg-notime'].includes(carrier.format) || relative,
            `${carrier.format} left a sample unstamped: ${sample}`,
          );
        }
      }
    });

    test('each sample sniffs as this carrier', () => {
      for (const sample of carrier.samples) {
        if (carrier.format === 'app-log' && APP_LINES_WITHOUT_MARKER.has(sample)) continue;
        assert.ok(carrier.sniff(sample), `${carrier.format} does not sniff its sample: ${sample}`);
      }
    });

    test('the samples as a file are detected as this carrier', () => {
      assert.equal(detectCarrier(carrier.samples, 'input.txt')?.format, carrier.format);
    });
  });
}
