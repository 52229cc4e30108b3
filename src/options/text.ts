// Options whose value is a word or free text: a name, a file, a folder, one of a few words.
import { invalid, type Parser, valid } from './option-spec.js';

/** Any text but an empty (or blank) one, almost always an unset shell variable; `--db needs a file name`. */
export function nonEmpty(what: string): Parser<string> {
  return (text) => (text.trim() === '' ? invalid(`needs ${what}`) : valid(text));
}

/** Any text, the empty one included (an empty --webhook-secret is "no secret for this webhook"). */
export const anyText: Parser<string> = (text) => valid(text);

/** One of a few words (--fail-on, --alert-on, --cause, --webhook-format); --help lists them. */
export function oneOf<const C extends string>(choices: readonly C[]): Parser<C> {
  const expected = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
  const parse = (text: string) =>
    (choices as readonly string[]).includes(text)
      ? valid(text as C)
      : invalid(`${JSON.stringify(text)} must be ${expected}`);
  return Object.assign(parse, { choices });
}
