// Tests that drop root to `nobody` (to meet a real EACCES, a real unwritable folder) must run code nobody can read.
// A clone in a 0700 folder — `mktemp -d`, a home directory — is not readable by nobody, nor is its node_modules. So
// such a test runs a copy of the built CLI made here: dist/, package.json (it says the code is ESM) and the packages
// the analyze and guard commands load, in a temporary folder every user can read and enter.
import { chmod, cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The packages `analyze` and `guard` import (see `grep -h "from '" dist -r`); none has dependencies of its own. The
 * store (better-sqlite3) and metrics (prom-client) belong to watch, which no such test runs.
 */
const RUNTIME_PACKAGES = ['commander', 'luxon', 'picocolors'] as const;

export interface BuiltCopy {
  /** The copy's folder (mode 0755, in the temporary folder). */
  readonly root: string;
  /** `<root>/dist/cli/main.js`: run it with `node` as any user. */
  readonly cli: string;
  /** Where each fixture given to the copy was put, by its file name. */
  readonly fixtures: Readonly<Record<string, string>>;
  cleanup(): Promise<void>;
}

/**
 * Copies the built CLI (build it first: npx tsc -p tsconfig.build.json) and the given fixture files to a fresh
 * temporary folder that any user can read. A fixture is copied into the copy's root, so it imports the built code as
 * `./dist/…`.
 */
export async function builtCopyForOtherUsers(fixtures: readonly string[] = []): Promise<BuiltCopy> {
  const root = await mkdtemp(join(tmpdir(), 'oomsleuth-for-nobody-'));
  try {
    // mkdtemp makes it 0700: let every user in. Copied files keep their modes (0644, 0755).
    await chmod(root, 0o755);
    await cp(join(REPO, 'dist'), join(root, 'dist'), { recursive: true });
    await cp(join(REPO, 'package.json'), join(root, 'package.json'));
    for (const name of RUNTIME_PACKAGES) {
      // `node_modules` may be a link to a shared install: copy what it points at, never a link nobody can follow.
      await cp(join(REPO, 'node_modules', name), join(root, 'node_modules', name), {
        recursive: true,
        dereference: true,
      });
    }
    await openFolders(root);
    const placed: Record<string, string> = {};
    for (const fixture of fixtures) {
      const target = join(root, basename(fixture));
      await cp(fixture, target);
      await chmod(target, 0o644);
      placed[basename(fixture)] = target;
    }
    return {
      root,
      cli: join(root, 'dist', 'cli', 'main.js'),
      fixtures: placed,
      cleanup: () => rm(root, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw new Error(
      `cannot copy the built CLI for another user (is dist/ built?): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** Makes every folder under `dir` enterable by every user (a umask of 077 would make the copies 0700). */
async function openFolders(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await openFolders(join(dir, entry.name));
    else if (entry.isFile()) {
      const file = join(dir, entry.name);
      const executable = ((await stat(file)).mode & 0o100) !== 0;
      await chmod(file, executable ? 0o755 : 0o644);
    }
  }
}
