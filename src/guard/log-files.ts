// The files the guard writes are evidence (how and when the app died): no other user may write them, whatever the
// umask. Created 0640 (read by the owner's group, which is the app's with --user/--group); an existing one that others
// may write loses those write bits — its read bits are kept, so whoever reads it today still can. Never widened.
import { chmod, open } from 'node:fs/promises';
import { OomsleuthError } from '../errors.js';

/** The mode of every file the guard creates (less whatever the umask takes away). */
export const LOG_FILE_MODE = 0o640;

/**
 * Creates `path` (mode 0640, group `gid` when given) or, when it exists, takes write access away from its group and
 * others. Returns what was changed on an existing file, for the record, or null.
 */
export async function prepareLogFile(flag: string, path: string, gid: number | null): Promise<string | null> {
  try {
    const created = await open(path, 'wx', LOG_FILE_MODE).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return null;
      throw error;
    });
    if (created !== null) {
      try {
        if (gid !== null) await created.chown(process.getuid?.() ?? 0, gid);
      } finally {
        await created.close();
      }
      return null;
    }
    const existing = await open(path, 'a');
    let mode: number;
    let regular: boolean;
    try {
      const info = await existing.stat();
      mode = info.mode & 0o7777;
      regular = info.isFile();
    } finally {
      await existing.close();
    }
    // `--app-log /dev/null` (output thrown away), a FIFO to a logger: not a file of ours, and /dev/null must stay 0666.
    if (!regular || (mode & 0o022) === 0) return null;
    const tightened = mode & ~0o022;
    await chmod(path, tightened);
    return `${flag} ${path} was writable by ${mode & 0o002 ? 'every user' : 'its group'} (mode ${octal(mode)}): now ${octal(tightened)}, so no one but the guard can add lines to it`;
  } catch (error) {
    throw new OomsleuthError(
      'OOMS_E_GUARD_LOG_UNWRITABLE',
      `guard cannot start: ${flag} ${path} cannot be created or opened: ${(error as Error).message} — free disk space, fix its directory, or choose another path`,
      { cause: error },
    );
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
