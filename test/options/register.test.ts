// Registration with commander: the flags, --help with the declared defaults and choices, no value checked or
// defaulted by commander (so that validateOptions sees what was typed, and reports every problem).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { analyzeCommand } from '../../src/cli/analyze.js';
import { guardCommand } from '../../src/cli/guard.js';
import { incidentsCommand } from '../../src/cli/incidents.js';
import { watchCommand } from '../../src/cli/watch.js';
import { duration } from '../../src/options/duration.js';
import { flag, option, repeatable } from '../../src/options/option-spec.js';
import { helpLine, registerOptions } from '../../src/options/register.js';
import { nonEmpty, oneOf } from '../../src/options/text.js';

const SPECS = {
  checkInterval: option('--check-interval <duration>', 'heartbeat period', duration({ min: '1s' }), {
    default: '1m',
  }),
  pidFile: option('--pid-file <file>', "the guard's pid file", nonEmpty('a file name'), {
    defaultHelp: 'NAME.guard.pid next to check.log',
  }),
  failOn: option('--fail-on <what>', 'exit 1 on an OOM kill', oneOf(['oom', 'any-oom'])),
  webhook: repeatable('--webhook <url>', 'POST here', nonEmpty('a URL'), { secret: true }),
  json: flag('--json', 'print JSON'),
} as const;

test('help lines show the declared default, or what the loader works out, and the choices', () => {
  assert.equal(helpLine(SPECS.checkInterval), 'heartbeat period (default: "1m")');
  assert.equal(helpLine(SPECS.pidFile), "the guard's pid file (default: NAME.guard.pid next to check.log)");
  assert.equal(helpLine(SPECS.failOn), 'exit 1 on an OOM kill (choices: "oom", "any-oom")');
  assert.equal(helpLine(SPECS.json), 'print JSON');
});

test('commander reads the flags as text, collects repeated ones, and neither checks nor defaults a value', () => {
  const command = registerOptions(new Command('demo').exitOverride(), SPECS);
  command.parse(['--fail-on', 'bad', '--webhook', 'a', '--webhook', 'b', '--json'], { from: 'user' });
  assert.deepEqual(command.opts(), { failOn: 'bad', webhook: ['a', 'b'], json: true });
});

test('a declaration keyed otherwise than commander names its value is refused at once', () => {
  assert.throws(
    () => registerOptions(new Command('demo'), { interval: SPECS.checkInterval }),
    /declared as "interval", but commander names its value "checkInterval"/,
  );
});

test('every command registers its declarations', () => {
  for (const command of [analyzeCommand(), guardCommand(), watchCommand(), incidentsCommand()]) {
    assert.ok(command.options.length > 0, command.name());
  }
  const guardHelp = guardCommand().helpInformation({ error: false });
  assert.match(guardHelp, /--check-interval <duration>\s+heartbeat period \(default: "1m"\)/);
});
