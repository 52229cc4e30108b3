// This machine's own sources, used when no PATH is given: the journal, the kernel ring buffer (dmesg) and the
// syslog files in /var/log with their rotated sets. Each one that is missing becomes a problem with the fix.

import { constants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { explainCommandExit } from './command-source.js';
import { discoverInputs } from './discover.js';
import { describeFsError } from './fs-problem.js';
import type { CommandSpec, Discovery, InputFile, InputProblem } from './input-file.js';
import { parseRotationName } from './rotation.js';

/** The syslog files that carry kernel and systemd lines (Debian: syslog, kern.log; RHEL: messages). */
const SYSLOG_BASES = new Set(['syslog', 'messages', 'kern.log']);

/** Journal identifiers that report deaths besides the kernel: systemd units, systemd-oomd, earlyoom. */
const JOURNAL_IDENTIFIERS = ['systemd', 'systemd-oomd', 'earlyoom'];

export interface LiveOptions {
  /** More journal SYSLOG_IDENTIFIERs to read: the app's own name when systemd runs it. */
  readonly identifiers?: readonly string[];
  /** Folder of the syslog files (default /var/log). */
  readonly logDir?: string;
  /** Where to look for journalctl and dmesg (default $PATH). */
  readonly searchPath?: string;
}

/**
 * The live sources, in this order: the syslog files (each rotated set oldest first), the journal, the kernel ring
 * buffer. Commands are InputFiles with a `command` (spawned when read, no shell); their failures are found then.
 */
export async function discoverLiveInputs(options: LiveOptions = {}): Promise<Discovery> {
  const logDir = options.logDir ?? '/var/log';
  const searchPath = options.searchPath ?? process.env.PATH ?? '/usr/bin:/bin';
  const inputs: InputFile[] = [];
  const problems: InputProblem[] = [];

  const files = await discoverSyslogFiles(logDir);
  inputs.push(...files.inputs);
  problems.push(...files.problems);

  const identifiers = [...JOURNAL_IDENTIFIERS, ...(options.identifiers ?? [])];
  // `-k` would imply `-b` (this boot only); the match keeps the kernel lines of earlier boots too. `+` is OR.
  const journal: CommandSpec = {
    file: 'journalctl',
    args: [
      '-o',
      'json',
      '--no-pager',
      '_TRANSPORT=kernel',
      '+',
      ...identifiers.map((id) => `SYSLOG_IDENTIFIER=${id}`),
    ],
  };
  // -r keeps the <priority> prefix; the stamps are seconds since boot (mapped through readBootTime).
  const dmesg: CommandSpec = { file: 'dmesg', args: ['-r'] };

  for (const command of [journal, dmesg]) {
    const display = [command.file, ...command.args].join(' ');
    if (await findExecutable(command.file, searchPath)) {
      inputs.push({
        path: display,
        displayPath: display,
        compressed: null,
        sizeBytes: 0,
        mtimeMs: Date.now(),
        rotation: null,
        command,
      });
    } else {
      const missing = Object.assign(new Error(`spawn ${command.file} ENOENT`), { code: 'ENOENT' });
      const message = explainCommandExit(display, command, {
        code: null,
        signal: null,
        spawnError: missing,
        stderr: '',
      }) as string;
      problems.push({ displayPath: display, code: 'OOMS_E_SOURCE_COMMAND_FAILED', message });
    }
  }
  return { inputs, problems };
}

/** The syslog files of `logDir` and their rotated sets, as discovery sees them (absolute display paths). */
async function discoverSyslogFiles(logDir: string): Promise<Discovery> {
  let names: string[];
  try {
    names = await readdir(logDir);
  } catch (error) {
    return { inputs: [], problems: [describeFsError(logDir, error)] };
  }
  const wanted = names.filter((name) => SYSLOG_BASES.has(parseRotationName(name).base)).sort();
  if (wanted.length === 0) {
    return {
      inputs: [],
      problems: [
        {
          displayPath: logDir,
          code: 'OOMS_E_SOURCE_NOT_FOUND',
          message: `no syslog, messages or kern.log in ${logDir} — no syslog daemon writes files here (the journal is read instead); install rsyslog to keep kernel messages on disk across reboots`,
        },
      ],
    };
  }
  return discoverInputs(wanted.map((name) => path.join(logDir, name)));
}

/** True when `name` is an executable file in one of the `searchPath` folders. */
async function findExecutable(name: string, searchPath: string): Promise<boolean> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    try {
      await access(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder (or not executable there): the next folder is tried, and a command found in none is
      // reported as OOMS_E_SOURCE_COMMAND_FAILED (not installed)
    }
  }
  return false;
}

const BOOT_TIME_LINE = /^btime\s+(?<seconds>\d+)\s*$/m;

/** The machine's boot time (ms since epoch) from `btime` in /proc/stat, or null when it cannot be read. */
export async function readBootTime(statFile = '/proc/stat'): Promise<number | null> {
  let text: string;
  try {
    // A few KiB of kernel counters, read once at startup: not a log.
    text = await readFile(statFile, 'utf8');
  } catch {
    // No /proc/stat (no procfs): the boot time is then learned from other lines, or each source with boot-relative
    // stamps gets the problem that it could not be placed (Clock).
    return null;
  }
  if (!text.includes('btime')) return null;
  const seconds = BOOT_TIME_LINE.exec(text)?.groups?.seconds;
  return seconds === undefined ? null : Number(seconds) * 1000;
}
