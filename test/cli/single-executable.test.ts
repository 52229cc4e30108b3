// `npm run dist`'s single executable, run as a user would run it: copied to a folder outside the repo, with no
// node_modules and no compiler anywhere it could look. analyze gives the example's OOM verdict; watch opens its SQLite
// store (the embedded addon, written to a cache folder) and incidents reads it back; guard runs a child.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../../src/contract/analysis.js';
import { skipUnlessCi } from '../helpers/skip.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/anqicms-vps/', import.meta.url));
const BUILD_BUDGET_MS = 90_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Why the executable cannot be built here, or null. */
function missingBuildTools(): string | null {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  // sea-config `assets` (the SQLite addon travels as one) came with Node 20.12.
  if (major < 20 || (major === 20 && minor < 12))
    return `Node ${process.versions.node} has no SEA assets (20.12+)`;
  const require = createRequire(import.meta.url);
  for (const name of ['esbuild', 'postject', 'better-sqlite3/package.json']) {
    try {
      require.resolve(name);
    } catch {
      return `${name} is not installed (npm ci)`;
    }
  }
  return null;
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // No NODE_PATH, no node_modules on any parent of cwd: what the executable loads, it carries.
    const child = spawn(file, args, { cwd, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the single executable, on a machine path without the repo', () => {
  let dir = '';
  let exe = '';
  let problem: string | null = null;

  before(async () => {
    problem = missingBuildTools();
    if (problem !== null) return;
    dir = await mkdtemp(join(tmpdir(), 'oomsleuth-sea-'));
    const { buildExecutable } = await import('../../scripts/build-dist.js');
    const started = Date.now();
    const built = await buildExecutable(join(dir, 'build', 'oomsleuth'), join(dir, 'build', 'work'));
    const tookMs = Date.now() - started;
    assert.ok(tookMs < BUILD_BUDGET_MS, `the build took ${tookMs} ms (budget ${BUILD_BUDGET_MS})`);
    // The user's copy: the executable alone in a folder of its own.
    exe = join(dir, 'bin', 'oomsleuth');
    await cp(built.file, exe);
    await rm(join(dir, 'build'), { recursive: true });
    await cp(EXAMPLE, join(dir, 'logs'), { recursive: true });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('analyze gives the example’s OOM verdict, and never writes the SQLite module', async (t) => {
    if (problem !== null) return skipUnlessCi(t, `cannot build the single executable: ${problem}`);
    const cache = join(dir, 'cache-analyze');
    const version = await run(exe, ['--version'], { XDG_CACHE_HOME: cache }, dir);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
    const result = await run(
      exe,
      ['analyze', 'logs', '--json', '--tz', 'UTC'],
      { XDG_CACHE_HOME: cache },
      dir,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /ExperimentalWarning/);
    const analysis = JSON.parse(result.stdout) as Analysis;
    assert.equal(analysis.app, 'anqicms');
    const oom = analysis.incidents.find((i) => i.cause === 'oom-killer');
    assert.ok(oom, `no oom-killer incident in ${result.stdout.slice(0, 400)}`);
    assert.equal(oom.confidence, 'confirmed');
    assert.equal(oom.pid, 18734);
    // analyze needs no SQLite: nothing was extracted.
    assert.deepEqual(await readdir(cache).catch(() => []), []);
  });

  test('watch opens its store with the embedded SQLite; incidents reads it back', async (t) => {
    if (problem !== null) return skipUnlessCi(t, `cannot build the single executable: ${problem}`);
    const env = { XDG_CACHE_HOME: join(dir, 'cache-watch') };
    const db = join(dir, 'state', 'oomsleuth.db');
    const watch = spawn(exe, ['watch', 'logs', '--db', db], {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', ...env },
    });
    let stderr = '';
    const exited = new Promise<string>((resolve) =>
      watch.on('close', (code, signal) => resolve(`${code ?? signal}`)),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watch did not start: ${stderr}`)), 20_000);
      watch.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('watching')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    watch.kill('SIGTERM');
    assert.equal(await exited, '0', stderr);
    const listed = await run(exe, ['incidents', '--db', db], env, dir);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /no incidents in .*oomsleuth\.db/);
    const extracted = await readdir(join(dir, 'cache-watch', 'oomsleuth'));
    assert.equal(extracted.length, 1);
    assert.match(extracted[0]!, /^better_sqlite3-[0-9a-f]{16}\.node$/);
  });

  test('guard --once runs a child and exits with its status', async (t) => {
    if (problem !== null) return skipUnlessCi(t, `cannot build the single executable: ${problem}`);
    const app = join(dir, 'app');
    await mkdir(app);
    const result = await run(
      exe,
      [
        'guard',
        '--once',
        '--name',
        'sea',
        '--check-log',
        join(app, 'check.log'),
        '--app-log',
        join(app, 'running.log'),
        '--',
        '/bin/sh',
        '-c',
        'echo hello; exit 3',
      ],
      {},
      dir,
    ).catch((error: Error) => ({ code: -1, stdout: '', stderr: error.message }));
    assert.equal(result.code, 3, result.stderr);
  });

  test('guard --daemon starts itself again from the executable; status and stop reach it', async (t) => {
    if (problem !== null) return skipUnlessCi(t, `cannot build the single executable: ${problem}`);
    const app = join(dir, 'daemon-app');
    await mkdir(app);
    const started = await run(
      exe,
      ['guard', '--daemon', '--name', 'sea', '--', '/bin/sleep', '600'],
      {},
      app,
    );
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stderr, /guard running in the background \(pid \d+\), sea pid \d+/);
    const status = await run(exe, ['guard', 'status', '--json'], {}, app);
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { state: string }).state, 'running');
    const stopped = await run(exe, ['guard', 'stop'], {}, app);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /guard stopped; the app \(pid \d+\) stopped/);
  });
});
