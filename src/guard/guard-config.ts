// The guard's options, validated once at the edge: every problem with the flags, the command, the working directory
// and the log files is collected and reported together (exit 2), then the result is frozen. Checked by hand, like
// src/config.ts: a schema library would cost start-up time and memory on a machine that may be short of both.
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { type ErrorCode, OomsleuthError } from '../errors.js';
import { parseDuration } from '../options/duration.js';
import { parseSize } from '../options/size.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { memcgProblem } from './memcg.js';

export interface GuardConfig {
  /** Absolute path of the program (resolved like execvp: a bare name is looked up in PATH). */
  readonly command: string;
  readonly args: readonly string[];
  /** The command as the user gave it, with its arguments (for the record). */
  readonly commandLine: readonly string[];
  readonly name: string;
  readonly cwd: string;
  readonly checkLog: string;
  readonly appLog: string;
  readonly incidents: string | null;
  readonly pidFile: string;
  readonly memoryLimitBytes: number | null;
  readonly checkIntervalMs: number;
  readonly sampleIntervalMs: number;
  readonly sampleWindowMs: number;
  readonly stopTimeoutMs: number;
  readonly stableAfterMs: number;
  readonly maxRestarts: number | null;
  readonly once: boolean;
  readonly daemon: boolean;
}

export interface GuardProblem {
  readonly code: ErrorCode;
  readonly message: string;
}

const MIB = 1024 * 1024;
const NAME = /^[\w.@+-]+$/;

/** Paths are read relative to `baseDir` (the directory the guard was started in). */
export async function loadGuardConfig(
  commandLine: readonly string[],
  flags: Record<string, unknown>,
  baseDir: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<GuardConfig> {
  const problems: GuardProblem[] = [];
  const usage = (message: string) => problems.push({ code: 'OOMS_E_USAGE', message });
  const text = (key: string): string | undefined =>
    typeof flags[key] === 'string' ? (flags[key] as string) : undefined;

  const duration = (key: string, flag: string, fallbackMs: number, minMs: number): number => {
    const value = text(key);
    if (value === undefined) return fallbackMs;
    const ms = parseDuration(value);
    if (ms === null) {
      usage(
        `${flag} ${JSON.stringify(value)} is not a duration: use a number with a unit, e.g. 200ms, 5s, 1m, 1h`,
      );
      return fallbackMs;
    }
    if (ms < minMs) {
      usage(`${flag} ${value} is too short: at least ${minMs >= 1000 ? `${minMs / 1000}s` : `${minMs}ms`}`);
      return fallbackMs;
    }
    return ms;
  };

  // ---- the command -------------------------------------------------------------------------------------------------
  const [given = '', ...args] = commandLine;
  let command = given;
  if (given === '') {
    usage('COMMAND is missing: oomsleuth guard [options] -- COMMAND [ARG ...]');
  } else {
    const found = await resolveCommand(given, baseDir, env.PATH ?? '');
    if (found.path === null)
      problems.push({ code: 'OOMS_E_GUARD_COMMAND_NOT_FOUND', message: found.problem });
    else command = found.path;
  }

  const name = text('name') ?? (given === '' ? '' : basename(given));
  if (text('name') !== undefined && !NAME.test(name)) {
    usage(
      `--name ${JSON.stringify(name)} must be one word of letters, digits, . _ - @ + (it starts every check.log line)`,
    );
  }

  // ---- the working directory ---------------------------------------------------------------------------------------
  const cwdGiven = text('cwd');
  let cwd = cwdGiven === undefined ? dirname(command) : resolve(baseDir, cwdGiven);
  if (cwdGiven !== undefined || given !== '') {
    const dirProblem = await directoryProblem(cwd);
    if (dirProblem !== null) {
      problems.push({
        code: 'OOMS_E_GUARD_CWD_MISSING',
        message: `working directory ${cwd} ${dirProblem}${cwdGiven === undefined ? ' (the default is the command’s directory; pass --cwd DIR)' : ' — create it or correct --cwd'}`,
      });
    } else {
      cwd = await realpath(cwd).catch(() => cwd);
    }
  }

  // ---- files ----------------------------------------------------------------------------------------------------------
  const file = (key: string, fallback: string | null): string | null => {
    const value = text(key);
    if (value === '') {
      usage(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs a file name`);
      return fallback === null ? null : resolve(baseDir, fallback);
    }
    const chosen = value ?? fallback;
    return chosen === null ? null : resolve(baseDir, chosen);
  };
  const checkLog = file('checkLog', 'check.log') as string;
  const appLog = file('appLog', 'running.log') as string;
  const incidents = file('incidents', null);
  const pidFile = file('pidFile', join(dirname(checkLog), `${name || 'app'}.guard.pid`)) as string;
  for (const [flag, path] of [
    ['--check-log', checkLog],
    ['--app-log', appLog],
    ['--incidents', incidents],
    ['--pid-file', pidFile],
  ] as const) {
    if (path === null) continue;
    const why = await unwritable(path);
    if (why !== null) {
      problems.push({
        code: 'OOMS_E_GUARD_LOG_UNWRITABLE',
        message: `${flag} ${path}: ${why} — create the directory, fix its permissions, or choose another path`,
      });
    }
  }

  // ---- sizes, durations, counts -----------------------------------------------------------------------------------------
  let memoryLimitBytes: number | null = null;
  const limitText = text('memoryLimit');
  if (limitText !== undefined) {
    const bytes = parseSize(limitText);
    if (bytes === null)
      usage(`--memory-limit ${JSON.stringify(limitText)} is not a size: e.g. 512M, 2G, 1.5G`);
    else if (bytes < 4 * MIB)
      usage(`--memory-limit ${limitText} is too small: at least 4M, or the app cannot start`);
    else memoryLimitBytes = bytes;
    if (bytes !== null) {
      const why = await memcgProblem();
      if (why !== null) {
        problems.push({
          code: 'OOMS_E_GUARD_CGROUP_UNAVAILABLE',
          message: `--memory-limit ${limitText} cannot be applied: ${why} (refused rather than ignored: drop --memory-limit to run without it)`,
        });
      }
    }
  }
  const checkIntervalMs = duration('checkInterval', '--check-interval', 60_000, 1000);
  const sampleIntervalMs = duration('sampleInterval', '--sample-interval', 5000, 50);
  const sampleWindowMs = duration('sampleWindow', '--sample-window', 3_600_000, 1000);
  if (sampleWindowMs / sampleIntervalMs > 100_000) {
    usage('--sample-window / --sample-interval would keep more than 100000 samples: lengthen the interval');
  }
  const stopTimeoutMs = duration('stopTimeout', '--stop-timeout', 10_000, 0);
  const stableAfterMs = duration('stableAfter', '--stable-after', DEFAULT_BACKOFF.stableAfterMs, 100);

  let maxRestarts: number | null = null;
  const maxText = text('maxRestarts');
  if (maxText !== undefined) {
    if (!/^\d{1,9}$/.test(maxText))
      usage(`--max-restarts ${JSON.stringify(maxText)} must be a whole number ≥ 0`);
    else maxRestarts = Number(maxText);
  }
  const once = flags.once === true;
  const daemon = flags.daemon === true;
  if (once && daemon)
    usage('--once and --daemon do not go together: --once waits for the child and exits with its status');
  if (once && maxText !== undefined)
    usage('--once and --max-restarts do not go together: --once never restarts');

  if (problems.length > 0) throw guardProblemsError(problems);
  return Object.freeze({
    command,
    args: Object.freeze([...args]),
    commandLine: Object.freeze([...commandLine]),
    name,
    cwd,
    checkLog,
    appLog,
    incidents,
    pidFile,
    memoryLimitBytes,
    checkIntervalMs,
    sampleIntervalMs,
    sampleWindowMs,
    stopTimeoutMs,
    stableAfterMs,
    maxRestarts,
    once,
    daemon,
  });
}

/** One error listing every problem, flag problems first; its code is the first problem's. */
export function guardProblemsError(unsorted: readonly GuardProblem[]): OomsleuthError {
  const problems = [...unsorted].sort(
    (a, b) => Number(b.code === 'OOMS_E_USAGE') - Number(a.code === 'OOMS_E_USAGE'),
  );
  const first = problems[0]!;
  if (problems.length === 1) return new OomsleuthError(first.code, `guard: ${first.message} [${first.code}]`);
  return new OomsleuthError(
    first.code,
    `guard cannot start:\n${problems.map((p) => `  - ${p.message} [${p.code}]`).join('\n')}`,
  );
}

/** Resolves COMMAND as execvp would: with a slash, from `baseDir`; without, through PATH. Checks it can be run. */
export async function resolveCommand(
  command: string,
  baseDir: string,
  pathVariable: string,
): Promise<{ path: string; problem: null } | { path: null; problem: string }> {
  if (command.includes('/')) {
    const path = isAbsolute(command) ? command : resolve(baseDir, command);
    const why = await notExecutable(path);
    return why === null ? { path, problem: null } : { path: null, problem: `COMMAND ${command}: ${why}` };
  }
  for (const dir of pathVariable.split(delimiter)) {
    if (dir === '') continue;
    const path = resolve(baseDir, dir, command);
    if ((await notExecutable(path)) === null) return { path, problem: null };
  }
  return {
    path: null,
    problem: `COMMAND ${command}: not found in PATH — give its path (./${command} or /full/path/${command})`,
  };
}

async function notExecutable(path: string): Promise<string | null> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${path} does not exist — check the path`;
    if (code === 'EACCES') return `${path} cannot be reached (permission denied on a directory on its way)`;
    return `${path}: ${code}`;
  }
  if (!info.isFile()) return `${path} is not a file`;
  try {
    await access(path, constants.X_OK);
    return null;
  } catch {
    return `${path} is not executable — chmod +x ${path}`;
  }
}

async function directoryProblem(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? null : 'is not a directory';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read`;
  }
}

/** Why `path` cannot be appended to (or created), or null. */
async function unwritable(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'is a directory';
    await access(path, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return 'cannot be reached or written (permission denied)';
    if (code !== 'ENOENT') return code ?? 'cannot be written';
  }
  const dir = dirname(path);
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) return `${dir} is not a directory`;
    await access(dir, constants.W_OK | constants.X_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `directory ${dir} does not exist` : `directory ${dir} is not writable`;
  }
}
