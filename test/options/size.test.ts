// Sizes: the text form (moved here with the parser from the guard) and the option parser's limit and messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSize, size } from '../../src/options/size.js';

const MIB = 1024 * 1024;

test('sizes: powers of 1024, as systemd and the cgroup files mean them', () => {
  const cases: [string, number | null][] = [
    ['512M', 512 * MIB],
    ['2G', 2 * 1024 * MIB],
    ['1.5G', 1.5 * 1024 * MIB],
    ['512MiB', 512 * MIB],
    ['512mb', 512 * MIB],
    ['64m', 64 * MIB],
    ['65536K', 64 * MIB],
    ['1T', 1024 * 1024 * MIB],
    ['4096', 4096],
    [' 2G ', 2 * 1024 * MIB],
    ['12Q', null],
    ['', null],
    ['M', null],
    ['-1G', null],
    ['1,5G', null],
    ['2 G', 2 * 1024 * MIB],
  ];
  for (const [text, bytes] of cases) assert.equal(parseSize(text), bytes, text);
});

test('a size option: bytes, or a problem with an example, or the minimum and why', async () => {
  const parse = size({ min: '4M', why: 'or the app cannot start' });
  assert.deepEqual(await parse('512M'), { ok: true, value: 512 * MIB });
  assert.deepEqual(await parse('4M'), { ok: true, value: 4 * MIB });
  assert.deepEqual(await parse('12Q'), { ok: false, problem: '"12Q" is not a size: e.g. 512M, 2G, 1.5G' });
  assert.deepEqual(await parse('1M'), {
    ok: false,
    problem: '1M is too small: at least 4M, or the app cannot start',
  });
  assert.deepEqual(await size({ min: '1K' })('10'), { ok: false, problem: '10 is too small: at least 1K' });
  assert.throws(() => size({ min: 'big' }), /not a size/);
});
