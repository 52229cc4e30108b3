// The sample outputs shown in README.md: the fenced block right after a `<!-- golden:<case> … -->` line is that
// golden case's terminal report, verbatim. test/golden.test.ts checks them; npm run golden:update rewrites them.
import { fileURLToPath } from 'node:url';

export const README = fileURLToPath(new URL('../../README.md', import.meta.url));

// `<!-- golden:anqicms-vps -->`, optionally with a note for the reader of the raw page before the `-->`.
const MARKER = /^<!-- golden:(?<name>[a-z0-9-]+)(?: [^>]*)? -->$/;
const OPENING_FENCE = /^```[a-z]*$/;
const CLOSING_FENCE = '```';

export interface ReadmeSample {
  /** The golden case it shows. */
  readonly name: string;
  /** The block's lines, each followed by a newline, as the CLI prints them. */
  readonly text: string;
  /** 0-based index of the block's first line and of its closing fence. */
  readonly from: number;
  readonly to: number;
}

/** Every marked sample of the page, in order; throws when a marker is not followed by a fenced block. */
export function readmeSamples(markdown: string): ReadmeSample[] {
  const lines = markdown.split('\n');
  const samples: ReadmeSample[] = [];
  lines.forEach((line, at) => {
    const name = MARKER.exec(line)?.groups?.name;
    if (name === undefined) return;
    if (!OPENING_FENCE.test(lines[at + 1] ?? '')) {
      throw new Error(`README.md:${at + 2}: the line after <!-- golden:${name} --> must open a \`\`\` block`);
    }
    const to = lines.indexOf(CLOSING_FENCE, at + 2);
    if (to === -1)
      throw new Error(`README.md:${at + 2}: the block after <!-- golden:${name} --> is not closed`);
    const body = lines.slice(at + 2, to);
    samples.push({ name, text: body.map((l) => `${l}\n`).join(''), from: at + 2, to });
  });
  return samples;
}

/** The page with the sample block of `name` replaced by `text` (which ends with a newline). */
export function withReadmeSample(markdown: string, name: string, text: string): string {
  const sample = readmeSamples(markdown).find((s) => s.name === name);
  if (sample === undefined) throw new Error(`README.md has no <!-- golden:${name} --> block`);
  const lines = markdown.split('\n');
  lines.splice(sample.from, sample.to - sample.from, ...text.replace(/\n$/, '').split('\n'));
  return lines.join('\n');
}
