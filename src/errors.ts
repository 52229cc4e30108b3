// One registry of error codes. Each message says what went wrong, where, and how to fix it.
// Retired codes are never reused. docs/errors.md lists every code (a test keeps the two in step).

export const ERROR_CODES = {
  OOMS_E_USAGE: 'bad command-line usage',
  OOMS_E_SOURCE_NOT_FOUND: 'an input path does not exist',
  OOMS_E_SOURCE_UNREADABLE: 'an input cannot be read (permission or I/O)',
  OOMS_E_SOURCE_GZIP_TRUNCATED: 'a gzip file ends early or is corrupt; lines read before the damage are kept',
  OOMS_E_SOURCE_EMPTY: 'an input file is empty',
  OOMS_E_SOURCE_UNKNOWN_FORMAT: 'no known log format was recognised in a file',
  OOMS_E_SOURCE_BINARY: 'a file looks binary (NUL bytes); its recognisable lines are still read',
  OOMS_E_SOURCE_LINE_TOO_LONG: 'lines longer than the cap were cut',
  OOMS_E_SOURCE_COMMAND_FAILED: 'a command used as a source (journalctl, dmesg) failed or is missing',
  OOMS_E_SOURCE_COMPRESSION_UNSUPPORTED:
    'a file is compressed with something other than gzip (xz, bzip2, zstd, lz4)',
  OOMS_E_DIR_NOTHING_FOUND: 'a directory holds no recognisable log',
  OOMS_E_NO_INPUT: 'no readable input at all',
  OOMS_E_CLOCK_NO_BOOT_TIME: 'boot-relative stamps could not be placed in wall-clock time',
  OOMS_E_GUARD_COMMAND_NOT_FOUND: 'the command given to guard does not exist or is not executable',
  OOMS_E_GUARD_CWD_MISSING: "the child's working directory does not exist or is not a directory",
  OOMS_E_GUARD_LOG_UNWRITABLE:
    'a file the guard writes (check.log, app log, incidents, pid file) cannot be written',
  OOMS_E_GUARD_CGROUP_UNAVAILABLE: '--memory-limit was given but no memory cgroup can be made here',
  OOMS_E_GUARD_ALREADY_RUNNING: 'guard --once found the app already running outside the guard',
  OOMS_E_GUARD_GAVE_UP: 'the child kept dying young and --max-restarts was reached',
  OOMS_E_GUARD_DAEMON_FAILED: 'guard --daemon could not start its background process',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error the user can act on: `message` is complete (what, where, fix); `code` is stable for scripts. */
export class OomsleuthError extends Error {
  override readonly name = 'OomsleuthError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
