// docs/formats.md and the code name the same carriers and recognisers (as test/errors.test.ts does for error codes):
// a format or recogniser added, renamed or removed on one side only fails here, and so does a quoted sample that
// the code's own tests no longer run.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { Carrier } from '../../src/framing/carrier.js';
import { ALL_CARRIERS } from '../../src/framing/carrier-list.js';
import { RECOGNISER_TABLES } from '../../src/recognise/index.js';
import type { Recogniser } from '../../src/recognise/recogniser.js';

const docsUrl = new URL('../../docs/formats.md', import.meta.url);

const HEADING = /^(?<hashes>#{1,6}) (?<text>.+?)\s*$/;
const FENCE = /^```/;
const BARE_NAME = /^[a-z0-9][a-z0-9-]*$/;
const KIND = /^- \*\*Kind:\*\* `(?<kind>[a-z]+)`/;
// `| \`id\` | \`event\` | meaning | \`sample\` |`; the meaning may hold code spans, the sample may not hold a backtick.
const RECOGNISER_ROW = /^\| `(?<id>[^`]+)` \| `(?<type>[^`]+)` \| (?<meaning>.+) \| `(?<sample>[^`]+)` \|$/;
const ROW_WITH_CODE_ID = /^\| `/;
const CODE_SPAN = /`(?<code>[^`]+)`/g;
const IN_PAGE_LINK = /\]\(#(?<anchor>[^)\s]+)\)/g;
const ESCAPED_PIPE = /\\\|/g;

interface Section {
  readonly level: number;
  readonly title: string;
  /** The nearest level-2 heading above (the section's own title when it is one). */
  readonly chapter: string;
  /** Lines up to the next heading, outside code blocks. */
  readonly text: string[];
  /** Lines inside fenced code blocks, without the fences. */
  readonly code: string[];
}

/** The page cut at its headings; `#` lines inside code blocks are not headings. */
function sectionsOf(docs: string): Section[] {
  const sections: Section[] = [];
  let current: Section = { level: 0, title: '', chapter: '', text: [], code: [] };
  let inFence = false;
  for (const line of docs.split('\n')) {
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      current.code.push(line);
      continue;
    }
    const heading = HEADING.exec(line)?.groups;
    if (heading !== undefined) {
      const level = heading.hashes?.length ?? 0;
      const title = heading.text ?? '';
      sections.push(current);
      current = { level, title, chapter: level === 2 ? title : current.chapter, text: [], code: [] };
      continue;
    }
    current.text.push(line);
  }
  sections.push(current);
  return sections;
}

/** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, `-`, `_` kept), spaces to `-`. */
function anchorOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

async function loadSections(): Promise<Section[]> {
  return sectionsOf(await readFile(docsUrl, 'utf8'));
}

const carrierFormats = ALL_CARRIERS.map((carrier) => carrier.format).sort();
const carriersByFormat = new Map<string, Carrier>(ALL_CARRIERS.map((carrier) => [carrier.format, carrier]));

// The registry's own enumeration (as test/recognise/registry.test.ts walks it), with each recogniser's table.
const registered = RECOGNISER_TABLES.flatMap((table) =>
  table.recognisers.map((recogniser) => ({ table: table.id, recogniser })),
);
const recogniserIds = registered.map((entry) => entry.recogniser.id).sort();
const byId = new Map<string, { table: string; recogniser: Recogniser }>(
  registered.map((entry) => [entry.recogniser.id, entry]),
);

/** Carrier sections: every `###` under `## Carriers`, and any `###` anywhere whose title is a bare format-like name. */
function carrierSections(sections: readonly Section[]): Section[] {
  return sections.filter((s) => s.level === 3 && (s.chapter === 'Carriers' || BARE_NAME.test(s.title)));
}

interface Row {
  readonly id: string;
  readonly type: string;
  readonly sample: string;
  readonly heading: string;
}

/** Every table row under `## Recognisers` whose first cell is code; fails on a row that does not fit the layout. */
function recogniserRows(sections: readonly Section[]): Row[] {
  const rows: Row[] = [];
  for (const section of sections) {
    if (section.chapter !== 'Recognisers') continue;
    for (const line of section.text) {
      if (!ROW_WITH_CODE_ID.test(line)) continue;
      const row = RECOGNISER_ROW.exec(line)?.groups;
      assert.ok(row !== undefined, `row does not fit "| id | event | meaning | sample |": ${line}`);
      rows.push({
        id: row.id ?? '',
        type: row.type ?? '',
        sample: (row.sample ?? '').replace(ESCAPED_PIPE, '|'),
        heading: section.title,
      });
    }
  }
  return rows;
}

test('every carrier format has one section in docs/formats.md, and every carrier section is a carrier', async () => {
  const titles = carrierSections(await loadSections()).map((s) => s.title);
  const problems = [
    ...titles
      .filter((title) => !carriersByFormat.has(title))
      .map((title) => `docs/formats.md has a section "### ${title}" but no carrier has that format`),
    ...carrierFormats
      .filter((format) => !titles.includes(format))
      .map((format) => `carrier ${format} has no "### ${format}" section in docs/formats.md`),
  ];
  assert.deepEqual(problems, []);
  assert.deepEqual([...titles].sort(), carrierFormats, 'a carrier has two sections');
});

test('each carrier section states the carrier kind and quotes only its real samples', async () => {
  for (const section of carrierSections(await loadSections())) {
    const carrier = carriersByFormat.get(section.title);
    if (carrier === undefined) continue; // reported by the test above
    const kinds = section.text.flatMap((line) => KIND.exec(line)?.groups?.kind ?? []);
    assert.deepEqual(
      kinds,
      [carrier.kind],
      `### ${carrier.format}: one "- **Kind:** \`${carrier.kind}\`" line`,
    );
    const quoted = section.code.filter((line) => line.trim() !== '');
    assert.ok(quoted.length > 0, `### ${carrier.format}: quote at least one of the carrier's samples`);
    for (const line of quoted) {
      assert.ok(
        carrier.samples.includes(line),
        `### ${carrier.format}: ${JSON.stringify(line)} is not one of the carrier's samples (src/framing)`,
      );
    }
  }
});

test('every recogniser id has one row in docs/formats.md, and every row names a recogniser', async () => {
  const ids = recogniserRows(await loadSections()).map((row) => row.id);
  const problems = [
    ...ids
      .filter((id) => !byId.has(id))
      .map((id) => `docs/formats.md has a row for ${id} but no recogniser has that id`),
    ...recogniserIds
      .filter((id) => !ids.includes(id))
      .map((id) => `recogniser ${id} has no row in docs/formats.md`),
  ];
  assert.deepEqual(problems, []);
  assert.deepEqual([...ids].sort(), recogniserIds, 'a recogniser has two rows');
});

test('each recogniser row gives its event type, a positive sample, and sits under its table', async () => {
  for (const row of recogniserRows(await loadSections())) {
    const entry = byId.get(row.id);
    if (entry === undefined) continue; // reported by the test above
    const { table, recogniser } = entry;
    assert.equal(row.type, recogniser.type, `${row.id}: event type`);
    const positives = recogniser.samples.filter((s) => s.expect !== null).map((s) => s.line);
    assert.ok(
      positives.includes(row.sample),
      `${row.id}: ${JSON.stringify(row.sample)} is not one of its positive samples (src/recognise)`,
    );
    const tablesNamed = [...row.heading.matchAll(CODE_SPAN)].map((m) => m.groups?.code);
    assert.ok(
      tablesNamed.includes(table),
      `${row.id} belongs under a heading naming \`${table}\`, not "${row.heading}"`,
    );
  }
});

test('every in-page link of docs/formats.md points at a heading', async () => {
  const docs = await readFile(docsUrl, 'utf8');
  const anchors = new Set(sectionsOf(docs).map((s) => anchorOf(s.title)));
  for (const match of docs.matchAll(IN_PAGE_LINK)) {
    const anchor = match.groups?.anchor ?? '';
    assert.ok(anchors.has(anchor), `link to #${anchor} has no heading`);
  }
});
