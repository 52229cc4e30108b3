// Discovery: files, folders walked whole, gzip by magic, rotated sets oldest first, problems with their fixes.

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { discoverInputs, isObviouslyBinary } from '../../src/sources/discover.js';
import { describeFsError } from '../../src/sources/fs-problem.js';
import type { Discovery } from '../../src/sources/input-file.js';
import { builtCopyForOtherUsers } from '../helpers/other-user.js';
import { skipUnlessCi } from '../helpers/skip.js';

const run = promisify(execFile);
const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

let root: string;
let previousCwd: string;

/** Writes files under `root` (folders created as needed); a Buffer is written as is. */
async function files(spec: Record<string, string | Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(spec)) {
    const file = path.join(root, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

const names = (discovery: Discovery) => discovery.inputs.map((input) => input.displayPath);

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'oomsleuth-discover-'));
  previousCwd = process.cwd();
  process.chdir(root);
});

after(async () => {
  process.chdir(previousCwd);
  await rm(root, { recursive: true, force: true });
});

describe('discoverInputs', () => {
  test('orders each rotated set oldest first, live file last; numbered by index, dated by date', async () => {
    await files({
      'rot/syslog': 'live\n',
      'rot/syslog.1': 'one\n',
      'rot/syslog.2.gz': gzipSync('two\n'),
      'rot/syslog.10.gz': gzipSync('ten\n'),
      'rot/messages': 'live\n',
      'rot/messages-20240721': 'newer\n',
      'rot/messages-20240714.gz': gzipSync('older\n'),
      'rot/messages-20231231': 'oldest\n',
      'rot/kern.log.1': 'k1\n',
      'rot/kern.log': 'k\n',
      'rot/dmesg': 'd\n',
      'rot/dmesg.0': 'd0\n',
      'rot/check.log': 'c\n',
    });
    const discovery = await discoverInputs(['rot']);
    assert.deepEqual(discovery.problems, []);
    assert.deepEqual(names(discovery), [
      'rot/check.log',
      'rot/dmesg.0',
      'rot/dmesg',
      'rot/kern.log.1',
      'rot/kern.log',
      'rot/messages-20231231',
      'rot/messages-20240714.gz',
      'rot/messages-20240721',
      'rot/messages',
      'rot/syslog.10.gz',
      'rot/syslog.2.gz',
      'rot/syslog.1',
      'rot/syslog',
    ]);
    const byName = new Map(discovery.inputs.map((input) => [input.displayPath, input]));
    assert.equal(byName.get('rot/check.log')?.rotation, null);
    assert.deepEqual(byName.get('rot/dmesg.0')?.rotation, { base: 'rot/dmesg', index: 1 });
    assert.deepEqual(byName.get('rot/dmesg')?.rotation, { base: 'rot/dmesg', index: 0 });
    assert.deepEqual(byName.get('rot/syslog.10.gz')?.rotation, { base: 'rot/syslog', index: 3 });
    assert.deepEqual(byName.get('rot/messages-20231231')?.rotation, { base: 'rot/messages', index: 3 });
    assert.equal(byName.get('rot/syslog.2.gz')?.compressed, 'gzip');
    assert.equal(byName.get('rot/syslog.1')?.compressed, null);
  });

  test('rotated files named one by one are grouped and ordered too', async () => {
    await files({
      'one/syslog': 'a\n',
      'one/syslog.1': 'b\n',
      'one/syslog.2.gz': gzipSync('c\n'),
      'one/x.log': 'x\n',
    });
    const discovery = await discoverInputs(['one/syslog', 'one/x.log', 'one/syslog.1', 'one/syslog.2.gz']);
    assert.deepEqual(names(discovery), ['one/syslog.2.gz', 'one/syslog.1', 'one/syslog', 'one/x.log']);
  });

  test('gzip is told by its magic bytes, not its name', async () => {
    await files({ 'magic/rotated.1': gzipSync('hidden gzip\n'), 'magic/plain.gz': 'not really gzip\n' });
    const discovery = await discoverInputs(['magic']);
    const compressed = Object.fromEntries(
      discovery.inputs.map((input) => [input.displayPath, input.compressed]),
    );
    assert.deepEqual(compressed, { 'magic/plain.gz': null, 'magic/rotated.1': 'gzip' });
  });

  test('skips hidden folders, node_modules and obviously binary files, but not .gz', async () => {
    await files({
      'walk/app/running.log': 'r\n',
      'walk/.git/HEAD': 'ref\n',
      'walk/.cache/x.log': 'x\n',
      'walk/node_modules/pkg/log.txt': 'n\n',
      'walk/app.db': 'SQLite format 3\u0000',
      'walk/shot.png': '\u0089PNG',
      'walk/libfoo.so': 'ELF',
      'walk/backup.tar.gz': gzipSync('tar'),
      'walk/wtmp': 'binary',
      'walk/system.journal': 'LPKSHHRH',
      'walk/syslog.3.gz': gzipSync('s\n'),
      'walk/.hidden-file.log': 'kept\n',
    });
    const discovery = await discoverInputs(['walk']);
    assert.deepEqual(names(discovery), ['walk/.hidden-file.log', 'walk/app/running.log', 'walk/syslog.3.gz']);
    assert.deepEqual(discovery.problems, []);
  });

  test('a binary-looking file named on the command line is not skipped', async () => {
    await files({ 'explicit/odd.png': 'Jul 23 10:04:01 host kernel: hi\n' });
    assert.deepEqual(names(await discoverInputs(['explicit/odd.png'])), ['explicit/odd.png']);
  });

  test('display paths are relative to the given folder’s parent, or as typed for files', async () => {
    await files({ 'shown/sub/check.log': 'c\n' });
    const absolute = await discoverInputs([path.join(root, 'shown')]);
    assert.deepEqual(names(absolute), ['shown/sub/check.log']);
    assert.equal(absolute.inputs[0]?.path, path.join(root, 'shown/sub/check.log'));
    assert.deepEqual(names(await discoverInputs(['./shown/'])), ['shown/sub/check.log']);
    assert.deepEqual(names(await discoverInputs(['./shown/sub/check.log'])), ['./shown/sub/check.log']);
  });

  test('follows symbolic links without looping, and reads each file once', async () => {
    await files({ 'links/real/syslog': 's\n' });
    await symlink('..', path.join(root, 'links/real/loop'));
    await symlink('real/syslog', path.join(root, 'links/alias'));
    await symlink('missing', path.join(root, 'links/dangling'));
    const discovery = await discoverInputs(['links', 'links/real/syslog']);
    assert.deepEqual(names(discovery), ['links/alias']);
    assert.deepEqual(discovery.problems, []);
  });

  test('records size and modification time', async () => {
    await files({ 'meta/check.log': '12345\n' });
    const when = new Date('2024-07-23T10:04:01Z');
    await utimes(path.join(root, 'meta/check.log'), when, when);
    const [input] = (await discoverInputs(['meta/check.log'])).inputs;
    assert.equal(input?.sizeBytes, 6);
    assert.equal(input?.mtimeMs, when.getTime());
  });

  test('a missing file gets a “did you mean” when a sibling is close', async () => {
    await files({ 'logs/check.log': 'c\n', 'logs/running.log': 'r\n' });
    const discovery = await discoverInputs(['logs/chek.log', 'logs/check.log']);
    assert.deepEqual(names(discovery), ['logs/check.log']);
    assert.deepEqual(discovery.problems, [
      {
        displayPath: 'logs/chek.log',
        code: 'OOMS_E_SOURCE_NOT_FOUND',
        message:
          'cannot read logs/chek.log: no such file or directory — check the path (did you mean logs/check.log?)',
      },
    ]);
  });

  test('a mistyped folder is corrected too; nothing close gives no suggestion', async () => {
    await files({ 'logs/check.log': 'c\n' });
    const [typo] = (await discoverInputs(['lgos/check.log'])).problems;
    assert.equal(
      typo?.message,
      'cannot read lgos/check.log: no such file or directory — check the path (did you mean logs/check.log?)',
    );
    const [far] = (await discoverInputs(['logs/zzzzzzzz.txt'])).problems;
    assert.equal(far?.message, 'cannot read logs/zzzzzzzz.txt: no such file or directory — check the path');
  });

  test('a folder with nothing to read is OOMS_E_DIR_NOTHING_FOUND, saying what was skipped', async () => {
    await mkdir(path.join(root, 'empty'));
    await files({ 'junk/.git/config': 'x', 'junk/data.sqlite': 'x', 'junk/pic.jpg': 'x' });
    const discovery = await discoverInputs(['empty', 'junk/']);
    assert.deepEqual(discovery.inputs, []);
    assert.deepEqual(
      discovery.problems.map((problem) => [problem.code, problem.message]),
      [
        [
          'OOMS_E_DIR_NOTHING_FOUND',
          'found no log files in empty/: it is empty — pass the folder that holds the logs, or the log files themselves',
        ],
        [
          'OOMS_E_DIR_NOTHING_FOUND',
          'found no log files in junk/: only 1 hidden or vendored folder, 2 binary files, skipped — pass the folder that holds the logs, or the log files themselves',
        ],
      ],
    );
  });

  test('xz, bzip2 and zstd files are reported with the command that decompresses them', async () => {
    await files({
      'xz/syslog.2.xz': Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2]),
      'xz/syslog': 's\n',
    });
    const discovery = await discoverInputs(['xz']);
    assert.deepEqual(names(discovery), ['xz/syslog']);
    assert.deepEqual(discovery.problems, [
      {
        displayPath: 'xz/syslog.2.xz',
        code: 'OOMS_E_SOURCE_COMPRESSION_UNSUPPORTED',
        message:
          'cannot read xz/syslog.2.xz: it is xz-compressed, and only gzip is read — decompress it (xz -dk xz/syslog.2.xz) and pass the result',
      },
    ]);
  });

  test('problems never stop the other inputs; stdin keeps its place and is read once', async () => {
    await files({ 'mix/a.log': 'a\n', 'mix/b.log': 'b\n' });
    const discovery = await discoverInputs(['mix/a.log', '-', 'nope', 'mix/b.log', '-']);
    assert.deepEqual(names(discovery), ['mix/a.log', 'stdin', 'mix/b.log']);
    const stdin = discovery.inputs[1];
    assert.equal(stdin?.stdin, true);
    assert.equal(stdin?.path, '-');
    assert.deepEqual(
      discovery.problems.map((problem) => problem.code),
      ['OOMS_E_SOURCE_NOT_FOUND', 'OOMS_E_USAGE'],
    );
  });

  test('a FIFO given by path is an input read once (no bytes taken at discovery)', async () => {
    const fifo = path.join(root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const [input] = (await discoverInputs([fifo])).inputs;
    assert.equal(input?.pipe, true);
    assert.equal(input?.compressed, null);
  });

  test('permission denied says run as root or join adm (message checked on a simulated EACCES)', () => {
    const error = Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' });
    assert.deepEqual(describeFsError('/var/log/syslog', error), {
      displayPath: '/var/log/syslog',
      code: 'OOMS_E_SOURCE_UNREADABLE',
      message:
        'cannot read /var/log/syslog: permission denied — run as root or add your user to the adm group',
    });
  });

  test('an unreadable file is a problem, and the other inputs are still found', async (t) => {
    await files({ 'locked/kern.log': 'secret\n', 'locked/check.log': 'c\n' });
    await chmod(root, 0o755);
    await chmod(path.join(root, 'locked'), 0o755);
    await chmod(path.join(root, 'locked/kern.log'), 0o000);
    const args = [path.join(root, 'locked')];
    let discovery: Discovery;
    if (process.getuid?.() === 0) {
      // Root reads a mode-000 file anyway: run the discovery as nobody, if setpriv can.
      try {
        execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
      } catch {
        skipUnlessCi(
          t,
          'running as root and setpriv is missing: cannot drop privileges to check a real EACCES',
        );
        return;
      }
      // Nobody must be able to read what it runs: a clone in a 0700 folder is not, so run a copy of the build.
      const copy = await builtCopyForOtherUsers([fixture('discover-args.mjs')]);
      t.after(() => copy.cleanup());
      const { stdout } = await run(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          copy.fixtures['discover-args.mjs']!,
          ...args,
        ],
        { cwd: copy.root, env: { ...process.env, HOME: tmpdir() } },
      );
      discovery = JSON.parse(stdout) as Discovery;
    } else {
      discovery = await discoverInputs(args);
    }
    assert.deepEqual(names(discovery), ['locked/check.log']);
    assert.deepEqual(discovery.problems, [
      {
        displayPath: 'locked/kern.log',
        code: 'OOMS_E_SOURCE_UNREADABLE',
        message:
          'cannot read locked/kern.log: permission denied — run as root or add your user to the adm group',
      },
    ]);
  });
});

describe('isObviouslyBinary', () => {
  const cases: [string, boolean][] = [
    ['app.db', true],
    ['cache.sqlite3', true],
    ['logo.PNG', true],
    ['libc.so', true],
    ['logs.tar', true],
    ['logs.tar.gz', true],
    ['system@0001.journal', true],
    ['wtmp.1', true],
    ['syslog.2.gz', false],
    ['running.log', false],
    ['messages-20240721', false],
    ['check.log.1', false],
    ['dmesg', false],
  ];
  for (const [name, expected] of cases) {
    test(`${name} → ${expected ? 'skipped' : 'read'}`, () => assert.equal(isObviouslyBinary(name), expected));
  }
});
