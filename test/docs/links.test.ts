// The docs stand alone: every relative link in the repository's Markdown leads to a file of the repository, so a
// clone (or the npm package) never points at a folder it does not have, such as the team's shared/ notes.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `[text](target)` and `[text](target "title")`; images too. */
const LINK = /\]\((?<target>[^)\s]+)(?:\s+"[^"]*")?\)/g;
const FENCE = /^```/;
/** Folders whose Markdown is not the project's documentation. */
const SKIPPED = new Set(['node_modules', 'dist', '.git', '.bench-cache', 'scenarios', 'golden']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.isFile() && entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Every link target outside fenced code blocks, with its line number. */
function linksOf(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  let inCode = false;
  markdown.split('\n').forEach((text, i) => {
    if (FENCE.test(text)) inCode = !inCode;
    if (inCode) return;
    for (const match of text.matchAll(LINK)) links.push({ target: match.groups!.target!, line: i + 1 });
  });
  return links;
}

const files = markdownFiles(ROOT);

test('the repository has its Markdown documentation (README, docs/, the contract)', () => {
  const names = files.map((f) => relative(ROOT, f));
  for (const expected of ['README.md', 'docs/contract.md', 'docs/errors.md', 'docs/formats.md']) {
    assert.ok(names.includes(expected), `${expected} is missing (have ${names.join(', ')})`);
  }
});

test('every relative link leads to a file inside the repository', () => {
  const broken: string[] = [];
  for (const file of files) {
    for (const { target, line } of linksOf(readFileSync(file, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // https:, mailto:, in-page
      const path = resolve(dirname(file), decodeURIComponent(target.split('#')[0]!));
      const where = `${relative(ROOT, file)}:${line} → ${target}`;
      if (relative(ROOT, path).startsWith('..')) broken.push(`${where} (outside the repository)`);
      else if (!existsSync(path)) broken.push(`${where} (no such file)`);
    }
  }
  assert.deepEqual(broken, []);
});

test("no document sends the reader to the team's shared/ folder", () => {
  const mentions = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, i) =>
        /\bshared\/(?:CONTRACT|reference|contract)/.test(text) ? [`${relative(ROOT, file)}:${i + 1}`] : [],
      ),
  );
  assert.deepEqual(mentions, []);
});
