// Reading inputs: plain and gzip (normal, multi-member, truncated, corrupt), stdin and pipes, heads for sniffing,
// and the problems a reader reports once per file (empty, binary, cut lines, damage).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { ErrorCode } from '../../src/errors.js';
import { discoverInputs } from '../../src/sources/discover.js';
import type { InputFile } from '../../src/sources/input-file.js';
import { MAX_LINE_BYTES, type RawLine } from '../../src/sources/raw-line.js';
import { readHead, readLines, releaseInput } from '../../src/sources/read-input.js';

let root: string;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'oomsleuth-read-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function inputFor(name: string, content: string | Buffer): Promise<InputFile> {
  const file = path.join(root, name);
  await writeFile(file, content);
  const { inputs, problems } = await discoverInputs([file]);
  assert.deepEqual(problems, []);
  return { ...(inputs[0] as InputFile), displayPath: `logs/${name}` };
}

interface ReadResult {
  lines: RawLine[];
  batches: number;
  problems: { code: ErrorCode; message: string }[];
}

async function readAll(input: InputFile, options?: Parameters<typeof readLines>[3]): Promise<ReadResult> {
  const result: ReadResult = { lines: [], batches: 0, problems: [] };
  const reporter = { problem: (code: ErrorCode, message: string) => result.problems.push({ code, message }) };
  for await (const batch of readLines(input, 4, reporter, options)) {
    assert.ok(Array.isArray(batch) && batch.length > 0, 'batches are non-empty arrays');
    result.batches++;
    result.lines.push(...batch);
  }
  return result;
}

function numbered(count: number, prefix = 'Jul 23 10:04:01 web1 kernel: line'): string {
  let text = '';
  for (let i = 1; i <= count; i++) text += `${prefix} ${i}\n`;
  return text;
}

describe('readLines', () => {
  test('reads a plain file in batches, numbering lines and tagging the source', async () => {
    const text = numbered(100_000);
    const { lines, batches, problems } = await readAll(await inputFor('big.log', text));
    assert.equal(lines.length, 100_000);
    assert.ok(batches >= 2, `a ${text.length}-byte file comes in more than one batch (${batches})`);
    assert.deepEqual(lines[99_999], {
      sourceId: 4,
      lineNo: 100_000,
      text: 'Jul 23 10:04:01 web1 kernel: line 100000',
      truncated: false,
    });
    assert.deepEqual(problems, []);
  });

  test('reads gzip by content', async () => {
    const { lines, problems } = await readAll(await inputFor('syslog.2.gz', gzipSync(numbered(3))));
    assert.deepEqual(
      lines.map((line) => line.text),
      [
        'Jul 23 10:04:01 web1 kernel: line 1',
        'Jul 23 10:04:01 web1 kernel: line 2',
        'Jul 23 10:04:01 web1 kernel: line 3',
      ],
    );
    assert.deepEqual(problems, []);
  });

  test('reads every member of a multi-member gzip, and ignores zero padding after it', async () => {
    const data = Buffer.concat([
      gzipSync('first member\n'),
      gzipSync('second member\n'),
      gzipSync('third'),
      Buffer.alloc(512),
    ]);
    const { lines, problems } = await readAll(await inputFor('multi.gz', data));
    assert.deepEqual(
      lines.map((line) => line.text),
      ['first member', 'second member', 'third'],
    );
    assert.deepEqual(problems, []);
  });

  test('a truncated gzip keeps every line decoded before the damage and says where it broke', async () => {
    const text = numbered(50_000);
    const whole = gzipSync(text);
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    const { lines, problems } = await readAll(await inputFor('syslog.2.gz', truncated));
    // Everything a forgiving decoder can get out of the damaged file, as complete lines.
    const salvage = gunzipSync(truncated, { finishFlush: constants.Z_SYNC_FLUSH })
      .toString('utf8')
      .split('\n');
    const partial = salvage.pop() as string;
    assert.deepEqual(
      lines.slice(0, salvage.length).map((line) => line.text),
      salvage,
    );
    assert.ok(salvage.length > 20_000);
    // The line broken by the damage is kept, marked as cut.
    if (partial !== '')
      assert.deepEqual(lines.at(-1), {
        sourceId: 4,
        lineNo: salvage.length + 1,
        text: partial,
        truncated: true,
      });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'OOMS_E_SOURCE_GZIP_TRUNCATED');
    assert.equal(
      problems[0]?.message,
      `logs/syslog.2.gz is truncated after ${lines.length} lines (the gzip data ends early at byte ${truncated.length} of ${truncated.length}) — the lines before the damage were read; re-copy the file if you need the rest`,
    );
  });

  test('a corrupt gzip reports the damage and keeps the lines before it', async () => {
    const whole = Buffer.from(gzipSync(numbered(50_000)));
    const at = Math.floor(whole.length / 2);
    for (let i = at; i < at + 64; i++) whole[i] = (whole[i] as number) ^ 0xa5;
    const { lines, problems } = await readAll(await inputFor('corrupt.gz', whole));
    assert.ok(lines.length > 1000, `lines before the damage were read (${lines.length})`);
    for (const [i, line] of lines.slice(0, 1000).entries())
      assert.equal(line.text, `Jul 23 10:04:01 web1 kernel: line ${i + 1}`);
    assert.deepEqual(
      problems.map((problem) => problem.code),
      ['OOMS_E_SOURCE_GZIP_TRUNCATED'],
    );
    assert.match(
      problems[0]?.message ?? '',
      /^logs\/corrupt\.gz is truncated after \d+ lines \(the gzip data is corrupt at byte \d+ of \d+\) — /,
    );
  });

  test('an empty file, and a gzip that decompresses to nothing, are OOMS_E_SOURCE_EMPTY', async () => {
    const empty = await readAll(await inputFor('running.log', ''));
    assert.deepEqual(empty, {
      lines: [],
      batches: 0,
      problems: [
        {
          code: 'OOMS_E_SOURCE_EMPTY',
          message:
            'logs/running.log is empty — nothing to read; if the service writes its log elsewhere, pass that file',
        },
      ],
    });
    const gz = await readAll(await inputFor('empty.gz', gzipSync('')));
    assert.match(gz.problems[0]?.message ?? '', /^logs\/empty\.gz is empty once decompressed — /);
  });

  test('a NUL-heavy file is reported as binary once, and its text lines are still read', async () => {
    const data = Buffer.concat([
      Buffer.from('Jul 23 10:04:01 web1 kernel: before\n'),
      Buffer.alloc(2000),
      Buffer.from('Jul 23 10:04:02 web1 kernel: after\n'),
    ]);
    const { lines, problems } = await readAll(await inputFor('zeroed.log', data));
    assert.deepEqual(
      lines.map((line) => line.text),
      ['Jul 23 10:04:01 web1 kernel: before', 'Jul 23 10:04:02 web1 kernel: after'],
    );
    assert.deepEqual(problems, [
      {
        code: 'OOMS_E_SOURCE_BINARY',
        message: `logs/zeroed.log looks binary: 97% of its first ${data.length} bytes are NUL bytes — its text lines were still read; if it is not a log, leave it out (a crash can also zero part of a log)`,
      },
    ]);
  });

  test('over-long lines give one summary problem per file, with the count and the first line', async () => {
    const long = 'x'.repeat(MAX_LINE_BYTES * 3);
    const text = `short\n${long}\nok\n${long}\r\n${long}`;
    const { lines, problems } = await readAll(await inputFor('running.log', text));
    assert.deepEqual(
      lines.map((line) => [line.lineNo, line.text.length, line.truncated]),
      [
        [1, 5, false],
        [2, MAX_LINE_BYTES, true],
        [3, 2, false],
        [4, MAX_LINE_BYTES, true],
        [5, MAX_LINE_BYTES, true],
      ],
    );
    assert.deepEqual(problems, [
      {
        code: 'OOMS_E_SOURCE_LINE_TOO_LONG',
        message: `logs/running.log: 3 lines longer than 64 KiB were cut (the first at line 2) — only the first 64 KiB of each was read; nothing is lost unless evidence sits past the cut (then split those lines with fold -b ${MAX_LINE_BYTES} and pass the result)`,
      },
    ]);
  });

  test('a file that vanished after discovery is a problem, not an exception', async () => {
    const input = await inputFor('gone.log', 'x\n');
    await unlink(input.path);
    const { lines, problems } = await readAll(input);
    assert.deepEqual(lines, []);
    assert.deepEqual(problems, [
      {
        code: 'OOMS_E_SOURCE_NOT_FOUND',
        message: 'cannot read logs/gone.log: no such file or directory — check the path',
      },
    ]);
  });

  test('stopping early releases the input without reporting anything', async () => {
    const input = await inputFor('stop.gz', gzipSync(numbered(200_000)));
    const problems: string[] = [];
    for await (const batch of readLines(input, 0, { problem: (_code, message) => problems.push(message) })) {
      assert.ok(batch.length > 0);
      break;
    }
    assert.deepEqual(problems, []);
  });

  test('passes the byte prefilter through', async () => {
    const input = await inputFor('filter.log', 'a\nOut of memory: Killed process 1 (x)\nb\n');
    const { lines } = await readAll(input, {
      keepLine: (bytes, start, end) =>
        Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).includes('Killed'),
    });
    assert.deepEqual(
      lines.map((line) => [line.lineNo, line.text]),
      [[2, 'Out of memory: Killed process 1 (x)']],
    );
  });

  test('reads a FIFO given by path', async () => {
    const fifo = path.join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const [input] = (await discoverInputs([fifo])).inputs;
    const writer = spawn('sh', ['-c', `printf 'one\\ntwo\\n' > "$1"`, 'sh', fifo], { stdio: 'ignore' });
    const closed = new Promise((resolve) => writer.once('close', resolve));
    const { lines, problems } = await readAll(input as InputFile);
    await closed;
    assert.deepEqual(
      lines.map((line) => line.text),
      ['one', 'two'],
    );
    assert.deepEqual(problems, []);
  });
});

describe('readHead', () => {
  test('gives the first lines of a plain file, complete lines only', async () => {
    const input = await inputFor('head.log', numbered(1000));
    const head = await readHead(input, 3);
    assert.deepEqual(head, [
      'Jul 23 10:04:01 web1 kernel: line 1',
      'Jul 23 10:04:01 web1 kernel: line 2',
      'Jul 23 10:04:01 web1 kernel: line 3',
    ]);
    const byBytes = await readHead(input, 200, 100);
    assert.deepEqual(byBytes, ['Jul 23 10:04:01 web1 kernel: line 1', 'Jul 23 10:04:01 web1 kernel: line 2']);
  });

  test('decompresses gzip and includes an unterminated last line when the input is that short', async () => {
    const input = await inputFor('head.gz', gzipSync('a\nb\nlast'));
    assert.deepEqual(await readHead(input), ['a', 'b', 'last']);
  });

  test('never throws: a missing file has an empty head', async () => {
    const input = await inputFor('head-gone.log', 'x\n');
    await unlink(input.path);
    assert.deepEqual(await readHead(input), []);
  });

  test('a read-once input (a command) hands what the head took back to readLines', async () => {
    const input: InputFile = {
      path: 'node -e …',
      displayPath: 'node -e …',
      compressed: null,
      sizeBytes: 0,
      mtimeMs: Date.now(),
      rotation: null,
      command: {
        file: process.execPath,
        args: ['-e', 'for (let i = 1; i <= 50000; i++) console.log("line " + i)'],
      },
    };
    assert.deepEqual(await readHead(input, 2), ['line 1', 'line 2']);
    const { lines, problems } = await readAll(input);
    assert.equal(lines.length, 50_000);
    assert.equal(lines[0]?.text, 'line 1');
    assert.equal(lines[49_999]?.text, 'line 50000');
    assert.deepEqual(problems, []);
  });
});

test('releaseInput stops a command whose head was read but whose lines will not be', async () => {
  const input: InputFile = {
    path: 'endless',
    displayPath: 'endless',
    compressed: null,
    sizeBytes: 0,
    mtimeMs: Date.now(),
    rotation: null,
    command: { file: process.execPath, args: ['-e', 'setInterval(() => console.log("tick"), 5)'] },
  };
  assert.deepEqual(await readHead(input, 1, 16), ['tick']);
  releaseInput(input);
  // The test process would not end if the child were still running.
});

describe('stdin', () => {
  async function throughStdin(
    data: Buffer,
    ...args: string[]
  ): Promise<{ input: InputFile; head: string[] | null; lines: [number, string][]; problems: string[] }> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'read-stdin.ts'), ...args],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stdin.end(data);
    const code = await new Promise((resolve) => child.once('close', resolve));
    assert.equal(code, 0);
    return JSON.parse(stdout);
  }

  test('reads lines piped into a child process', async () => {
    const result = await throughStdin(Buffer.from('one\r\ntwo\nthree'));
    assert.equal(result.input.stdin, true);
    assert.equal(result.input.displayPath, 'stdin');
    assert.deepEqual(result.lines, [
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    assert.deepEqual(result.problems, []);
  });

  test('gunzips gzip piped in, and replays the head to the full read', async () => {
    const result = await throughStdin(gzipSync(numbered(30_000)), '--head');
    assert.deepEqual(result.head, [
      'Jul 23 10:04:01 web1 kernel: line 1',
      'Jul 23 10:04:01 web1 kernel: line 2',
    ]);
    assert.equal(result.lines.length, 30_000);
    assert.deepEqual(result.lines[29_999], [30_000, 'Jul 23 10:04:01 web1 kernel: line 30000']);
  });

  test('empty stdin is reported', async () => {
    const result = await throughStdin(Buffer.alloc(0));
    assert.deepEqual(result.problems, [
      'OOMS_E_SOURCE_EMPTY stdin was empty — pipe a log into it (zcat syslog.2.gz | oomsleuth analyze -) or pass the files as PATH',
    ]);
  });
});
