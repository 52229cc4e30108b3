// Log text that carries terminal escape sequences (a process named with an OSC 8 hyperlink, a line that clears the
// screen) reaches the terminal report, `incidents show` and stderr as text only: no control character gets out. The
// JSON keeps the line as found (JSON.stringify escapes the controls).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Incident } from '../../src/contract/analysis.js';
import { Store } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'oomsleuth-controls-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HYPERLINK = '\x1b]8;;http://evil\x07';
const CLEAR = '\x1b[2J\x1b[H';
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
/** Controls but the line breaks that separate the output's own lines. */
const controlIn = (out: string) => out.split('\n').find((line) => CONTROL.test(line));

test('analyze: the terminal report and stderr carry no control character from the logs', async () => {
  const logs = join(dir, 'logs');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(logs);
  writeFileSync(
    join(logs, 'syslog'),
    `Jul 23 10:03:47 web1 kernel: Out of memory: Killed process 12345 (${HYPERLINK}x) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:8000kB oom_score_adj:0 ${CLEAR}\n`,
  );
  // A file of no known format, named with an escape sequence: stderr names it.
  writeFileSync(join(logs, `notes${CLEAR}.txt`), 'hello\n');
  const run = await runCli(['analyze', logs, '--year', '2024', '--tz', 'UTC']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /12345/);
  assert.equal(controlIn(run.stdout), undefined, 'stdout');
  assert.match(run.stderr, /notes.*\.txt/);
  assert.equal(controlIn(run.stderr), undefined, 'stderr');
  const json = await runCli(['analyze', logs, '--year', '2024', '--tz', 'UTC', '--json']);
  assert.ok(
    JSON.parse(json.stdout).incidents[0].evidence[0].text.includes(HYPERLINK),
    'JSON keeps the line as found',
  );
});

test('incidents: the list and `show` carry no control character from the store', async () => {
  const db = join(dir, 'i.db');
  const store = await Store.open(db);
  const incident: Incident = {
    process: `${HYPERLINK}anqicms`,
    pid: 1,
    diedAt: '2024-07-23T10:03:47+08:00',
    diedWithin: null,
    restartedAt: null,
    cause: 'oom-killer',
    confidence: 'confirmed',
    oom: null,
    missing: [],
    evidence: [
      { source: '/var/log/syslog', line: 1, time: null, text: `kernel: ${CLEAR}x\x07`, says: 'kill' },
    ],
  };
  store.commitIncident({
    stored: {
      id: 'i-ctl',
      kind: 'app',
      app: 'anqicms',
      host: 'h',
      incident,
      finalizedMs: Date.now(),
      alertState: 'alerted',
      summaryId: null,
    },
    bundle: {
      oomBlock: [{ source: '/dev/kmsg', line: 3, text: `${CLEAR}Killed process 1` }],
      appTail: [{ source: 'running.log', line: 9, text: `${HYPERLINK}last words\r` }],
      guardian: [],
      memory: [],
    },
    claims: ['i-ctl'],
    positions: [],
    outbox: [],
  });
  store.close();
  const list = await runCli(['incidents', '--db', db]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /anqicms/);
  assert.equal(controlIn(list.stdout), undefined, 'list');
  const show = await runCli(['incidents', 'show', 'i-ctl', '--db', db]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /last words/);
  assert.equal(controlIn(show.stdout), undefined, 'show');
});
