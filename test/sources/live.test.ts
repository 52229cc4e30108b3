// This machine's own sources: which ones are found, how commands are read, and how their failures are told.

import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ErrorCode } from '../../src/errors.js';
import { type CommandExit, explainCommandExit } from '../../src/sources/command-source.js';
import type { InputFile } from '../../src/sources/input-file.js';
import { discoverLiveInputs, readBootTime } from '../../src/sources/live.js';
import { readLines } from '../../src/sources/read-input.js';
import { skipUnlessCi } from '../helpers/skip.js';

let root: string;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'oomsleuth-live-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A folder of fake executables for `searchPath`. */
async function binDir(name: string, executables: string[]): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const executable of executables) {
    const file = path.join(dir, executable);
    await writeFile(file, '#!/bin/sh\nexit 0\n');
    await chmod(file, 0o755);
  }
  return dir;
}

function commandInput(file: string, args: string[]): InputFile {
  const display = [file, ...args].join(' ');
  return {
    path: display,
    displayPath: display,
    compressed: null,
    sizeBytes: 0,
    mtimeMs: Date.now(),
    rotation: null,
    command: { file, args },
  };
}

async function readCommand(input: InputFile): Promise<{ texts: string[]; problems: [ErrorCode, string][] }> {
  const texts: string[] = [];
  const problems: [ErrorCode, string][] = [];
  for await (const batch of readLines(input, 0, {
    problem: (code, message) => problems.push([code, message]),
  })) {
    for (const line of batch) texts.push(line.text);
  }
  return { texts, problems };
}

describe('discoverLiveInputs', () => {
  test('finds the syslog files with their rotated sets, then the journal and dmesg commands', async () => {
    const logDir = path.join(root, 'var-log');
    await mkdir(logDir);
    await writeFile(path.join(logDir, 'syslog'), 'live\n');
    await writeFile(path.join(logDir, 'syslog.1'), 'one\n');
    await writeFile(path.join(logDir, 'syslog.2.gz'), gzipSync('two\n'));
    await writeFile(path.join(logDir, 'kern.log'), 'k\n');
    await writeFile(path.join(logDir, 'auth.log'), 'not a kernel log\n');
    await writeFile(path.join(logDir, 'dpkg.log'), 'no\n');
    const searchPath = await binDir('bin-both', ['journalctl', 'dmesg']);
    const { inputs, problems } = await discoverLiveInputs({ logDir, searchPath, identifiers: ['anqicms'] });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      inputs.map((input) => input.displayPath),
      [
        path.join(logDir, 'kern.log'),
        path.join(logDir, 'syslog.2.gz'),
        path.join(logDir, 'syslog.1'),
        path.join(logDir, 'syslog'),
        'journalctl -o json --no-pager _TRANSPORT=kernel + SYSLOG_IDENTIFIER=systemd SYSLOG_IDENTIFIER=systemd-oomd SYSLOG_IDENTIFIER=earlyoom SYSLOG_IDENTIFIER=anqicms',
        'dmesg -r',
      ],
    );
    assert.deepEqual(inputs[4]?.command?.file, 'journalctl');
    assert.deepEqual(inputs[5]?.command, { file: 'dmesg', args: ['-r'] });
    assert.deepEqual(inputs[1]?.rotation, { base: `${logDir}/syslog`, index: 2 });
  });

  test('each missing source is a problem with the reason and the fix', async () => {
    const logDir = path.join(root, 'no-syslog');
    await mkdir(logDir);
    const searchPath = await binDir('bin-none', []);
    const { inputs, problems } = await discoverLiveInputs({ logDir, searchPath });
    assert.deepEqual(inputs, []);
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.message]),
      [
        [
          'OOMS_E_SOURCE_NOT_FOUND',
          `no syslog, messages or kern.log in ${logDir} — no syslog daemon writes files here (the journal is read instead); install rsyslog to keep kernel messages on disk across reboots`,
        ],
        [
          'OOMS_E_SOURCE_COMMAND_FAILED',
          'journalctl: not installed — this machine has no systemd journal tools; the kernel log is read through dmesg and /var/log',
        ],
        [
          'OOMS_E_SOURCE_COMMAND_FAILED',
          'dmesg: not installed — install util-linux (or busybox) for dmesg, or pass a saved kernel log as PATH',
        ],
      ],
    );
  });
});

describe('command sources', () => {
  test('stream stdout through the splitter, no shell involved', async () => {
    const input = commandInput(process.execPath, [
      '-e',
      'process.stdout.write("<3>[  127.553604] Killed process 1 (a $HOME)\\r\\nlast")',
    ]);
    assert.deepEqual(await readCommand(input), {
      texts: ['<3>[  127.553604] Killed process 1 (a $HOME)', 'last'],
      problems: [],
    });
  });

  test('a command that is not installed is a problem, not an exception', async () => {
    const input = commandInput('oomsleuth-no-such-command', ['-x']);
    assert.deepEqual(await readCommand(input), {
      texts: [],
      problems: [
        [
          'OOMS_E_SOURCE_COMMAND_FAILED',
          'oomsleuth-no-such-command: not installed — install oomsleuth-no-such-command, or pass the logs as PATH',
        ],
      ],
    });
  });

  test('a failing command keeps what it printed and reports its exit code and stderr', async () => {
    const input = commandInput(process.execPath, [
      '-e',
      'console.log("partial"); console.error("boom: disk on fire"); process.exit(3)',
    ]);
    const { texts, problems } = await readCommand(input);
    assert.deepEqual(texts, ['partial']);
    assert.deepEqual(problems, [
      [
        'OOMS_E_SOURCE_COMMAND_FAILED',
        `${input.displayPath} failed with exit code 3: boom: disk on fire — run it by hand to see why, or pass the logs as PATH`,
      ],
    ]);
  });

  test('a command that prints nothing is empty', async () => {
    const { problems } = await readCommand(commandInput(process.execPath, ['-e', '']));
    assert.deepEqual(
      problems.map(([code]) => code),
      ['OOMS_E_SOURCE_EMPTY'],
    );
  });
});

describe('explainCommandExit', () => {
  const journal = { file: 'journalctl', args: ['-o', 'json'] };
  const dmesg = { file: 'dmesg', args: ['-r'] };
  const exit = (over: Partial<CommandExit>): CommandExit => ({
    code: 0,
    signal: null,
    spawnError: null,
    stderr: '',
    ...over,
  });
  const cases: [string, { file: string; args: string[] }, CommandExit, string | null][] = [
    ['a clean exit', journal, exit({}), null],
    [
      'no journal files',
      journal,
      exit({ stderr: 'No journal files were found.\n' }),
      'journalctl: No journal files were found. — the journal is empty or kept only in memory; set Storage=persistent in /etc/systemd/journald.conf to keep it, or pass the log files as PATH',
    ],
    [
      'a user outside the journal groups',
      journal,
      exit({
        stderr:
          "Hint: You are currently not seeing messages from other users and the system.\n      Users in groups 'adm', 'systemd-journal' can see all messages.\n",
      }),
      'journalctl: only your own messages are visible — run as root or add your user to the systemd-journal or adm group',
    ],
    [
      'dmesg_restrict',
      dmesg,
      exit({ code: 1, stderr: 'dmesg: read kernel buffer failed: Operation not permitted\n' }),
      'dmesg: read kernel buffer failed: Operation not permitted — run as root or set kernel.dmesg_restrict=0',
    ],
    [
      'not installed',
      journal,
      exit({
        code: null,
        spawnError: Object.assign(new Error('spawn journalctl ENOENT'), { code: 'ENOENT' }),
      }),
      'journalctl: not installed — this machine has no systemd journal tools; the kernel log is read through dmesg and /var/log',
    ],
    [
      'killed by a signal',
      dmesg,
      exit({ code: null, signal: 'SIGSEGV' }),
      'dmesg -r was killed by SIGSEGV — run it by hand to see why, or pass the logs as PATH',
    ],
  ];
  for (const [name, command, how, expected] of cases) {
    test(name, () =>
      assert.equal(explainCommandExit([command.file, ...command.args].join(' '), command, how), expected),
    );
  }
});

describe('readBootTime', () => {
  test('reads btime from /proc/stat as ms since epoch', async () => {
    const stat = path.join(root, 'stat');
    await writeFile(stat, 'cpu  1 2 3 4\nintr 0\nctxt 42\nbtime 1795740184\nprocesses 7\n');
    assert.equal(await readBootTime(stat), 1_795_740_184_000);
  });

  test('null when the file is missing or has no btime', async () => {
    assert.equal(await readBootTime(path.join(root, 'missing')), null);
    const stat = path.join(root, 'stat-without');
    await writeFile(stat, 'cpu  1 2 3 4\n');
    assert.equal(await readBootTime(stat), null);
  });

  test('this machine’s boot time is in the past, when /proc/stat exists', async (t) => {
    const boot = await readBootTime();
    if (boot === null) {
      skipUnlessCi(t, 'no /proc/stat here');
      return;
    }
    assert.ok(boot < Date.now() && boot > Date.UTC(2000, 0, 1));
  });
});
