// The guard's options (declared in guard-options.ts), validated once at the edge: every problem with the flags, the
// command, the working directory and the log files is collected and reported together (exit 2), then the result is
// frozen. No schema library: it would cost start-up time and memory on a machine that may be short of both.
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { chooseLanguages, type Language } from '../report/language.js';
import { GUARD_OPTIONS } from './guard-options.js';
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
  /** Warn when memory is forecast to run out within this; 0: never. */
  readonly warnBeforeMs: number;
  readonly stopTimeoutMs: number;
  readonly stableAfterMs: number;
  readonly maxRestarts: number | null;
  readonly once: boolean;
  readonly daemon: boolean;
  /** The operator's language on stderr: --lang, else the locale's. check.log is always English. */
  readonly language: Language;
  /** The language of the `says` in --incidents records: --lang, else English. */
  readonly jsonLanguage: Language;
}

/** Paths are read relative to `baseDir` (the directory the guard was started in). */
export async function loadGuardConfig(
  commandLine: readonly string[],
  flags: Record<string, unknown>,
  baseDir: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<GuardConfig> {
  const problems = new Problems('guard');
  const { values, given } = await validateOptions(GUARD_OPTIONS, flags, problems);

  // ---- the command -------------------------------------------------------------------------------------------------
  const [typed = '', ...args] = commandLine;
  let command = typed;
  if (typed === '') {
    problems.usage('COMMAND is missing: oomsleuth guard [options] -- COMMAND [ARG ...]');
  } else {
    const found = await resolveCommand(typed, baseDir, env.PATH ?? '');
    if (found.path === null) problems.add('OOMS_E_GUARD_COMMAND_NOT_FOUND', found.problem);
    else command = found.path;
  }
  const name = values.name ?? (typed === '' ? '' : basename(typed));

  // ---- the working directory ---------------------------------------------------------------------------------------
  let cwd = values.cwd === undefined ? dirname(command) : resolve(baseDir, values.cwd);
  if (values.cwd !== undefined || typed !== '') {
    const dirProblem = await directoryProblem(cwd);
    if (dirProblem !== null) {
      problems.add(
        'OOMS_E_GUARD_CWD_MISSING',
        `working directory ${cwd} ${dirProblem}${values.cwd === undefined ? ' (the default is the command’s directory; pass --cwd DIR)' : ' — create it or correct --cwd'}`,
      );
    } else {
      // It was just found to be a directory; a realpath failure only keeps the path as given.
      cwd = await realpath(cwd).catch(() => cwd);
    }
  }

  // ---- files ----------------------------------------------------------------------------------------------------------
  const checkLog = resolve(baseDir, values.checkLog);
  const appLog = resolve(baseDir, values.appLog);
  const incidents = values.incidents === undefined ? null : resolve(baseDir, values.incidents);
  const pidFile = resolve(baseDir, values.pidFile ?? join(dirname(checkLog), `${name || 'app'}.guard.pid`));
  for (const [flag, path] of [
    ['--check-log', checkLog],
    ['--app-log', appLog],
    ['--incidents', incidents],
    ['--pid-file', pidFile],
  ] as const) {
    if (path === null) continue;
    const why = await unwritable(path);
    if (why !== null) {
      problems.add(
        'OOMS_E_GUARD_LOG_UNWRITABLE',
        `${flag} ${path}: ${why} — create the directory, fix its permissions, or choose another path`,
      );
    }
  }

  // ---- the memory cgroup and the flags that go together --------------------------------------------------------------
  // Asked for whenever --memory-limit is given, even with a bad size: where no cgroup can be made, that is worth
  // knowing before the size is fixed.
  if (given.has('memoryLimit')) {
    const why = await memcgProblem();
    if (why !== null) {
      problems.add(
        'OOMS_E_GUARD_CGROUP_UNAVAILABLE',
        `--memory-limit ${String(flags.memoryLimit)} cannot be applied: ${why} (refused rather than ignored: drop --memory-limit to run without it)`,
      );
    }
  }
  if (values.sampleWindow / values.sampleInterval > 100_000) {
    problems.usage(
      '--sample-window / --sample-interval would keep more than 100000 samples: lengthen the interval',
    );
  }
  if (values.once && values.daemon) {
    problems.usage(
      '--once and --daemon do not go together: --once waits for the child and exits with its status',
    );
  }
  if (values.once && given.has('maxRestarts')) {
    problems.usage('--once and --max-restarts do not go together: --once never restarts');
  }

  problems.throwIfAny();
  return freezeConfig({
    command,
    args: [...args],
    commandLine: [...commandLine],
    name,
    cwd,
    checkLog,
    appLog,
    incidents,
    pidFile,
    memoryLimitBytes: values.memoryLimit ?? null,
    checkIntervalMs: values.checkInterval,
    sampleIntervalMs: values.sampleInterval,
    sampleWindowMs: values.sampleWindow,
    warnBeforeMs: values.warnBefore,
    stopTimeoutMs: values.stopTimeout,
    stableAfterMs: values.stableAfter,
    maxRestarts: values.maxRestarts ?? null,
    once: values.once,
    daemon: values.daemon,
    ...chooseLanguages(values.lang, env),
  });
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
    // stat() above succeeded, so X_OK failing means no execute permission for us (EACCES).
    return `${path} is not executable — chmod +x ${path}`;
  }
}

async function directoryProblem(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? null : 'is not a directory';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (error as Error).message})`;
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
