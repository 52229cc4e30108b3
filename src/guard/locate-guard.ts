// Which guard `oomsleuth guard status|stop|restart|logs` means: the pid file it keeps next to its check.log
// (`NAME.guard.pid`), found from the app's folder, --name or --pid-file.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Problems } from '../options/problems.js';

const PID_FILE_SUFFIX = '.guard.pid';

export interface GuardTarget {
  readonly pidFile: string;
  /** The app's folder (where a default running.log is looked for). */
  readonly dir: string;
}

/** The pid file meant, or null after adding to `problems` why none could be chosen. */
export async function locateGuard(
  dirArg: string | undefined,
  values: { readonly name?: string | undefined; readonly pidFile?: string | undefined },
  problems: Problems,
  cwd: string = process.cwd(),
): Promise<GuardTarget | null> {
  const dir = resolve(cwd, dirArg ?? '.');
  if (values.pidFile !== undefined) {
    if (dirArg !== undefined || values.name !== undefined) {
      problems.usage('--pid-file names the guard by itself: give it without a folder or --name');
      return null;
    }
    return { pidFile: resolve(cwd, values.pidFile), dir: resolve(cwd, values.pidFile, '..') };
  }
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error || !info.isDirectory()) {
    problems.usage(
      `${dir} is not a folder${info instanceof Error ? ` (${info.code ?? info.message})` : ''}: give the app's folder, where its check.log is`,
    );
    return null;
  }
  if (values.name !== undefined) return { pidFile: join(dir, `${values.name}${PID_FILE_SUFFIX}`), dir };
  const found = (await readdir(dir)).filter((entry) => entry.endsWith(PID_FILE_SUFFIX)).sort();
  if (found.length === 1) return { pidFile: join(dir, found[0]!), dir };
  if (found.length === 0) {
    problems.add(
      'OOMS_E_GUARD_NOT_RUNNING',
      `no guard pid file (NAME${PID_FILE_SUFFIX}) in ${dir}: no guard runs for an app there — give the app's folder (where its check.log is), or --pid-file`,
    );
  } else {
    const names = found.map((f) => f.slice(0, -PID_FILE_SUFFIX.length));
    problems.usage(`${dir} holds the guards of ${names.join(', ')}: say which with --name`);
  }
  return null;
}
