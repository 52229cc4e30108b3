// `npm run soak`: issue 13's model-based soak (test/watch/support/soak.ts) for as long as asked, against the built CLI.
//   npm run soak -- --seconds 900 --seed 42        (or OOMSLEUTH_SOAK_SECONDS, OOMSLEUTH_SOAK_SEED, --cycles N)
// Prints one line per cycle and the figures at the end; exits 1 when a kill was lost, doubled or alerted twice.
import { parseArgs } from 'node:util';
import { runSoak } from '../test/watch/support/soak.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.OOMSLEUTH_SOAK_SECONDS ?? '900' },
    seed: { type: 'string', default: process.env.OOMSLEUTH_SOAK_SEED ?? String(Date.now() % 1_000_000_007) },
    cycles: { type: 'string', default: process.env.OOMSLEUTH_SOAK_CYCLES ?? '' },
    quiet: { type: 'boolean', default: false },
  },
});

const number = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`soak: --${name} "${text}" must be a positive number\n`);
    process.exit(2);
  }
  return n;
};

const seconds = number('seconds', values.seconds);
const seed = number('seed', values.seed);
const started = Date.now();
const result = await runSoak({
  seed,
  durationMs: seconds * 1000,
  ...(values.cycles ? { maxCycles: number('cycles', values.cycles) } : {}),
  ...(values.quiet ? {} : { log: (line: string) => process.stdout.write(`${line}\n`) }),
});
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
process.stdout.write(
  [
    `soak seed ${result.seed}, ${minutes} min: ${result.cycles} cycles, ${result.steps} steps`,
    `kills ${result.kills} (${result.kmsgDuplicates} also in the kmsg file)`,
    `watch SIGKILL ${result.restarts.sigkill}, SIGTERM ${result.restarts.sigterm}; rotations rename ${result.rotations.rename}, copytruncate ${result.rotations.copytruncate}`,
    `duplicates: incidents ${result.duplicateIncidents}, alert ids ${result.duplicateAlertIds}; lost: incidents ${result.lostIncidents}, alerts ${result.lostAlerts}; strangers ${result.strangers}`,
    `redeliveries of the same alert id (SIGKILL between delivery and its record): ${result.redeliveries}`,
    ...result.failures.map((f) => `FAIL ${f}`),
    ...result.warnings.map((w) => `WARN ${w}`),
  ].join('\n') + '\n',
);
process.exit(result.failures.length > 0 || result.warnings.length > 0 ? 1 : 0);
