// analyze never needs the native SQLite module: it runs where better-sqlite3 cannot be loaded (an optional
// dependency npm skips without a compiler), and no module it imports statically reaches the store.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../../src/contract/analysis.js';
import { runCli } from '../helpers/cli.js';

const HIDE_SQLITE = fileURLToPath(new URL('../fixtures/no-sqlite/register.mjs', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../examples/anqicms-vps/', import.meta.url));
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const withoutSqlite = { NODE_OPTIONS: `--import=${HIDE_SQLITE}` };

test('analyze gives its verdict with better-sqlite3 unloadable', async () => {
  const run = await runCli(['analyze', EXAMPLE, '--json', '--tz', 'UTC'], { env: withoutSqlite });
  assert.equal(run.code, 0, run.stderr);
  const analysis = JSON.parse(run.stdout) as Analysis;
  assert.ok(analysis.incidents.some((i) => i.cause === 'oom-killer' && i.confidence === 'confirmed'));
});

test('the same hook does hide it: incidents says what is missing and how to get it (exit 2)', async () => {
  const run = await runCli(['incidents', '--db', EXAMPLE], { env: withoutSqlite });
  assert.equal(run.code, 2, run.stderr);
  assert.match(
    run.stderr,
    /the SQLite module better-sqlite3 cannot be loaded: .*hidden by test\/fixtures\/no-sqlite/,
  );
  assert.match(run.stderr, /analyze does not/);
  assert.match(run.stderr, /reinstall with a C\+\+ compiler present .* or use the single executable/);
});

/** Files reached from `entry` through static imports only (`import … from`, not `import()`). */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const STATIC = /^\s*(?:import|export)\s[^;]*?from\s+['"](?<spec>[^'"]+)['"]/gm;
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC)) {
      const spec = m.groups!.spec!;
      if (m[0].includes('import type') || /^\s*export\s+type\s/.test(m[0])) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      else seen.add(spec);
    }
  };
  visit(entry);
  return seen;
}

test('no static import of the CLI entry or of analyze reaches the store or better-sqlite3', () => {
  for (const entry of ['cli/main.ts', 'cli/sea-main.ts', 'cli/analyze.ts', 'analyze/analyze.ts']) {
    const reached = [...staticGraph(resolve(SRC, entry))].map((f) =>
      f.startsWith('/') ? relative(SRC, f) : f,
    );
    assert.deepEqual(
      reached.filter((f) => f === 'better-sqlite3' || f === 'store/store.ts' || f === 'prom-client'),
      [],
      `${entry} reaches them statically`,
    );
    assert.ok(reached.length > 2, `${entry}: the graph was not followed (${reached.join(', ')})`);
  }
});
