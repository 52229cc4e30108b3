// What the sources hand to the rest of the pipeline before any line is read: one descriptor per input
// (file, stdin, pipe or command) and the problems met while finding them.

import type { ErrorCode } from '../errors.js';

/** A command used as a source, spawned without a shell (its stdout is the log). */
export interface CommandSpec {
  readonly file: string;
  readonly args: readonly string[];
}

/** One input to read. Only `path`, `displayPath` and the flags decide how it is opened. */
export interface InputFile {
  /** Absolute path for files; `-` for stdin; the command line for commands. */
  readonly path: string;
  /** The name shown to the user and used as `sources[].path`: as typed, or relative to a given folder's parent. */
  readonly displayPath: string;
  /** Seen by magic bytes (1f 8b) at discovery, never by name. Stdin, pipes and commands say null here and are sniffed when read. */
  readonly compressed: 'gzip' | null;
  /** Size on disk (compressed size for gzip); 0 for stdin, pipes and commands. */
  readonly sizeBytes: number;
  /** Modification time, ms since epoch: an upper bound for the newest line (year inference). Discovery time for stdin and commands. */
  readonly mtimeMs: number;
  /**
   * Membership of a rotated set (`syslog`, `syslog.1`, `syslog.2.gz`, `messages-20240721`…): `base` is the live
   * file's display path, `index` its age rank in the set — 0 for the live file, 1 for the newest rotated one, and
   * so on (`dmesg.0` is 1 next to `dmesg`). Null for a file that belongs to no set.
   */
  readonly rotation: { readonly base: string; readonly index: number } | null;
  /** The folder given as PATH (as typed) that this file was found in by walking it; absent for a file named. */
  readonly folder?: string;
  /** Standard input (`-`): read once. */
  readonly stdin?: true;
  /** A FIFO or character device given by path (`<(zcat …)`): read once, like stdin. */
  readonly pipe?: true;
  /** The kernel's ring buffer device (/dev/kmsg): read once, to the last record there, never waiting for more. */
  readonly kmsg?: true;
  /** A command whose stdout is the input (live sources: journalctl, dmesg): spawned once, like stdin. */
  readonly command?: CommandSpec;
}

/** A problem met while finding or reading an input; `message` says what, where and the fix. */
export interface InputProblem {
  readonly displayPath: string;
  readonly code: ErrorCode;
  readonly message: string;
}

/** What discovery returns: the inputs in reading order (each rotated set oldest first) and every problem. */
export interface Discovery {
  readonly inputs: InputFile[];
  readonly problems: InputProblem[];
}

/** Carries read-time problems of one input to the caller (who knows which source they belong to). */
export interface Reporter {
  problem(code: ErrorCode, message: string): void;
}

/** True for inputs that cannot be opened twice: what a head read takes is kept and replayed to the full read. */
export function isReadOnce(input: InputFile): boolean {
  return input.stdin === true || input.pipe === true || input.command !== undefined;
}
