// `npm run dist` (after `npm run build`): the single executable. Bundles src/cli/sea-main.ts and every dependency into
// one CommonJS script (Node 20's single executable applications run CommonJS only), prepares the blob with the Node
// that runs this script, copies that Node binary and injects the blob with postject. Nothing is downloaded: the
// executable is this machine's Node plus our code, so it runs where this Node runs (same OS, CPU and glibc or newer).
// The npm tarball is made by `npm pack` in the same npm script.

import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { inject } from 'postject';
import { VENDORED } from '../src/pictures/chart-assets.js';
import { SQLITE_ADDON_ASSET } from '../src/store/sqlite-addon.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'build', 'sea');
const require = createRequire(import.meta.url);

/** The executable's name: the platform and CPU it runs on (`oomsleuth-linux-x64`). */
export const EXECUTABLE = join(ROOT, 'dist', `oomsleuth-${process.platform}-${process.arch}`);

/**
 * Files embedded in the executable, by the name the code asks for (`embeddedAsset(name)`, src/embedded.ts). Run from
 * npm the same code reads the file from dist/ or node_modules instead. THE HOOK FOR MORE ASSETS: a file the code needs
 * at run time (the HTML report's vendored chart script, say) is added here, under the name its reader uses.
 */
export function seaAssets(): Record<string, string> {
  return {
    // better-sqlite3's addon, built for this Node by npm ci (src/store/sqlite-addon.ts loads it).
    [SQLITE_ADDON_ASSET]: join(
      require.resolve('better-sqlite3/package.json').replace(/package\.json$/, ''),
      'build/Release/better_sqlite3.node',
    ),
    // The chart library inlined into `analyze --html` and `serve` pages (src/pictures/chart-assets.ts).
    [VENDORED.script]: require.resolve(`uplot/dist/${VENDORED.script}`),
    [VENDORED.style]: require.resolve(`uplot/dist/${VENDORED.style}`),
  };
}

/**
 * Builds the executable at `file` (intermediate files in `work`); resolves with its path and the time each step took.
 */
export async function buildExecutable(
  file = EXECUTABLE,
  work = WORK,
): Promise<{ file: string; steps: Record<string, number> }> {
  const steps: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    steps[name] = Math.round(performance.now() - start);
    return result;
  };
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await mkdir(dirname(file), { recursive: true });
  const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };

  const script = join(work, 'oomsleuth.cjs');
  await timed('bundle', () =>
    build({
      entryPoints: [join(ROOT, 'src/cli/sea-main.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // The dynamic import()s that keep analyze from loading the store stay lazy: esbuild turns each into a function
      // that evaluates its modules on first call.
      define: { OOMSLEUTH_BUNDLED_VERSION: JSON.stringify(version) },
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none',
      logLevel: 'warning',
      // version.ts reads package.json through import.meta only when the define above is absent: never in the bundle.
      logOverride: { 'empty-import-meta': 'silent' },
      // better-sqlite3's lib/database.js requires `bindings` only when it is given no addon; it is bundled, never run.
    }),
  );

  const assets = seaAssets();
  for (const [name, file] of Object.entries(assets)) {
    await stat(file).catch((error: Error) => {
      throw new Error(`the asset ${name} (${file}) is missing: ${error.message} — run npm ci first`);
    });
  }
  const blob = join(work, 'oomsleuth.blob');
  const config = join(work, 'sea-config.json');
  await writeFile(
    config,
    `${JSON.stringify(
      {
        main: script,
        output: blob,
        disableExperimentalSEAWarning: true,
        // V8's compiled code for the bundle, made now: the executable starts without compiling it again.
        useCodeCache: true,
        assets,
      },
      null,
      2,
    )}\n`,
  );
  await timed('blob', () =>
    promisify(execFile)(process.execPath, ['--experimental-sea-config', config], { cwd: work }),
  );

  await timed('inject', async () => {
    const partial = `${file}.partial`;
    await copyFile(process.execPath, partial);
    await chmod(partial, 0o755);
    await inject(partial, 'NODE_SEA_BLOB', await readFile(blob), {
      sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    });
    // Renamed into place: a running copy of an older build (a guard) is not overwritten under its feet.
    await rename(partial, file);
  });
  return { file, steps };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { file, steps } = await buildExecutable();
  const size = (await stat(file)).size;
  process.stdout.write(
    `wrote ${file} (${(size / 2 ** 20).toFixed(1)} MiB): ${Object.entries(steps)
      .map(([step, ms]) => `${step} ${ms} ms`)
      .join(', ')}\n`,
  );
}
