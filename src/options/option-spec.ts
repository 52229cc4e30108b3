// How a command declares its flags, once, as data: the flag as commander writes it, the help line, the default and a
// typed parser. The same table registers the flags with commander (src/options/register.ts, so --help shows the
// defaults) and is read by validateOptions (src/options/validate.ts), which applies the defaults.

/** What a parser made of one value: the value, or what is wrong with it (said after the flag's name). */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

export function valid<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

/** `problem` follows the flag's name in the message: `"5" is not a duration…` → `--sample-interval "5" is not…`. */
export function invalid(problem: string): Parsed<never> {
  return { ok: false, problem };
}

/**
 * Turns the text of one flag value into a typed value. May be async: a parser that needs a heavy module (luxon for
 * times and zones) loads it only when its flag is given, because every command's declarations load at every start.
 */
export interface Parser<T> {
  (text: string): Parsed<T> | Promise<Parsed<T>>;
  /** The only values it accepts, when they are a short list: --help shows them. */
  readonly choices?: readonly string[];
}

interface Declared {
  /** As commander writes it: `--check-interval <duration>`, `--json`. */
  readonly flags: string;
  /** The long flag alone, `--check-interval`: how every problem with it starts. */
  readonly name: string;
  readonly help: string;
}

/** A flag with one value; given twice, the last one counts (commander's rule). */
export interface ValueOption<T> extends Declared {
  readonly kind: 'value';
  readonly parser: Parser<T>;
  /** Parsed like a given value when the flag is absent, and shown by --help. */
  readonly default?: string;
  /** When the default depends on other values and the loader works it out: what --help says it is. */
  readonly defaultHelp?: string;
}

/** A repeatable flag: one value per occurrence, in order. */
export interface ListOption<T> extends Declared {
  readonly kind: 'list';
  readonly parser: Parser<T>;
  /** Its values may hold tokens: a problem names a value by its position (`--webhook #2`), never repeats it. */
  readonly secret: boolean;
  readonly defaultHelp?: string;
}

/** A flag without a value: true when given. */
export interface SwitchOption extends Declared {
  readonly kind: 'switch';
}

export type OptionSpec = ValueOption<unknown> | ListOption<unknown> | SwitchOption;

/** A command's flags, keyed by the name commander gives each value (`--check-interval` → `checkInterval`). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The value validateOptions gives an option: a value with a default is always there; one without may be absent. */
export type OptionValue<O> = O extends SwitchOption
  ? boolean
  : O extends ListOption<infer T>
    ? readonly T[]
    : O extends ValueOption<infer T>
      ? O extends { readonly default: string }
        ? T
        : T | undefined
      : never;

export type OptionValues<S extends OptionSpecs> = { readonly [K in keyof S]: OptionValue<S[K]> };

/** A flag with one value. */
export function option<T>(
  flags: string,
  help: string,
  parser: Parser<T>,
  settings: { readonly default: string },
): ValueOption<T> & { readonly default: string };
export function option<T>(
  flags: string,
  help: string,
  parser: Parser<T>,
  settings?: { readonly defaultHelp?: string },
): ValueOption<T>;
export function option<T>(
  flags: string,
  help: string,
  parser: Parser<T>,
  settings: { readonly default?: string; readonly defaultHelp?: string } = {},
): ValueOption<T> {
  return Object.freeze({ kind: 'value', flags, name: longName(flags), help, parser, ...settings });
}

/** A flag that may be given several times. */
export function repeatable<T>(
  flags: string,
  help: string,
  parser: Parser<T>,
  settings: { readonly secret?: boolean; readonly defaultHelp?: string } = {},
): ListOption<T> {
  const { secret = false, ...rest } = settings;
  return Object.freeze({ kind: 'list', flags, name: longName(flags), help, parser, secret, ...rest });
}

/** A flag without a value. */
export function flag(flags: string, help: string): SwitchOption {
  return Object.freeze({ kind: 'switch', flags, name: longName(flags), help });
}

function longName(flags: string): string {
  const name = /--[a-z][a-z0-9-]*/.exec(flags)?.[0];
  if (name === undefined) throw new Error(`option "${flags}" has no long flag (--name)`);
  return name;
}
