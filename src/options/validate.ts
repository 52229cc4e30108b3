// Validated once at the edge (fastify's and vector's rule): every declared option is parsed, absent ones get their
// declared default, and every problem is collected, not just the first (commander stops at the first). The loader
// then adds its cross-field checks to the same Problems, throws them together, and freezes what it returns.
// Below the loader nothing re-checks an option.
import type { OptionSpec, OptionSpecs, OptionValues, Parser } from './option-spec.js';
import type { Problems } from './problems.js';

export interface ValidatedOptions<S extends OptionSpecs> {
  /** Each option's value. An invalid one has its default (or is absent): its problem is already in Problems. */
  readonly values: OptionValues<S>;
  /** The options the command line gave (valid or not, as against defaulted ones), with how many values each. */
  readonly given: ReadonlyMap<keyof S, number>;
  /** The options with a problem: cross-field checks that read them are skipped, not reported twice. */
  readonly invalid: ReadonlySet<keyof S>;
}

/**
 * Parses `flags` (commander's values, keyed like `specs`) against the declarations; adds a usage problem per bad
 * value to `problems`. A key that is not declared, or a value of the wrong kind, is a bug in the caller: it throws.
 */
export async function validateOptions<S extends OptionSpecs>(
  specs: S,
  flags: Readonly<Record<string, unknown>>,
  problems: Problems,
): Promise<ValidatedOptions<S>> {
  for (const key of Object.keys(flags)) {
    if (!Object.hasOwn(specs, key) && flags[key] !== undefined) {
      throw new Error(`option value "${key}" is not declared (declared: ${Object.keys(specs).join(', ')})`);
    }
  }
  const values: Record<string, unknown> = {};
  const given = new Map<keyof S, number>();
  const invalid = new Set<keyof S>();
  for (const [key, spec] of Object.entries(specs) as [keyof S & string, OptionSpec][]) {
    const raw = flags[key];
    if (raw !== undefined) given.set(key, Array.isArray(raw) ? raw.length : 1);
    const report = (problem: string, position?: number) => {
      problems.usage(`${spec.name}${position === undefined ? '' : ` #${position}`} ${problem}`);
      invalid.add(key);
    };
    switch (spec.kind) {
      case 'switch':
        if (raw !== undefined && typeof raw !== 'boolean') throw wrongKind(spec.name, 'true or false', raw);
        values[key] = raw === true;
        break;
      case 'list': {
        const texts = raw === undefined ? [] : raw;
        if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
          throw wrongKind(spec.name, 'a list of texts', raw);
        }
        const items: unknown[] = [];
        for (const [index, text] of (texts as string[]).entries()) {
          const parsed = await spec.parser(text);
          if (parsed.ok) items.push(parsed.value);
          else report(parsed.problem, spec.secret ? index + 1 : undefined);
        }
        values[key] = items;
        break;
      }
      case 'value': {
        const fallback =
          spec.default === undefined ? undefined : await parseDefault(spec.name, spec.parser, spec.default);
        if (raw === undefined) {
          values[key] = fallback;
          break;
        }
        if (typeof raw !== 'string') throw wrongKind(spec.name, 'a text', raw);
        const parsed = await spec.parser(raw);
        if (parsed.ok) values[key] = parsed.value;
        else {
          report(parsed.problem);
          values[key] = fallback;
        }
        break;
      }
    }
  }
  return { values: values as OptionValues<S>, given, invalid };
}

/** Freezes a config and every plain object and array in it: what the loader returns is never changed after. */
export function freezeConfig<T extends object>(config: T): Readonly<T> {
  for (const value of Object.values(config)) {
    if (Array.isArray(value) || isPlainObject(value)) freezeConfig(value as object);
  }
  return Object.freeze(config);
}

async function parseDefault(name: string, parser: Parser<unknown>, text: string): Promise<unknown> {
  const parsed = await parser(text);
  if (!parsed.ok) throw new Error(`the declared default of ${name} is invalid: ${parsed.problem}`);
  return parsed.value;
}

function wrongKind(name: string, expected: string, raw: unknown): Error {
  return new Error(`${name} was handed ${JSON.stringify(raw)}; its declaration expects ${expected}`);
}

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
