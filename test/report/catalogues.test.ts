// Every catalogue has the same entries in every language (TypeScript checks it at build time; this checks the
// built objects too, and that the Chinese entries are translations, not English left in place).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALERT_WORDS } from '../../src/alert/alert-words.js';
import { LANGUAGES, type Language } from '../../src/report/language.js';
import { TERMINAL_WORDS } from '../../src/report/terminal-words.js';
import { WARNING_PHRASES } from '../../src/report/warning-words.js';
import { WORDS } from '../../src/report/words.js';
import { INCIDENTS_WORDS } from '../../src/watch/incidents-words.js';

const CATALOGUES: Record<string, Readonly<Record<Language, object>>> = {
  'report/words.ts': WORDS,
  'report/terminal-words.ts': TERMINAL_WORDS,
  'report/warning-words.ts': WARNING_PHRASES,
  'alert/alert-words.ts': ALERT_WORDS,
  'watch/incidents-words.ts': INCIDENTS_WORDS,
};

/** Entries the Chinese catalogue rightly shares with the English one: codes and names a terminal shows as they are. */
const SAME_IN_EVERY_LANGUAGE = new Set(['header.0', 'header.3']);

/** `path → kind` of every leaf: `string`, `function/<arity>`. */
function leaves(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(path, 'string');
  else if (typeof value === 'function') out.set(path, `function/${value.length}`);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      for (const [p, kind] of leaves(child, path ? `${path}.${key}` : key)) out.set(p, kind);
    }
  } else out.set(path, typeof value);
  return out;
}

function leaf(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], value);
}

const HAN = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

for (const [name, catalogue] of Object.entries(CATALOGUES)) {
  test(`${name}: the same entries, of the same kind, in every language`, () => {
    assert.deepEqual(Object.keys(catalogue).sort(), [...LANGUAGES].sort());
    const english = leaves(catalogue.en);
    assert.ok(english.size > 0);
    for (const language of LANGUAGES) assert.deepEqual(leaves(catalogue[language]), english, language);
  });

  test(`${name}: the Chinese words are Chinese`, () => {
    for (const [path, kind] of leaves(catalogue.zh)) {
      if (kind !== 'string' || SAME_IN_EVERY_LANGUAGE.has(path)) continue;
      const zh = leaf(catalogue.zh, path) as string;
      // A separator or a label's gap may be punctuation or nothing.
      if (!/[a-z]/i.test(leaf(catalogue.en, path) as string)) continue;
      assert.match(zh, HAN, `${path}: ${JSON.stringify(zh)} is not translated`);
    }
  });
}

test('the words of every fact type come in every language, and the Chinese ones are Chinese', () => {
  const types = Object.keys(WORDS.en.fact).sort();
  assert.ok(types.length >= 40, `${types.length} fact types`);
  for (const language of LANGUAGES) assert.deepEqual(Object.keys(WORDS[language].fact).sort(), types);
  // A stand-in fact whose every field is 7: enough for each entry to say something.
  const fact = new Proxy({}, { get: (_target, key) => (key === 'known' ? true : 7) });
  for (const type of types) {
    const say = (language: Language) =>
      (WORDS[language].fact as unknown as Record<string, (f: unknown) => string>)[type]!(fact);
    assert.match(say('zh'), HAN, `${type}: ${say('zh')}`);
    assert.doesNotMatch(say('en'), HAN, `${type}: ${say('en')}`);
  }
});
