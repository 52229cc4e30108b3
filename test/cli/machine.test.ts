// `oomsleuth analyze FOLDER --machine`: the app's folder and this machine's own kernel and system logs together,
// the latter placed with this machine's boot time from /proc/stat. The machine's `dmesg` and `journalctl` are
// stand-ins on PATH (printing a real kernel OOM report), so the test does not depend on what this machine logged;
// /var/log and /proc/stat are the real ones.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readBootTime } from '../../src/sources/live.js';
import { runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { skipUnlessCi } from '../helpers/skip.js';

/** A real memcg OOM kill captured from this project's e2e test (test/fixtures/real-kernel/), booted at FIXTURE_BOOT. */
const FIXTURE = new URL('../fixtures/real-kernel/memcg-v1-anqicms/', import.meta.url).pathname;
const FIXTURE_BOOT_MS = Date.parse('2026-11-27T01:17:57Z');
const KILL_MONOTONIC_S = 709.637417;

/** Moves every `20261127 01:29:45` / `2026/11/27 01:29:45` stamp (read in UTC) by `deltaMs`. */
function shiftStamps(text: string, deltaMs: number): string {
  const stamp = /^(?<y>\d{4})\/?(?<mo>\d{2})\/?(?<d>\d{2}) (?<time>\d{2}:\d{2}:\d{2})/gm;
  return text.replace(stamp, (whole, ...rest) => {
    const g = rest.at(-1) as Record<string, string>;
    const at = new Date(Date.parse(`${g.y}-${g.mo}-${g.d}T${g.time}Z`) + deltaMs).toISOString();
    const [date, time] = [at.slice(0, 10), at.slice(11, 19)];
    const slashed = whole.includes('/');
    return `${slashed ? date.replaceAll('-', '/') : date.replaceAll('-', '')} ${time}`;
  });
}

test("analyze FOLDER --machine reads the folder, this machine's dmesg and journal, placed by /proc/stat btime", async (t) => {
  const bootMs = await readBootTime();
  if (bootMs === null) {
    skipUnlessCi(t, 'no /proc/stat btime here: the machine boot time cannot be read');
    return;
  }
  const root = await mkdtemp(path.join(tmpdir(), 'oomsleuth-machine-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  // The app's folder: its guardian and app logs, moved to this machine's boot, and a dmesg saved at an earlier boot.
  const app = path.join(root, 'anqicms');
  await mkdir(app);
  const delta = bootMs - FIXTURE_BOOT_MS;
  for (const name of ['check.log', 'running.log']) {
    await writeFile(
      path.join(app, name),
      shiftStamps(await readFile(path.join(FIXTURE, name), 'utf8'), delta),
    );
  }
  await writeFile(
    path.join(app, 'dmesg-before-reboot.txt'),
    '[  512.000000] Out of memory: Killed process 999 (mysqld) total-vm:1000kB, anon-rss:800kB, file-rss:0kB, shmem-rss:0kB, UID:27 pgtables:100kB oom_score_adj:0\n',
  );
  // This machine's dmesg prints the captured ring buffer; its journal holds nothing of interest.
  const bin = path.join(root, 'bin');
  await mkdir(bin);
  await writeFile(path.join(bin, 'dmesg'), `#!/bin/sh\nexec cat '${path.join(FIXTURE, 'dmesg.txt')}'\n`);
  await writeFile(path.join(bin, 'journalctl'), '#!/bin/sh\nexit 0\n');
  await chmod(path.join(bin, 'dmesg'), 0o755);
  await chmod(path.join(bin, 'journalctl'), 0o755);

  const run = await runCli(['analyze', app, '--machine', '--json', '--tz', 'UTC'], {
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    timeoutMs: 60_000,
  });
  assert.equal(run.code, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  assert.deepEqual(schemaErrors(analysis), []);
  const paths = analysis.sources.map((s: { path: string }) => s.path);
  for (const expected of ['anqicms/check.log', 'anqicms/running.log', 'dmesg -r']) {
    assert.ok(paths.includes(expected), `${expected} is read (sources: ${paths.join(', ')})`);
  }
  assert.ok(
    paths.some((p: string) => p.startsWith('journalctl ')),
    'the journal is asked too',
  );
  assert.ok(
    paths.some((p: string) => p.startsWith('/var/log')),
    "this machine's /var/log is read, or said why not",
  );
  const dmesg = analysis.sources.find((s: { path: string }) => s.path === 'dmesg -r');
  assert.match(dmesg.notes.join('\n'), /boot time .* from \/proc\/stat btime/);

  const [incident] = analysis.incidents;
  assert.equal(analysis.incidents.length, 1, JSON.stringify(analysis.incidents, null, 1));
  assert.equal(incident.process, 'anqicms');
  assert.equal(incident.pid, 8167);
  assert.equal(incident.cause, 'oom-killer');
  assert.equal(incident.confidence, 'confirmed');
  const diedAt = Date.parse(incident.diedAt);
  assert.ok(Math.abs(diedAt - (bootMs + KILL_MONOTONIC_S * 1000)) < 1000, incident.diedAt);
  assert.ok(incident.evidence.some((e: { source: string }) => e.source === 'dmesg -r'));

  // A file saved at another boot is not placed with this boot's time: it says it needs --boot-time.
  const saved = analysis.sources.find((s: { path: string }) => s.path.endsWith('dmesg-before-reboot.txt'));
  assert.match(saved.problems.join('\n'), /no boot time could be learned .*\[OOMS_E_CLOCK_NO_BOOT_TIME\]/);
  assert.deepEqual(
    analysis.otherOomKills.map((k: { process: string; at: string | null }) => [k.process, k.at]),
    [['mysqld', null]],
  );
});

test('without --machine a folder is read alone', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'oomsleuth-machine-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await writeFile(path.join(root, 'check.log'), await readFile(path.join(FIXTURE, 'check.log'), 'utf8'));
  const run = await runCli(['analyze', root, '--json', '--tz', 'UTC']);
  assert.equal(run.code, 0, run.stderr);
  const paths = JSON.parse(run.stdout).sources.map((s: { path: string }) => s.path);
  assert.deepEqual(paths, [`${path.basename(root)}/check.log`]);
});
