// The line splitter: chunk boundaries anywhere, CR/LF, cut lines (never buffered whole), NUL and invalid bytes.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_LINE_BYTES, type RawLine } from '../../src/sources/raw-line.js';
import { LineSplitter, splitChunks } from '../../src/sources/split-lines.js';

type Line = Pick<RawLine, 'lineNo' | 'text' | 'truncated'>;

function split(chunks: readonly (string | Uint8Array)[], maxLineBytes?: number): Line[] {
  const splitter = new LineSplitter({ sourceId: 7, maxLineBytes });
  const lines: RawLine[] = [];
  for (const chunk of chunks)
    lines.push(...splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  lines.push(...splitter.end());
  return lines.map(({ lineNo, text, truncated }) => ({ lineNo, text, truncated }));
}

function texts(chunks: readonly (string | Uint8Array)[], maxLineBytes?: number): string[] {
  return split(chunks, maxLineBytes).map((line) => line.text);
}

/** Cuts `bytes` at every given position. */
function cut(bytes: Uint8Array, positions: readonly number[]): Uint8Array[] {
  const points = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

describe('split-lines', () => {
  test('splits on LF and numbers lines from 1, with the source id', () => {
    const splitter = new LineSplitter({ sourceId: 3 });
    const lines = [...splitter.push(Buffer.from('a\nbb\n')), ...splitter.end()];
    assert.deepEqual(lines, [
      { sourceId: 3, lineNo: 1, text: 'a', truncated: false },
      { sourceId: 3, lineNo: 2, text: 'bb', truncated: false },
    ]);
    assert.equal(splitter.counts.lines, 2);
  });

  test('carries a partial line across chunks, at every possible boundary', () => {
    const input = 'Jul 23 10:04:01 web1 kernel: Out of memory\r\nsecond line\n\nthird, no final newline';
    const whole = texts([input]);
    assert.deepEqual(whole, [
      'Jul 23 10:04:01 web1 kernel: Out of memory',
      'second line',
      '',
      'third, no final newline',
    ]);
    for (let i = 0; i <= input.length; i++) {
      for (const j of [i, i + 1, i + 7]) {
        assert.deepEqual(
          texts([input.slice(0, i), input.slice(i, j), input.slice(j)]),
          whole,
          `cut at ${i},${j}`,
        );
      }
    }
  });

  test('every byte its own chunk gives the same lines', () => {
    const bytes = Buffer.from('退出 terminated\r\nline two\n');
    const chunks = [...bytes].map((byte) => Uint8Array.of(byte));
    assert.deepEqual(texts(chunks), ['退出 terminated', 'line two']);
  });

  test('CRLF: the CR before LF is stripped, also when LF starts the next chunk', () => {
    assert.deepEqual(texts(['a\r\nb\r\n']), ['a', 'b']);
    assert.deepEqual(texts(['a\r', '\nb\r', '\n']), ['a', 'b']);
  });

  test('a CR alone inside a line is kept; a CR at the very end is a trailing CR', () => {
    assert.deepEqual(texts(['progress 10%\rprogress 20%\n']), ['progress 10%\rprogress 20%']);
    assert.deepEqual(texts(['a\r\r\n']), ['a\r']);
    assert.deepEqual(texts(['last\r']), ['last']);
  });

  test('empty lines are lines; an empty input has none; a final newline adds no line', () => {
    assert.deepEqual(texts(['\n\n\n']), ['', '', '']);
    assert.deepEqual(texts([]), []);
    assert.deepEqual(texts(['']), []);
    assert.deepEqual(texts(['a\n']), ['a']);
    assert.deepEqual(texts(['a']), ['a']);
    assert.deepEqual(split(['a\n', '', 'b']), [
      { lineNo: 1, text: 'a', truncated: false },
      { lineNo: 2, text: 'b', truncated: false },
    ]);
  });

  test('a UTF-8 BOM is dropped from line 1 only', () => {
    assert.deepEqual(
      texts([Uint8Array.of(0xef, 0xbb), Uint8Array.of(0xbf, 0x61, 0x0a, 0xef, 0xbb, 0xbf, 0x62)]),
      ['a', '\ufeffb'],
    );
  });

  test('invalid UTF-8 becomes U+FFFD and never throws', () => {
    const bytes = Uint8Array.from([0x61, 0xff, 0xfe, 0x62, 0x0a, 0xc3, 0x0a, 0xe4, 0xb8, 0x0a, 0x63]);
    assert.deepEqual(texts([bytes]), ['a\ufffd\ufffdb', '\ufffd', '\ufffd', 'c']);
  });

  test('GBK bytes (退出 in GBK) decode to U+FFFD without hiding the ASCII around them', () => {
    const gbk = Uint8Array.from([0xcd, 0xcb, 0xb3, 0xf6]);
    const line = Buffer.concat([
      Buffer.from('2024/07/23 10:03:59 '),
      gbk,
      Buffer.from(' terminated\nnext\n'),
    ]);
    const [first, second] = texts([line]);
    assert.ok(first?.startsWith('2024/07/23 10:03:59 '));
    assert.ok(first?.endsWith(' terminated'));
    assert.ok(first?.includes('\ufffd'));
    assert.equal(second, 'next');
  });

  test('NUL bytes inside a line are kept; a run of NULs at the start of a line is skipped and counted', () => {
    const splitter = new LineSplitter({ sourceId: 0 });
    const zeroed = Buffer.concat([
      Buffer.from('before\n'),
      Buffer.alloc(4096),
      Buffer.from('Jul 23 kernel: after\na\u0000b\n'),
    ]);
    const lines = [...splitter.push(zeroed), ...splitter.end()].map((line) => line.text);
    assert.deepEqual(lines, ['before', 'Jul 23 kernel: after', 'a\u0000b']);
    assert.equal(splitter.counts.leadingNulBytes, 4096);
  });

  test('a NUL run longer than the cap does not cut the line that follows it', () => {
    const chunks = [
      Buffer.from('x\n'),
      Buffer.alloc(MAX_LINE_BYTES * 2),
      Buffer.from('kernel: Killed process 1 (a)\n'),
    ];
    assert.deepEqual(split(chunks), [
      { lineNo: 1, text: 'x', truncated: false },
      { lineNo: 2, text: 'kernel: Killed process 1 (a)', truncated: false },
    ]);
  });

  test('a line of only NULs is an empty line', () => {
    assert.deepEqual(texts([Buffer.from([0, 0, 0x0a, 0x61])]), ['', 'a']);
  });

  test('a line over the cap keeps its first maxLineBytes, is marked and counted', () => {
    const splitter = new LineSplitter({ sourceId: 0, maxLineBytes: 8 });
    const lines = [
      ...splitter.push(Buffer.from('12345678\n123456789\nab')),
      ...splitter.push(Buffer.from('cdefghij\n')),
    ];
    assert.deepEqual(
      lines.map(({ text, truncated }) => [text, truncated]),
      [
        ['12345678', false],
        ['12345678', true],
        ['abcdefgh', true],
      ],
    );
    assert.deepEqual(splitter.counts, { lines: 3, cutLines: 2, firstCutLineNo: 2, leadingNulBytes: 0 });
  });

  test('a line exactly at the cap followed by CRLF is not cut', () => {
    assert.deepEqual(split(['12345678\r', '\n'], 8), [{ lineNo: 1, text: '12345678', truncated: false }]);
    assert.deepEqual(split(['123456789\r\n'], 8), [{ lineNo: 1, text: '12345678', truncated: true }]);
  });

  test('a cut never ends in half a character', () => {
    // 'é' is two bytes; the cap falls between them.
    assert.deepEqual(split(['abcdefgé\n'], 8), [{ lineNo: 1, text: 'abcdefg', truncated: true }]);
    assert.deepEqual(split(['abcde退出\n'], 8), [{ lineNo: 1, text: 'abcde退', truncated: true }]);
  });

  test('a 50 MB line, fed in chunks, is cut at MAX_LINE_BYTES and never buffered', () => {
    const splitter = new LineSplitter({ sourceId: 0 });
    const chunk = Buffer.alloc(1024 * 1024, 0x61); // reused: nothing here allocates 50 MB
    const lines: RawLine[] = [...splitter.push(Buffer.from('before\n'))];
    const heapBefore = process.memoryUsage().arrayBuffers;
    let maxBuffered = 0;
    for (let i = 0; i < 50; i++) {
      lines.push(...splitter.push(chunk));
      maxBuffered = Math.max(maxBuffered, splitter.bufferedBytes);
    }
    lines.push(...splitter.push(Buffer.from('\nafter\n')), ...splitter.end());
    assert.ok(maxBuffered <= MAX_LINE_BYTES + 1, `held ${maxBuffered} bytes`);
    assert.ok(
      process.memoryUsage().arrayBuffers - heapBefore < 8 * 1024 * 1024,
      'array buffers did not grow by MBs',
    );
    assert.equal(lines.length, 3);
    assert.equal(lines[1]?.text.length, MAX_LINE_BYTES);
    assert.equal(lines[1]?.truncated, true);
    assert.deepEqual([lines[0]?.text, lines[2]?.text, lines[2]?.lineNo], ['before', 'after', 3]);
    assert.deepEqual(splitter.counts, { lines: 3, cutLines: 1, firstCutLineNo: 2, leadingNulBytes: 0 });
  });

  test('end(cutShort) marks the unterminated last line as truncated without counting it as too long', () => {
    const splitter = new LineSplitter({ sourceId: 0 });
    splitter.push(Buffer.from('whole\nhal'));
    assert.deepEqual(splitter.end(true), [{ sourceId: 0, lineNo: 2, text: 'hal', truncated: true }]);
    assert.equal(splitter.counts.cutLines, 0);
  });

  test('keepLine sees the bytes before decoding; dropped lines keep their numbers', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter({
      sourceId: 0,
      keepLine: (bytes, start, end) => {
        seen.push(Buffer.from(bytes.subarray(start, end)).toString('latin1'));
        return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).includes('oom');
      },
    });
    const lines = [
      ...splitter.push(Buffer.from('a\r\noom one\nb\n')),
      ...splitter.push(Buffer.from('oom two')),
    ];
    lines.push(...splitter.end());
    assert.deepEqual(seen, ['a', 'oom one', 'b', 'oom two']);
    assert.deepEqual(
      lines.map((line) => [line.lineNo, line.text]),
      [
        [2, 'oom one'],
        [4, 'oom two'],
      ],
    );
  });

  test('splitChunks yields one batch per chunk with lines, then the last line', async () => {
    async function* chunks() {
      yield Buffer.from('a\nb\n');
      yield Buffer.from('par');
      yield Buffer.from('tial\nc');
    }
    const batches: string[][] = [];
    for await (const batch of splitChunks(chunks(), new LineSplitter({ sourceId: 0 }))) {
      batches.push(batch.map((line) => line.text));
    }
    assert.deepEqual(batches, [['a', 'b'], ['partial'], ['c']]);
  });

  describe('properties', () => {
    // Bytes biased towards the interesting ones: LF, CR, NUL, UTF-8 lead/continuation bytes, invalid bytes.
    const byte = fc.oneof(
      fc.constantFrom(
        0x0a,
        0x0d,
        0x00,
        0x61,
        0x20,
        0xe9,
        0xe4,
        0xb8,
        0xad,
        0xc3,
        0xa9,
        0xff,
        0xef,
        0xbb,
        0xbf,
      ),
      fc.integer({ min: 0, max: 255 }),
    );
    const bytes = fc.array(byte, { maxLength: 300 }).map((list) => Uint8Array.from(list));
    const cuts = fc.array(fc.nat(), { maxLength: 20 });

    test('any byte array cut into any chunks gives the same lines as the whole', () => {
      fc.assert(
        fc.property(bytes, cuts, fc.integer({ min: 1, max: 40 }), (input, positions, cap) => {
          assert.deepEqual(split(cut(input, positions), cap), split([input], cap));
        }),
        { numRuns: 2000 },
      );
    });

    test('without NULs or over-long lines, the lines are the input split on LF, CR-trimmed, decoded', () => {
      const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
      fc.assert(
        fc.property(bytes, cuts, (input, positions) => {
          const clean = input.filter((b) => b !== 0x00);
          const expected: string[] = [];
          let from = 0;
          for (let i = 0; i <= clean.length; i++) {
            if (i < clean.length && clean[i] !== 0x0a) continue;
            if (i === clean.length && from === clean.length) break;
            let end = i;
            if (end > from && clean[end - 1] === 0x0d) end--;
            let text = decoder.decode(clean.subarray(from, end));
            if (expected.length === 0 && text.startsWith('\ufeff')) text = text.slice(1);
            expected.push(text);
            from = i + 1;
          }
          assert.deepEqual(texts(cut(clean, positions)), expected);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
