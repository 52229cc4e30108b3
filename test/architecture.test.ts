// The layers of src/, lowest first: a file may import its own folder and any folder of a lower layer, never one
// above it nor a sibling of its own layer (the front ends do not lean on each other). docs/ARCHITECTURE.md draws the same order; this test keeps the code to it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const LAYERS: readonly (readonly string[])[] = [
  ['contract', 'errors', 'version'],
  ['sources'],
  ['framing'],
  ['recognise'],
  ['scan'],
  ['clock'],
  ['correlate'],
  ['forecast'],
  ['diagnose'],
  ['options'],
  ['report'],
  ['pictures'],
  ['store'],
  ['alert'],
  ['analyze', 'guard', 'watch', 'serve'],
  // doctor reads config files alone; drill runs analyze on what it provoked, so it sits above the front ends.
  ['doctor', 'drill'],
  ['cli'],
  ['index'],
];

const src = fileURLToPath(new URL('../src/', import.meta.url));

function layerOf(file: string): { folder: string; rank: number } {
  const first = relative(src, file).split('/')[0]!.replace(/\.ts$/, '');
  const rank = LAYERS.findIndex((layer) => layer.includes(first));
  return { folder: first, rank };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

const IMPORT = /(?:from\s+|import\(\s*)['"](?<spec>\.{1,2}\/[^'"]+)['"]/g;

test('every folder of src/ has a layer', () => {
  const folders = new Set(sourceFiles(src).map((f) => layerOf(f)));
  for (const { folder, rank } of folders) assert.notEqual(rank, -1, `src/${folder} is in no layer`);
});

test('no file of src/ imports a layer above its own, or a sibling folder of its layer', () => {
  const upward: string[] = [];
  for (const file of sourceFiles(src)) {
    const from = layerOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolve(dirname(file), m.groups!.spec!).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (to.folder !== from.folder && to.rank >= from.rank) {
        upward.push(
          `${relative(src, file)} imports ${relative(src, target)} (${from.folder} → ${to.folder})`,
        );
      }
    }
  }
  assert.deepEqual(upward, []);
});
