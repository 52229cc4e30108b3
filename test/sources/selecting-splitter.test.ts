// The prefiltered splitter must give exactly the lines a full read gives, for every line it keeps, and keep
// every line holding a needle — whatever the chunking, region size, line lengths and bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  type OwnLines,
  SelectingSplitter,
  type Selection,
} from '../../src/sources/prefilter/selecting-splitter.js';
import type { RawLine } from '../../src/sources/raw-line.js';
import { LineSplitter } from '../../src/sources/split-lines.js';

const NEEDLES = ['Killed process ', 'oom-kill:', '退出 ', '/\n', 'anqicms['];
/** A system log's lines the app wrote itself: selected without the line before them. */
const OWN: OwnLines = {
  needles: ['anqicms['],
  tagged: 'anqicms[',
  lifecycle: [],
  oom: [],
  lifeSign: () => true,
};

function splitAll(
  bytes: Buffer,
  chunks: number[],
  maxLineBytes: number,
): { lines: RawLine[]; counts: LineSplitter['counts'] } {
  const splitter = new LineSplitter({ sourceId: 0, maxLineBytes });
  const lines: RawLine[] = [];
  for (const part of cut(bytes, chunks)) lines.push(...splitter.push(part));
  lines.push(...splitter.end());
  return { lines, counts: splitter.counts };
}

function select(
  bytes: Buffer,
  chunks: number[],
  maxLineBytes: number,
  regionBytes: number,
  context: Selection['context'],
  own: OwnLines | null = null,
  needles: readonly string[] = NEEDLES,
) {
  const splitter = new SelectingSplitter({
    sourceId: 0,
    maxLineBytes,
    regionBytes,
    selection: { needles, context, ...(own ? { own } : {}) },
  });
  const lines: RawLine[] = [];
  for (const part of cut(bytes, chunks)) lines.push(...splitter.push(part));
  lines.push(...splitter.end());
  return { lines, counts: splitter.counts };
}

function* cut(bytes: Buffer, sizes: number[]): Generator<Buffer> {
  let at = 0;
  for (const size of sizes) {
    if (at >= bytes.length) return;
    yield bytes.subarray(at, at + size);
    at += size;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

const lineArb = fc.oneof(
  fc.constantFrom(
    'Jul 23 10:03:47 web1 kernel: Out of memory: Killed process 12345 (anqicms) total-vm:1kB, anon-rss:2kB',
    'Jul 23 10:03:47 web1 kernel: oom-kill:constraint=CONSTRAINT_NONE,task=anqicms,pid=1,uid=0',
    'Jul 23 10:03:48 web1 anqicms[1689]: 2024/07/23 10:03:48 panic: runtime error',
    'Jul 23 10:03:49 web1 anqicms[1689]: oom-kill: a line holding both kinds of needle',
    '2024/07/23 10:04:01 /www/wwwroot/anqicms/',
    '2024/07/23 10:04:02 采集完成: 新增 15 篇文章',
    '退出 terminated',
    'room zoom bloom',
    '',
    '\u0000\u0000 zeroed',
    'line with CR\r',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 60, maxLength: 200 }),
);

test('every kept line equals the full read of that line; every needle line is kept; counts agree', () => {
  fc.assert(
    fc.property(
      fc.array(lineArb, { maxLength: 120 }),
      fc.boolean(),
      fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 40 }),
      fc.integer({ min: 64, max: 2048 }),
      fc.integer({ min: 16, max: 300 }),
      fc.constantFrom<Selection['context']>('system', 'app'),
      fc.boolean(),
      (lines, finalNewline, chunks, regionBytes, maxLineBytes, context, withOwn) => {
        const bytes = Buffer.from(lines.join('\n') + (finalNewline && lines.length ? '\n' : ''), 'utf8');
        const full = splitAll(bytes, chunks, maxLineBytes);
        const picked = select(bytes, chunks, maxLineBytes, regionBytes, context, withOwn ? OWN : null);
        const byNo = new Map(full.lines.map((l) => [l.lineNo, l]));
        let previous = 0;
        for (const line of picked.lines) {
          assert.ok(line.lineNo > previous, `line numbers increase: ${line.lineNo} after ${previous}`);
          previous = line.lineNo;
          assert.deepEqual(line, byNo.get(line.lineNo));
        }
        const kept = new Set(picked.lines.map((l) => l.lineNo));
        // The app's own lines are read as running.log is (tests in own-lines.test.ts): not each is kept.
        const needles = withOwn ? NEEDLES.filter((n) => !OWN.needles.includes(n)) : NEEDLES;
        for (const [index, raw] of bytes.toString('utf8').split('\n').entries()) {
          const holds = needles.some((n) =>
            n === '/\n'
              ? raw.endsWith('/') && index < full.lines.length - (finalNewline ? 0 : 1)
              : raw.includes(n),
          );
          // A needle past the cap may be cut away; the full read would not see it whole either.
          if (holds && Buffer.byteLength(raw) <= maxLineBytes)
            assert.ok(kept.has(index + 1), `line ${index + 1} holds a needle`);
        }
        if (full.lines.length > 0) assert.ok(kept.has(full.lines.length), 'the last line is kept');
        assert.equal(picked.counts.lines, full.counts.lines);
        assert.equal(picked.counts.cutLines, full.counts.cutLines);
        assert.equal(picked.counts.firstCutLineNo, full.counts.firstCutLineNo);
      },
    ),
    { numRuns: 400 },
  );
});

test('a line longer than two regions is counted once, cut once, and the lines after it are numbered right', () => {
  const long = 'x'.repeat(5000);
  const bytes = Buffer.from(`first\n${long} Killed process 1\nJul 23 kernel: Killed process 2 (a)\n`);
  const full = splitAll(bytes, [333, 4000, 97], 100);
  const picked = select(bytes, [333, 4000, 97], 100, 256, 'system');
  assert.equal(picked.counts.lines, 3);
  assert.equal(picked.counts.cutLines, 1);
  assert.deepEqual(
    picked.lines.find((l) => l.lineNo === 3),
    full.lines[2],
  );
});

test('the app context keeps the last timestamped line before a lifecycle line, even a region back', () => {
  const lines = [
    '2024/07/23 10:00:00 started work',
    ...Array.from({ length: 40 }, (_, i) => `plain line ${i}`),
    '退出 terminated',
  ];
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  const picked = select(bytes, [64], 1000, 128, 'app');
  const texts = picked.lines.map((l) => l.text);
  assert.ok(texts.includes('2024/07/23 10:00:00 started work'));
  assert.ok(texts.includes('plain line 39'));
  assert.ok(texts.includes('退出 terminated'));
});

test('a line exactly as long as the whole area, not past the cap, is read whole (found by fast-check)', () => {
  const bytes = Buffer.from(' '.repeat(128));
  const picked = select(bytes, [], 128, 64, 'system');
  assert.deepEqual(picked.lines, splitAll(bytes, [], 128).lines);
});

test('the app context knows the Java and other app stamps as timed lines, not only Go log', () => {
  for (const stamped of [
    '2024-03-05 13:02:11,123 INFO [main] c.e.App - working',
    '2024-07-23T08:24:20.890+08:00  INFO 23987 --- [main] r.h.a.c.e.index.IndicesManager : Rebuilt',
    '[2024-03-05 13:02:11,123] INFO working (kafka.server.KafkaServer)',
    '05-Mar-2024 13:02:11.123 INFO [main] org.apache.catalina.startup.Catalina.start working',
    'time="2024-03-05T13:02:11+08:00" level=info msg="working"',
    '[shop] 2024/03/05 13:02:11 working',
    '[GIN] 2024/03/05 - 13:02:11 | 200 |    1.204ms |       127.0.0.1 | GET      "/api/cart"',
  ]) {
    const lines = [
      ...Array.from({ length: 250 }, (_, i) => `plain line ${i}`),
      stamped,
      ...Array.from({ length: 40 }, (_, i) => `\tat com.example.Worker.run${i}(Worker.java:1)`),
      '退出 terminated',
      ...Array.from({ length: 10 }, (_, i) => `after ${i}`),
    ];
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const picked = select(bytes, [4096], 1000, 1 << 16, 'app');
    assert.ok(
      picked.lines.some((l) => l.text === stamped),
      stamped,
    );
  }
});

test("the app's own lines are kept without the line before them; one holding another needle keeps it", () => {
  const noise = (i: number) => `Jul 23 10:03:40 web1 sshd[7]: noise ${i}`;
  const lines = [
    ...Array.from({ length: 250 }, (_, i) => noise(i)),
    'Jul 23 10:03:46 web1 CRON[1]: (root) CMD (/www/wwwroot/anqicms/start.sh)', // 251
    'Jul 23 10:03:47 web1 anqicms[1689]: 2024/07/23 10:03:47 working',
    'Jul 23 10:03:47 web1 nginx: GET /anqicms/index.html',
    'Jul 23 10:03:48 web1 anqicms[1689]: 2024/07/23 10:03:48 still working',
    'Jul 23 10:03:48 web1 sshd[7]: Accepted publickey', // 255
    'Jul 23 10:03:49 web1 anqicms[1689]: oom-kill: both needles',
    ...Array.from({ length: 10 }, (_, i) => noise(300 + i)),
  ];
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  const kept = (own: OwnLines | null, needles: readonly string[] = NEEDLES) =>
    select(bytes, [], 1000, 64 * 1024, 'system', own, needles)
      .lines.map((l) => l.lineNo)
      .filter((n) => n > 200 && n < 260);
  assert.deepEqual(kept(null), [251, 252, 253, 254, 255, 256]);
  // 252: the pid's first line; 254: the app's line before 256, which holds another needle (and so keeps 255).
  assert.deepEqual(kept(OWN), [252, 254, 255, 256]);
  // `cms[16` may be found through the same bytes as `anqicms[`, and then reported as that: no line is told as own.
  assert.deepEqual(kept(OWN, [...NEEDLES, 'cms[16']), [251, 252, 253, 254, 255, 256]);
});

test('lines are handed out a few hundred at a time; the lines a reader did not drain come back from commit', () => {
  const lines = Array.from({ length: 3000 }, (_, i) =>
    i % 3 === 0
      ? `Jul 23 10:03:47 web1 anqicms[1689]: line ${i}`
      : `Jul 23 10:03:47 web1 sshd[7]: noise ${i}`,
  );
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  const read = (drainEvery: number) => {
    const splitter = new SelectingSplitter({
      sourceId: 0,
      maxLineBytes: 1000,
      regionBytes: 64 * 1024,
      selection: { needles: NEEDLES, context: 'system' },
    });
    const out: RawLine[] = [];
    const sizes: number[] = [];
    let at = 0;
    for (let round = 0; at < bytes.length; round++) {
      const target = splitter.intake();
      const n = bytes.copy(target, 0, at, Math.min(bytes.length, at + 50_000));
      at += n;
      if (round % drainEvery === 0)
        for (let batch = splitter.drain(); batch.length > 0; batch = splitter.drain()) {
          sizes.push(batch.length);
          out.push(...batch);
        }
      out.push(...splitter.commit(n));
    }
    out.push(...splitter.end());
    return { lines: out, sizes };
  };
  const drained = read(1);
  assert.ok(drained.sizes.length > 1 && drained.sizes.every((n) => n <= 256), drained.sizes.join(' '));
  assert.deepEqual(read(2).lines, drained.lines);
  const full = new Map(splitAll(bytes, [], 1000).lines.map((l) => [l.lineNo, l]));
  for (const line of drained.lines) assert.deepEqual(line, full.get(line.lineNo));
  const kept = new Set(drained.lines.map((l) => l.lineNo));
  for (let i = 0; i < lines.length; i += 3) assert.ok(kept.has(i + 1), `line ${i + 1}`);
});

test("the file's last lines are kept when its last read ends a region at a line feed (nothing left for the last one)", () => {
  for (const context of ['system', 'app'] as const) {
    const lines = [
      ...Array.from({ length: 240 }, (_, i) => `2024/07/23 10:00:00 line ${i}`),
      '2024/07/23 10:59:58 the last timed line',
      'untimed tail 1',
      'untimed tail 2',
      'untimed tail 3',
    ];
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const splitter = new SelectingSplitter({
      sourceId: 0,
      maxLineBytes: 1000,
      regionBytes: 4096,
      selection: { needles: NEEDLES, context },
    });
    const kept: RawLine[] = [];
    // One read of everything: the region handed over ends at the file's last line feed.
    const target = splitter.intake();
    assert.ok(target.length >= bytes.length);
    bytes.copy(target);
    kept.push(...splitter.commit(bytes.length));
    for (let batch = splitter.drain(); batch.length > 0; batch = splitter.drain()) kept.push(...batch);
    kept.push(...splitter.end());
    const texts = kept.map((l) => l.text);
    assert.equal(kept[kept.length - 1]?.lineNo, lines.length, context);
    assert.ok(texts.includes('untimed tail 3'), context);
    if (context === 'app') assert.ok(texts.includes('2024/07/23 10:59:58 the last timed line'));
  }
});

test('a crash-zeroed NUL block of any size before a line hides nothing: the kill line behind it is kept (issue 13, defect 10)', () => {
  for (const mib of [1, 2, 4, 8]) {
    const kill =
      'Jul 23 10:03:47 web1 kernel: Out of memory: Killed process 12345 (anqicms) total-vm:1kB, anon-rss:2kB';
    const bytes = Buffer.concat([
      Buffer.from('Jul 23 10:03:40 web1 CRON[1]: (root) CMD (true)\n'),
      Buffer.alloc(mib * 1024 * 1024),
      Buffer.from(`${kill}\nJul 23 10:03:50 web1 CRON[2]: (root) CMD (true)\n`),
    ]);
    for (const chunk of [64 * 1024, 1024 * 1024]) {
      const full = splitAll(bytes, [chunk], 64 * 1024);
      const selected = select(bytes, [chunk], 64 * 1024, 2 * 1024 * 1024, 'system');
      const kept = selected.lines.find((l) => l.text.includes('Killed process'));
      assert.deepEqual(kept, full.lines[1], `${mib} MiB of NULs, read ${chunk} bytes at a time`);
      assert.equal(kept?.text, kill);
      assert.equal(selected.counts.cutLines, 0, 'no line was over-long');
      assert.equal(selected.counts.leadingNulBytes, mib * 1024 * 1024);
      assert.equal(selected.counts.lines, 3);
    }
  }
});
