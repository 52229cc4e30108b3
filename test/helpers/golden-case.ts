// The golden outputs of `oomsleuth analyze` (test/golden/, listed in cases.json): runs one case the same way on
// any machine and in any clone, and names its files. Used by test/golden.test.ts and scripts/update-golden.ts.
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));
export const GOLDEN_MANIFEST = join(GOLDEN_DIR, 'cases.json');

export interface GoldenCase {
  readonly name: string;
  /** What the case is there to show. */
  readonly shows: string;
  /** The input folder, relative to the repository root. */
  readonly input: string;
  readonly args: readonly string[];
  /** Modification times of the input's files (the year of yearless syslog stamps is inferred from them). */
  readonly mtimes: Readonly<Record<string, string>>;
}

/** The terminal report (`txt`) or the `--json` document (`json`). */
export type GoldenFormat = 'txt' | 'json';
export const GOLDEN_FORMATS: readonly GoldenFormat[] = ['txt', 'json'];

/** Terminal width of the golden reports: the README shows the example's report at this width. */
const GOLDEN_COLUMNS = 120;
/** Modification time of an input file that `mtimes` does not list, instead of the time it was copied. */
const UNLISTED_MTIME = new Date('2000-01-01T00:00:00Z');
const GENERATED_AT = /^(?<key> {2}"generatedAt": )"[^"]*"/m;

export function readGoldenCases(): GoldenCase[] {
  return (JSON.parse(readFileSync(GOLDEN_MANIFEST, 'utf8')) as { cases: GoldenCase[] }).cases;
}

/** The golden file of a case, e.g. test/golden/anqicms-vps.txt. */
export function goldenFile(goldenCase: GoldenCase, format: GoldenFormat): string {
  return join(GOLDEN_DIR, `${goldenCase.name}.${format}`);
}

/** The command a case runs, as an operator would type it from the repository root. */
export function goldenCommand(goldenCase: GoldenCase, format: GoldenFormat): string {
  const json = format === 'json' ? ['--json'] : [];
  return ['oomsleuth analyze', goldenCase.input, ...goldenCase.args, ...json].join(' ');
}

/**
 * Runs the built CLI on a copy of the case's input, in a fresh temporary folder of the same name, so neither the
 * clone's path nor its permissions nor the files' checkout times reach the output; then normalises what still
 * varies (the run's time, the temporary folder). Throws when the CLI fails or writes to stderr.
 */
export async function renderGoldenCase(goldenCase: GoldenCase, format: GoldenFormat): Promise<string> {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'oomsleuth-golden-')));
  try {
    const folder = basename(goldenCase.input);
    const copy = join(parent, folder);
    cpSync(join(REPO_ROOT, goldenCase.input), copy, { recursive: true });
    const entries = readdirSync(copy, { recursive: true, encoding: 'utf8' });
    // The copy keeps the clone's modes: a read-only checkout would give a copy that cannot be removed.
    for (const path of [copy, ...entries.map((entry) => join(copy, entry))]) {
      chmodSync(path, statSync(path).isDirectory() ? 0o700 : 0o600);
    }
    const unknown = Object.keys(goldenCase.mtimes).filter((file) => !entries.includes(file));
    if (unknown.length > 0)
      throw new Error(
        `${goldenCase.name}: mtimes names no file of ${goldenCase.input}: ${unknown.join(', ')}`,
      );
    for (const entry of entries) {
      const iso = goldenCase.mtimes[entry];
      const at = iso === undefined ? UNLISTED_MTIME : new Date(iso);
      utimesSync(join(copy, entry), at, at);
    }
    const run = await runCli(
      ['analyze', folder, ...goldenCase.args, ...(format === 'json' ? ['--json'] : [])],
      {
        cwd: parent,
        env: {
          NO_COLOR: '1',
          FORCE_COLOR: undefined,
          COLUMNS: String(GOLDEN_COLUMNS),
          TZ: 'UTC',
          OOMSLEUTH_PREFILTER: undefined,
        },
      },
    );
    if (run.code !== 0 || run.stderr !== '') {
      throw new Error(
        `${goldenCommand(goldenCase, format)} exited ${run.code}; stderr:\n${run.stderr || '(empty)'}`,
      );
    }
    const output = run.stdout.replaceAll(parent, '<tmp>');
    return format === 'json' ? output.replace(GENERATED_AT, '$<key>"<generated-at>"') : output;
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}
