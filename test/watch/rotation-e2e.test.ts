// (b) logrotate-style rotations of running.log while `oomsleuth watch` (the built CLI) follows it — a rename-and-create
// and a copytruncate, each with lines written just before it that watch had not read yet — then a death of the app
// (a cliff and a new startup): the incident's bundle holds the last 200 lines before the cliff, none lost or doubled.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CLI, WatchProcess } from './support/watch-process.js';

const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const pad = (n: number) => String(n).padStart(2, '0');
/** Go's log package: local time, whole seconds, as AnQiCMS writes running.log. */
function stamp(d = new Date()): string {
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
const numbered = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${stamp()} request ${from + i} served\n`).join('');

test('(b) rename and copytruncate of running.log during a run: no line lost or doubled', {
  timeout: 60_000,
}, async () => {
  await access(CLI).catch(() =>
    assert.fail(`${CLI} is missing: build the CLI first (npx tsc -p tsconfig.build.json)`),
  );
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-rotation-e2e-'));
  if (process.env.KEEP !== '1') cleanups.push(() => rm(dir, { recursive: true, force: true }));
  else console.log(dir);
  const log = path.join(dir, 'running.log');
  const db = path.join(dir, 'oomsleuth.db');
  writeFileSync(log, `${stamp()} /www/wwwroot/e2eapp/\n`);
  const watch = new WatchProcess([log, '--app', 'e2eapp', '--db', db, '--settle', '1s', '--json']);
  cleanups.push(() => watch.kill());
  await watch.waitForStderr(/watching/);

  const slowly = async (from: number, to: number) => {
    for (let n = from; n <= to; n += 5) {
      appendFileSync(log, numbered(n, Math.min(to, n + 4)));
      await sleep(5);
    }
  };
  await slowly(1, 100);
  // logrotate `create`: lines written just before the rename are read from the old file; the app (holding it open)
  // writes a few more there before it reopens its log.
  appendFileSync(log, numbered(101, 110));
  renameSync(log, `${log}.1`);
  appendFileSync(`${log}.1`, numbered(111, 115));
  writeFileSync(log, '');
  await sleep(50);
  appendFileSync(log, numbered(116, 120));
  await slowly(121, 170);
  // logrotate `copytruncate`: lines written since watch last read are in the copy only.
  appendFileSync(log, numbered(171, 180));
  renameSync(`${log}.1`, `${log}.2`);
  copyFileSync(log, `${log}.1`);
  truncateSync(log, 0);
  appendFileSync(log, numbered(181, 190));
  await slowly(191, 250);
  await sleep(200);
  // The cliff, then the next startup: a death.
  appendFileSync(log, `${stamp()} /www/wwwroot/e2eapp/\n${stamp()} request 1 served\n`);

  const line = await watch.waitForStderr(/incident (?<id>\S+): e2eapp/, 15_000);
  const id = line.groups!.id!;
  const { stdout } = await run(process.execPath, [CLI, 'incidents', 'show', id, '--db', db, '--json']);
  const shown = JSON.parse(stdout);
  const numbers = shown.bundle.appTail.map((l: { text: string }) =>
    Number(/request (?<n>\d+) served/.exec(l.text)?.groups?.n),
  );
  const want = Array.from({ length: 200 }, (_, i) => 51 + i);
  assert.deepEqual(numbers, want, `the last 200 lines before the cliff, once each:\n${watch.stderr}`);
  assert.match(watch.stderr, /rotated \(renamed and re-created\)/);
  assert.match(
    watch.stderr,
    /truncated \(copytruncate\); \d+ line\(s\) written before the copy were read from the copy/,
  );
  assert.equal(shown.incident.process, 'e2eapp');
  assert.equal(shown.incident.cause, 'unexplained');
  const printed = watch.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    printed.map((d) => d.id),
    [id],
  );
  assert.equal((await watch.stop()).code, 0);
});
