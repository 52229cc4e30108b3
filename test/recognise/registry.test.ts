// The registry check itself, then every recogniser's samples run through it and through `recognise` by route.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RECOGNISER_TABLES, recognise } from '../../src/recognise/index.js';
import type { Recogniser } from '../../src/recognise/recogniser.js';
import { checkRecogniser, checkTables, countCapturingGroups } from '../../src/recognise/registry-check.js';
import { sampleRecord } from '../../src/recognise/sample-record.js';
import { ROUTES_BY_TABLE } from './table-routes.js';

const good: Recogniser = {
  id: 'test.good',
  type: 'oom.reaped',
  guard: 'reaped',
  pattern: /^reaped (?<pid>\d+) \((?<process>.*)\)$/,
  build: (g, record) => ({ type: 'oom.reaped', record, pid: Number(g.pid), process: g.process ?? '' }),
  samples: [
    { line: 'reaped 7 (x)', expect: { pid: 7, process: 'x' } },
    { line: 'reaped x (x)', expect: null },
  ],
};

describe('registry check', () => {
  test('accepts a sound recogniser', () => {
    assert.deepEqual(checkRecogniser(good), []);
  });

  test('refuses a pattern without named groups', () => {
    const problems = checkRecogniser({ ...good, pattern: /^reaped \d+ \(.*\)$/ });
    assert.ok(
      problems.some((p) => p.includes('no named group')),
      problems.join('\n'),
    );
  });

  test('refuses positional groups next to named ones', () => {
    const problems = checkRecogniser({ ...good, pattern: /^reaped (?<pid>\d+) \((.*)\)$/ });
    assert.ok(
      problems.some((p) => p.includes('unnamed capturing group')),
      problems.join('\n'),
    );
  });

  test('refuses stateful flags', () => {
    const problems = checkRecogniser({ ...good, pattern: /^reaped (?<pid>\d+) \((?<process>.*)\)$/g });
    assert.ok(
      problems.some((p) => p.includes('g or y flag')),
      problems.join('\n'),
    );
  });

  test('reports a sample whose fields differ, a missing event, an unwanted event and a guard-less line', () => {
    const problems = checkRecogniser({
      ...good,
      samples: [
        { line: 'reaped 7 (x)', expect: { pid: 8 } },
        { line: 'reaped 7 x', expect: { pid: 7 } },
        { line: 'reaped 7 (y)', expect: null },
      ],
    });
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0] ?? '', /pid is 7, expected 8/);
    assert.match(problems[1] ?? '', /got none/);
    assert.match(problems[2] ?? '', /expected no event, got oom.reaped/);
    const guardless = checkRecogniser({ ...good, guard: 'zzz' });
    assert.ok(
      guardless.some((p) => p.includes('lacks the guard')),
      guardless.join('\n'),
    );
  });

  test('reports an event of the wrong type', () => {
    const problems = checkRecogniser({ ...good, type: 'oom.killed' });
    assert.ok(
      problems.some((p) => p.includes('expected type oom.killed')),
      problems.join('\n'),
    );
  });

  test('reports duplicate ids and table-order conflicts', () => {
    const shadow: Recogniser = { ...good, id: 'test.shadow', samples: [] };
    const problems = checkTables([{ id: 't', recognisers: [shadow, { ...good, build: () => null }, good] }]);
    assert.ok(problems.some((p) => p.includes('no samples')));
    assert.ok(
      problems.some((p) => p.includes('used twice')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('reorder')),
      problems.join('\n'),
    );
  });

  test('counts groups, ignoring escapes, character classes and lookarounds', () => {
    assert.deepEqual(countCapturingGroups(String.raw`\((?<a>x)[(](?:y)(?=z)(?<!w)(?<=v)`), {
      named: 1,
      unnamed: 0,
    });
    assert.deepEqual(countCapturingGroups(String.raw`(a)(?<b>c)[\]()]`), { named: 1, unnamed: 1 });
  });
});

describe('every table is sound', () => {
  test('checkTables finds no problem', () => {
    assert.deepEqual(checkTables(RECOGNISER_TABLES), []);
  });

  for (const table of RECOGNISER_TABLES) {
    describe(`table ${table.id}`, () => {
      for (const recogniser of table.recognisers) {
        test(`${recogniser.id}: ${recogniser.samples.length} samples`, () => {
          assert.deepEqual(checkRecogniser(recogniser), []);
        });
      }

      test('every positive sample reaches its event through recognise() on every route', () => {
        const routes = ROUTES_BY_TABLE[table.id];
        assert.ok(routes !== undefined && routes.length > 0, `no route known for table ${table.id}`);
        for (const recogniser of table.recognisers) {
          for (const sample of recogniser.samples) {
            if (sample.expect === null) continue;
            for (const route of routes) {
              const record = sampleRecord(sample.line, { ident: route.ident });
              const event = recognise(record, route.kind);
              assert.equal(
                event?.type,
                recogniser.type,
                `${recogniser.id} via ${route.kind}/${route.ident}: ${sample.line}`,
              );
              assert.equal(event?.record, record);
            }
          }
        }
      });
    });
  }
});

test('sample count', () => {
  const samples = RECOGNISER_TABLES.flatMap((t) => t.recognisers.flatMap((r) => r.samples));
  const recognisers = RECOGNISER_TABLES.flatMap((t) => t.recognisers);
  // Printed for the record; a floor keeps anyone from emptying the tables by accident.
  console.log(`${recognisers.length} recognisers, ${samples.length} samples`);
  assert.ok(samples.length >= 150);
});
