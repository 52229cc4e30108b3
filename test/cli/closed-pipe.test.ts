// A reader that stops early (`oomsleuth analyze … --json | head -c100`, `oomsleuth incidents --json | head -1`) closes
// the pipe: the output ends quietly — no stack trace, and the exit status the command would have had anyway (0 here;
// never the `--fail-on` code by accident).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Incident } from '../../src/contract/analysis.js';
import { EMPTY_BUNDLE } from '../../src/store/records.js';
import { Store } from '../../src/store/store.js';
import { CLI } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'oomsleuth-pipe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI, reads the first chunk of its stdout, then closes the pipe as `head` does. */
function readFirstChunkThenClose(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`oomsleuth ${args.join(' ')} did not end after its stdout was closed`));
    }, 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Far more than a pipe holds (64 KiB), so the writer is still writing when the reader goes. */
function bigSyslog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const stamp = `10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    lines.push(
      `Jul 23 ${stamp} web1 kernel: Out of memory: Killed process ${1000 + i} (proc${i}) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:8000kB oom_score_adj:0`,
    );
  }
  const file = join(dir, 'syslog');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('analyze --json | head -c100: ends quietly with 0', async () => {
  const run = await readFirstChunkThenClose([
    'analyze',
    bigSyslog(),
    '--json',
    '--year',
    '2024',
    '--tz',
    'UTC',
  ]);
  assert.doesNotMatch(run.stderr, /EPIPE|Error|at /, 'no stack trace');
  assert.equal(run.code, 0);
});

test('analyze (terminal report) | head: ends quietly with 0', async () => {
  const run = await readFirstChunkThenClose(['analyze', bigSyslog(), '--year', '2024', '--tz', 'UTC']);
  assert.doesNotMatch(run.stderr, /EPIPE|Error|at /);
  assert.equal(run.code, 0);
});

test('incidents --json | head -1: ends quietly with 0', async () => {
  const db = join(dir, 'many.db');
  const store = await Store.open(db);
  for (let n = 0; n < 400; n++) {
    const incident: Incident = {
      process: 'anqicms',
      pid: 1000 + n,
      diedAt: new Date(Date.UTC(2024, 6, 23, 10, 0, n)).toISOString(),
      diedWithin: null,
      restartedAt: null,
      cause: 'oom-killer',
      confidence: 'confirmed',
      oom: null,
      missing: [],
      evidence: [
        {
          source: '/var/log/syslog',
          line: n,
          time: null,
          text: `kernel: Out of memory: Killed process ${1000 + n} (anqicms) ${'x'.repeat(200)}`,
          says: 'kernel OOM kill',
        },
      ],
    };
    const id = `i-${n}`;
    store.commitIncident({
      stored: {
        id,
        kind: 'app',
        app: 'anqicms',
        host: 'h',
        incident,
        finalizedMs: Date.now(),
        alertState: 'alerted',
        summaryId: null,
      },
      bundle: EMPTY_BUNDLE,
      claims: [id],
      positions: [],
      outbox: [],
    });
  }
  store.close();
  const run = await readFirstChunkThenClose(['incidents', '--db', db, '--json']);
  assert.doesNotMatch(run.stderr, /EPIPE|Error|at /);
  assert.equal(run.code, 0);
});
