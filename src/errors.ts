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
  OOMS_E_SOURCE_MALFORMED_LINES: 'lines of a journal JSON export are not JSON entries; they were skipped',
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
  OOMS_E_GUARD_EVIDENCE_UNREADABLE:
    'the guard could not read something it judges deaths by (kernel log, a cgroup and its counters)',
  OOMS_E_GUARD_CGROUP_LEFT: 'a memory cgroup the guard made could not be removed',
  OOMS_E_GUARD_NOT_RUNNING: 'guard status/stop/restart/logs: no guard runs for that app',
  OOMS_E_GUARD_CONTROL_FAILED:
    'guard status/stop/restart: the guard refused, did not answer, or its key is unreadable',
  OOMS_E_STORE_UNWRITABLE: 'the store (--db) cannot be created, opened or written when watch starts',
  OOMS_E_WATCH_ALREADY_RUNNING: 'another oomsleuth watch is using the same store (--db)',
  OOMS_E_STORE_NOT_FOUND: 'the store (--db) does not exist or cannot be read',
  OOMS_E_STORE_NEWER: 'the store was written with a schema this oomsleuth does not know',
  OOMS_E_STORE_WRITE_FAILED:
    'a write to the store failed while watch ran (disk full, I/O error); it is retried',
  OOMS_E_STORE_NO_SUCH_INCIDENT: 'incidents show: no stored incident has that id',
  OOMS_E_REPORT_UNWRITABLE: 'the --html report file cannot be written',
  OOMS_E_SERVE_LISTEN: 'serve cannot listen on its address (port in use, no such address)',
  OOMS_E_STORE_SQLITE_UNAVAILABLE:
    'the SQLite module (better-sqlite3) is not installed or cannot be loaded; only analyze works without it',
  OOMS_E_WATCH_METRICS_LISTEN: 'the --metrics address cannot be listened on (port in use, no such address)',
  OOMS_E_WATCH_SOURCE_FALLBACK: 'a kernel log cannot be read, so watch follows the next one',
  OOMS_E_WATCH_SOURCE_LOST:
    'a followed source disappeared, failed, was truncated or lost records; watch keeps following',
  OOMS_E_ALERT_DELIVERY_FAILED: 'an alert could not be delivered; it is retried with backoff',
  OOMS_E_DRILL_REFUSED:
    'drill cannot run here: not root, no memory controller, no readable kernel log, or vm.panic_on_oom=2',
  OOMS_E_DRILL_CGROUP_LEFT: "the drill's memory cgroup could not be removed",
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

/**
 * A problem as `sources[].problems` lists it and stderr prints it: the message, then its code in brackets, as every
 * usage problem ends (`… [OOMS_E_USAGE]`), so a script can tell problems apart without parsing prose.
 */
export function problemLine(code: ErrorCode, message: string): string {
  return `${message} [${code}]`;
}
