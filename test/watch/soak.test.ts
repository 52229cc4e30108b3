// Issue 13's promise under faults, checked by a model-based soak (support/soak.ts) of the built CLI: random sequences
// of kills, noise, rotations of both kinds, watch SIGKILL/SIGTERM/restart, a receiver down or failing, the same kill
// from the kernel ring and syslog — every planted kill stored exactly once and alerted under exactly one id, none lost.
// Bounded to about a minute here; `npm run soak` runs it for as long as asked (OOMSLEUTH_SOAK_SECONDS, --seconds).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSoak } from './support/soak.js';

const SECONDS = Number(process.env.OOMSLEUTH_SOAK_TEST_SECONDS ?? 45);
const seed = Number(process.env.OOMSLEUTH_SOAK_SEED ?? Date.now() % 1_000_000_007);

test(`soak: every kill stored once, alerted once, none lost, under faults (seed ${seed})`, {
  timeout: (SECONDS + 60) * 1000,
}, async () => {
  const result = await runSoak({ seed, durationMs: SECONDS * 1000, quiesceMs: 20_000 });
  const summary = `seed ${seed}: ${result.cycles} cycles, ${result.steps} steps, ${result.kills} kills (${result.kmsgDuplicates} also in kmsg), ${result.restarts.sigkill} SIGKILL, ${result.restarts.sigterm} SIGTERM, ${result.rotations.rename} rename, ${result.rotations.copytruncate} copytruncate`;
  console.log(summary);
  assert.deepEqual(result.failures, [], summary);
  assert.ok(result.kills > 0 && result.cycles > 0, summary);
  assert.equal(result.duplicateIncidents, 0);
  assert.equal(result.duplicateAlertIds, 0);
  assert.equal(result.lostIncidents, 0);
  assert.equal(result.lostAlerts, 0);
  assert.equal(result.strangers, 0);
  assert.deepEqual(result.warnings, [], 'watch printed no crash and leaked no file handle');
});
