// A command's declared options, registered with commander: commander reads argv and writes --help from them; it
// checks no value (it would stop at the first bad one), and it sets no default (validateOptions applies them, so a
// loader called without commander, as tests do, gets the same ones). --help shows each default and choice list.
import { type Command, Option } from 'commander';
import type { OptionSpec, OptionSpecs } from './option-spec.js';

export function registerOptions(command: Command, specs: OptionSpecs): Command {
  for (const [key, spec] of Object.entries(specs)) {
    const option = new Option(spec.flags, helpLine(spec));
    // Commander stores a value under a name it derives from the flag; a declaration keyed otherwise would never be
    // read. Caught at the first start of the CLI, so in any CLI test.
    if (option.attributeName() !== key) {
      throw new Error(
        `${spec.name} is declared as "${key}", but commander names its value "${option.attributeName()}"`,
      );
    }
    if (spec.kind === 'list') option.argParser(collect);
    command.addOption(option);
  }
  return command;
}

/** The help text with what commander would append: `(choices: "oom", "any-oom")`, `(default: "1m")`. */
export function helpLine(spec: OptionSpec): string {
  const extra: string[] = [];
  if (spec.kind !== 'switch' && spec.parser.choices !== undefined) {
    extra.push(`choices: ${spec.parser.choices.map((c) => JSON.stringify(c)).join(', ')}`);
  }
  if (spec.kind === 'value' && spec.default !== undefined)
    extra.push(`default: ${JSON.stringify(spec.default)}`);
  else if (spec.kind !== 'switch' && spec.defaultHelp !== undefined)
    extra.push(`default: ${spec.defaultHelp}`);
  return extra.length === 0 ? spec.help : `${spec.help} (${extra.join(', ')})`;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
