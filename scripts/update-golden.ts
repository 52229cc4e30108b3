// `npm run golden:update`: reruns every case of test/golden/cases.json with the built CLI (the npm script builds
// first), rewrites the golden files and the README's sample blocks, removes golden files no case writes, and prints
// each change with its diff. Nothing is asked: review the diff (or `git diff`) before committing.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  GOLDEN_DIR,
  GOLDEN_FORMATS,
  GOLDEN_MANIFEST,
  goldenFile,
  REPO_ROOT,
  readGoldenCases,
  renderGoldenCase,
} from '../test/helpers/golden-case.js';
import { lineDiff } from '../test/helpers/line-diff.js';
import { README, readmeSamples, withReadmeSample } from '../test/helpers/readme-samples.js';

const DIFF_LINES_SHOWN = 200;
const counts = { created: 0, changed: 0, unchanged: 0, removed: 0 };
const display = (file: string): string => relative(REPO_ROOT, file);

/** Writes `text` to `file` when it differs, and says what happened. */
function record(file: string, text: string, previous: string | null): void {
  if (previous === text) {
    counts.unchanged++;
    console.log(`unchanged ${display(file)}`);
    return;
  }
  writeFileSync(file, text);
  if (previous === null) {
    counts.created++;
    console.log(`created   ${display(file)}`);
    return;
  }
  counts.changed++;
  console.log(`changed   ${display(file)} (- before, + now)`);
  console.log(indent(lineDiff(previous, text, { maxLines: DIFF_LINES_SHOWN })));
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}

function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const cases = readGoldenCases();
const reports = new Map<string, string>();
for (const goldenCase of cases) {
  for (const format of GOLDEN_FORMATS) {
    const file = goldenFile(goldenCase, format);
    const text = await renderGoldenCase(goldenCase, format);
    if (format === 'txt') reports.set(goldenCase.name, text);
    record(file, text, readIfExists(file));
  }
}

const written = new Set([
  GOLDEN_MANIFEST,
  ...cases.flatMap((c) => GOLDEN_FORMATS.map((f) => goldenFile(c, f))),
]);
for (const name of readdirSync(GOLDEN_DIR)) {
  const file = join(GOLDEN_DIR, name);
  if (written.has(file)) continue;
  rmSync(file);
  counts.removed++;
  console.log(`removed   ${display(file)} (no case in cases.json writes it)`);
}

const readme = readFileSync(README, 'utf8');
let updated = readme;
for (const sample of readmeSamples(readme)) {
  const report = reports.get(sample.name);
  if (report === undefined) {
    throw new Error(`README.md shows <!-- golden:${sample.name} -->, which is no case of cases.json`);
  }
  updated = withReadmeSample(updated, sample.name, report);
}
record(README, updated, readme);

console.log(
  `\n${counts.changed} changed, ${counts.created} created, ${counts.removed} removed, ${counts.unchanged} unchanged.` +
    (counts.changed + counts.created + counts.removed > 0 ? ' Review the diff before committing.' : ''),
);
