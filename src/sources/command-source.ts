// A command as a source (journalctl, dmesg): spawned without a shell, stdout streamed, stderr kept (bounded)
// so that a failure can be told to the operator with its reason and the fix.

import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { CommandSpec } from './input-file.js';

/** Stderr kept to explain a failure; the rest is dropped. */
const STDERR_LIMIT_BYTES = 8 * 1024;

/** How a command ended. */
export interface CommandExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the command could not be started (ENOENT: not installed). */
  readonly spawnError: NodeJS.ErrnoException | null;
  /** The first STDERR_LIMIT_BYTES of stderr. */
  readonly stderr: string;
}

/** A running command: its stdout, and a promise of how it ended. */
export interface CommandRun {
  readonly stdout: Readable;
  readonly exit: Promise<CommandExit>;
  /** Stops the command (when the reader stops early); its exit is then not a problem. */
  stop(): void;
}

/** Spawns a command source. Never throws: a command that cannot start ends at once with `spawnError` set. */
export function runCommand(command: CommandSpec): CommandRun {
  // LC_ALL=C keeps the error messages matchable; no pager, no colours.
  const env = { ...process.env, LC_ALL: 'C', SYSTEMD_PAGER: '', SYSTEMD_COLORS: '0', PAGER: 'cat' };
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(command.file, [...command.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    shell: false,
  });
  let stderr = '';
  let stderrBytes = 0;
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderrBytes >= STDERR_LIMIT_BYTES) return;
    const room = STDERR_LIMIT_BYTES - stderrBytes;
    stderr += chunk.subarray(0, room).toString('utf8');
    stderrBytes += Math.min(room, chunk.length);
  });
  let spawnError: NodeJS.ErrnoException | null = null;
  const exit = new Promise<CommandExit>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
      // 'close' does not always follow a failed spawn.
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError, stderr });
    });
    child.once('close', (code, signal) => resolve({ code, signal, spawnError, stderr }));
  });
  return {
    stdout: child.stdout,
    exit,
    stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
        child.kill('SIGTERM');
    },
  };
}

/** Known failures of the live sources: what their stderr says, and what the operator can do about it. */
const KNOWN_FAILURES: readonly { readonly needle: string; readonly explain: (line: string) => string }[] = [
  {
    needle: 'No journal files were found',
    explain: (line) =>
      `journalctl: ${line} — the journal is empty or kept only in memory; set Storage=persistent in /etc/systemd/journald.conf to keep it, or pass the log files as PATH`,
  },
  {
    needle: 'not seeing messages from other users and the system',
    explain: () =>
      'journalctl: only your own messages are visible — run as root or add your user to the systemd-journal or adm group',
  },
  {
    needle: 'read kernel buffer failed',
    explain: (line) => `${line} — run as root or set kernel.dmesg_restrict=0`,
  },
];

/** Explains how a command source ended, or null when it ended well. `display` is the command line shown to the user. */
export function explainCommandExit(display: string, command: CommandSpec, exit: CommandExit): string | null {
  const name = command.file;
  if (exit.spawnError !== null) {
    if (exit.spawnError.code === 'ENOENT') return `${name}: not installed — ${installHint(name)}`;
    if (exit.spawnError.code === 'EACCES') {
      return `${name}: cannot be run (permission denied) — run as root, or pass the logs as PATH`;
    }
    return `${name}: cannot be started (${exit.spawnError.message}) — pass the logs as PATH instead`;
  }
  const lines = exit.stderr.split('\n').map((line) => line.trim());
  for (const failure of KNOWN_FAILURES) {
    const line = lines.find((candidate) => candidate.includes(failure.needle));
    if (line !== undefined) return failure.explain(line);
  }
  const firstLine = lines.find((line) => line !== '') ?? '';
  if (exit.signal !== null) {
    return `${display} was killed by ${exit.signal}${firstLine ? `: ${firstLine}` : ''} — run it by hand to see why, or pass the logs as PATH`;
  }
  if (exit.code !== 0) {
    return `${display} failed with exit code ${exit.code}${firstLine ? `: ${firstLine}` : ''} — run it by hand to see why, or pass the logs as PATH`;
  }
  return null;
}

/** The problem text for a command that printed nothing at all. */
export function describeEmptyCommand(display: string, command: CommandSpec): string {
  if (command.file === 'journalctl') {
    return `${display} printed no entries — the journal holds no kernel, systemd or OOM-daemon records (it may be kept only in memory: Storage=persistent in /etc/systemd/journald.conf keeps it across reboots)`;
  }
  if (command.file === 'dmesg') {
    return `${display} printed nothing — the kernel ring buffer is empty or was cleared (dmesg -c); /var/log/kern.log or the journal may still hold the kernel messages`;
  }
  return `${display} printed nothing — run it by hand to check, or pass the logs as PATH`;
}

function installHint(name: string): string {
  if (name === 'journalctl')
    return 'this machine has no systemd journal tools; the kernel log is read through dmesg and /var/log';
  if (name === 'dmesg')
    return 'install util-linux (or busybox) for dmesg, or pass a saved kernel log as PATH';
  return `install ${name}, or pass the logs as PATH`;
}
