// Golden outputs: `oomsleuth analyze` must print, byte for byte, what test/golden/ holds for each case of
// test/golden/cases.json, and the README's sample output must be the example's golden report. A deliberate change
// is recorded with `npm run golden:update`, whose diff is reviewed with the commit.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Analysis, Cause } from '../src/contract/analysis.js';
import {
  GOLDEN_DIR,
  GOLDEN_FORMATS,
  type GoldenCase,
  type GoldenFormat,
  goldenCommand,
  goldenFile,
  readGoldenCases,
  renderGoldenCase,
} from './helpers/golden-case.js';
import { lineDiff } from './helpers/line-diff.js';
import { README, readmeSamples } from './helpers/readme-samples.js';

const UPDATE = 'If the change is intended, run `npm run golden:update` and commit the diff it prints.';
const cases = readGoldenCases();

function goldenText(goldenCase: GoldenCase, format: GoldenFormat): string {
  const file = goldenFile(goldenCase, format);
  if (!existsSync(file)) assert.fail(`${file} does not exist. Run \`npm run golden:update\` to create it.`);
  return readFileSync(file, 'utf8');
}

for (const goldenCase of cases) {
  for (const format of GOLDEN_FORMATS) {
    test(`${goldenCommand(goldenCase, format)} prints exactly test/golden/${goldenCase.name}.${format}`, async () => {
      const expected = goldenText(goldenCase, format);
      const actual = await renderGoldenCase(goldenCase, format);
      if (actual !== expected) {
        assert.fail(
          `the output differs from test/golden/${goldenCase.name}.${format} (- golden, + now):\n` +
            `${lineDiff(expected, actual)}\n${UPDATE}`,
        );
      }
    });
  }
}

test('every file in test/golden/ is the output of a case in cases.json', () => {
  const expected = ['cases.json', ...cases.flatMap((c) => GOLDEN_FORMATS.map((f) => `${c.name}.${f}`))];
  const stray = readdirSync(GOLDEN_DIR).filter((f) => !expected.includes(f));
  assert.deepEqual(stray, [], `no case writes these; run \`npm run golden:update\` to remove them`);
});

test('the golden cases together show every cause, both OOM scopes, a run with no app in focus and one with only other kills', () => {
  const analyses = cases.map((c) => JSON.parse(goldenText(c, 'json')) as Analysis);
  const incidents = analyses.flatMap((a) => a.incidents);
  const causes = new Set(incidents.map((i) => i.cause));
  // A Record, so that a cause added to the contract fails to compile here until a golden case shows it.
  const every: Record<Cause, true> = {
    'oom-killer': true,
    'oom-daemon': true,
    'runtime-oom': true,
    crash: true,
    stopped: true,
    unexplained: true,
  };
  for (const cause of Object.keys(every) as Cause[]) {
    assert.ok(causes.has(cause), `no golden case shows an incident with cause ${cause}`);
  }
  const scopes = new Set(incidents.map((i) => i.oom?.scope));
  assert.ok(scopes.has('global') && scopes.has('memcg'), 'golden cases lack a global or a memcg OOM kill');
  assert.ok(
    analyses.some((a) => a.app === null),
    'no golden case runs without an app in focus',
  );
  assert.ok(
    analyses.some((a) => a.incidents.length === 0 && a.otherOomKills.length > 0),
    'no golden case shows other processes OOM-killed while the app lived',
  );
});

test("the README's sample output is exactly the example's golden terminal report", () => {
  const samples = readmeSamples(readFileSync(README, 'utf8'));
  assert.ok(
    samples.some((s) => s.name === 'anqicms-vps'),
    'README.md has no <!-- golden:anqicms-vps --> block before its sample output',
  );
  for (const sample of samples) {
    const goldenCase = cases.find((c) => c.name === sample.name);
    assert.ok(goldenCase, `README.md shows <!-- golden:${sample.name} -->, which is no case of cases.json`);
    const expected = goldenText(goldenCase, 'txt');
    if (sample.text !== expected) {
      assert.fail(
        `README.md's block at line ${sample.from + 1} differs from test/golden/${sample.name}.txt ` +
          `(- golden, + README):\n${lineDiff(expected, sample.text)}\n` +
          'Run `npm run golden:update` to copy the golden report into the README.',
      );
    }
  }
});
