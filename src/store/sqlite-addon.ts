// better-sqlite3's native addon for the single executable: embedded as an asset (a process can only load a shared
// object from a file), written once to a cache folder under a name made of its content hash, then dlopen()ed and
// handed to better-sqlite3 as its `nativeBinding`. Installed from npm there is nothing to do: better-sqlite3 finds
// its own build in node_modules.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedAsset } from '../embedded.js';
import { OomsleuthError } from '../errors.js';

/** The asset's name in the executable (scripts/build-dist.ts embeds it under this name). */
export const SQLITE_ADDON_ASSET = 'better_sqlite3.node';

let loaded: Promise<object> | null = null;

/** The addon to pass as better-sqlite3's `nativeBinding`, or undefined when not running as the single executable. */
export function sqliteAddon(env: NodeJS.ProcessEnv = process.env): Promise<object> | undefined {
  const bytes = embeddedAsset(SQLITE_ADDON_ASSET);
  if (bytes === null) return undefined;
  loaded ??= extractAndLoad(bytes, env);
  return loaded;
}

async function extractAndLoad(bytes: Buffer, env: NodeJS.ProcessEnv): Promise<object> {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const dir = await cacheDir(env);
  const file = join(dir, `better_sqlite3-${hash}.node`);
  try {
    // A copy already there is used only if it is byte for byte the embedded one: the folder may be shared (/tmp).
    const existing = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (existing === null || !existing.equals(bytes)) {
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, bytes, { mode: 0o600 });
      // Renamed into place: another oomsleuth starting at the same moment never loads a half-written file.
      await rename(partial, file).catch(async (error: unknown) => {
        await rm(partial, { force: true });
        throw error;
      });
    }
    const module = { exports: {} as object };
    process.dlopen(module, file);
    return module.exports;
  } catch (error) {
    throw new OomsleuthError(
      'OOMS_E_STORE_SQLITE_UNAVAILABLE',
      `cannot load SQLite from ${file}: ${(error as Error).message} — the executable writes its SQLite module there ` +
        'once; set XDG_CACHE_HOME to a writable folder on a file system not mounted noexec',
      { cause: error },
    );
  }
}

/** $XDG_CACHE_HOME/oomsleuth, ~/.cache/oomsleuth, else a folder of this user's own in the temp folder. */
async function cacheDir(env: NodeJS.ProcessEnv): Promise<string> {
  const home = env.HOME || homedirOrNull();
  const base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : null);
  if (base !== null) {
    const dir = join(base, 'oomsleuth');
    const made = await mkdir(dir, { recursive: true, mode: 0o700 }).then(
      () => true,
      () => false,
    );
    if (made) return dir;
  }
  // A shared temp folder: the folder must be ours and closed to others, or someone could plant the library we load.
  const uid = process.getuid?.() ?? 0;
  const dir = join(tmpdir(), `oomsleuth-${uid}`);
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(dir);
  if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o077) !== 0) {
    throw new OomsleuthError(
      'OOMS_E_STORE_SQLITE_UNAVAILABLE',
      `${dir} is not a folder of this user's closed to others (it is where the executable writes its SQLite module) — remove it, or set XDG_CACHE_HOME`,
    );
  }
  return dir;
}

function homedirOrNull(): string | null {
  try {
    return homedir();
  } catch {
    // No home directory for this user (a system account): the temp folder is used.
    return null;
  }
}
