// journalctl -o json: field extraction, the kernel receive-time trap, MESSAGE in all its shapes, malformed lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { journalFieldText, journalJson } from '../../src/framing/journal-json.js';
import { frameLines, frameOne } from './frame-lines.js';

const BOOT_ID = '66165ab1531d44038417129576ef7791';

function entry(fields: Record<string, unknown>): string {
  return JSON.stringify({ __REALTIME_TIMESTAMP: '1795740642354420', _BOOT_ID: BOOT_ID, ...fields });
}

test('kernel record: stamp = receive realtime, monotonic = source monotonic, boot, host, priority', () => {
  const record = frameOne(journalJson, journalJson.samples[0] ?? '');
  assert.deepEqual(record.stamp, { kind: 'instant', ms: 1795740637833.178 });
  assert.equal(record.monotonic, 127.553604);
  assert.equal(record.bootId, BOOT_ID);
  assert.equal(record.host, 'vm');
  assert.equal(record.ident, 'kernel');
  assert.equal(record.pid, null);
  assert.equal(record.priority, 3);
  assert.equal(record.seq, null);
  assert.match(record.message, /^Memory cgroup out of memory: Killed process 2249 \(anqicms\)/);
});

test('non-kernel record: _SOURCE_REALTIME_TIMESTAMP wins, else __REALTIME_TIMESTAMP; _PID, SYSLOG_IDENTIFIER', () => {
  const sourced = frameOne(
    journalJson,
    entry({
      _TRANSPORT: 'journal',
      _SOURCE_REALTIME_TIMESTAMP: '1795740642000001',
      _PID: '1',
      SYSLOG_IDENTIFIER: 'systemd',
      MESSAGE: 'x',
    }),
  );
  assert.deepEqual(sourced.stamp, { kind: 'instant', ms: 1795740642000.001 });
  assert.equal(sourced.pid, 1);
  assert.equal(sourced.ident, 'systemd');
  const received = frameOne(
    journalJson,
    entry({ _TRANSPORT: 'stdout', _COMM: 'anqicms', SYSLOG_PID: '7056', MESSAGE: 'y' }),
  );
  assert.deepEqual(received.stamp, { kind: 'instant', ms: 1795740642354.42 });
  assert.equal(received.ident, 'anqicms');
  assert.equal(received.pid, 7056);
});

test("a service's stdout keeps its unit (_SYSTEMD_UNIT): a `java` or `sh` identifier still names the service", () => {
  const stdout = frameOne(journalJson, journalJson.samples[1] ?? '');
  assert.equal(stdout.unit, 'anqicms.service');
  const java = frameOne(
    journalJson,
    entry({
      _TRANSPORT: 'stdout',
      SYSLOG_IDENTIFIER: 'java',
      _PID: '4242',
      _SYSTEMD_UNIT: 'halo.service',
      MESSAGE: 'j',
    }),
  );
  assert.equal(java.ident, 'java');
  assert.equal(java.unit, 'halo.service');
  // systemd's own lines about a unit carry it in UNIT=, not _SYSTEMD_UNIT: they are PID 1's, not the service's.
  const pid1 = frameOne(journalJson, journalJson.samples[2] ?? '');
  assert.equal(pid1.unit, null);
});

test('non-kernel record: monotonic is the receive-time __MONOTONIC_TIMESTAMP (pairs with __REALTIME for the boot time)', () => {
  const record = frameOne(
    journalJson,
    entry({ _TRANSPORT: 'stdout', __MONOTONIC_TIMESTAMP: '458637775', MESSAGE: 'z' }),
  );
  assert.equal(record.monotonic, 458.637775);
});

test('kernel record without _SOURCE_MONOTONIC_TIMESTAMP has no monotonic (the receive one would lie)', () => {
  const record = frameOne(
    journalJson,
    entry({ _TRANSPORT: 'kernel', __MONOTONIC_TIMESTAMP: '453116533', MESSAGE: 'k' }),
  );
  assert.equal(record.monotonic, null);
});

test('MESSAGE as an array of bytes is decoded as UTF-8, bad bytes replaced', () => {
  const bytes = [...new TextEncoder().encode('退出 terminated'), 0xff];
  const record = frameOne(journalJson, entry({ MESSAGE: bytes }));
  assert.equal(record.message, '退出 terminated\ufffd');
});

test('MESSAGE as an array of strings takes the first; null gives an empty message', () => {
  assert.equal(frameOne(journalJson, entry({ MESSAGE: ['first', 'second'] })).message, 'first');
  assert.equal(frameOne(journalJson, entry({ MESSAGE: null })).message, '');
  assert.equal(frameOne(journalJson, entry({})).message, '');
  assert.equal(journalFieldText([[104, 105], 'x']), 'hi');
  assert.equal(journalFieldText(42), null);
  assert.equal(journalFieldText([]), null);
});

test('malformed JSON, arrays, non-objects and blank lines frame to null without throwing', () => {
  const records = frameLines(journalJson, [
    '{"MESSAGE":"cut short',
    '[1,2,3]',
    'null',
    '',
    'not json at all',
    '{"__REALTIME_TIMESTAMP":"abc","PRIORITY":"9","_PID":"x","MESSAGE":"ok"}',
  ]);
  assert.deepEqual(records.slice(0, 5), [null, null, null, null, null]);
  const last = records[5];
  assert.ok(last);
  assert.equal(last.stamp.kind, 'none');
  assert.equal(last.priority, null);
  assert.equal(last.pid, null);
  assert.equal(last.message, 'ok');
});

test('json-seq record separators and CRLF are tolerated', () => {
  const record = frameOne(journalJson, `\u001e${entry({ MESSAGE: 'seq' })}\r`);
  assert.equal(record.message, 'seq');
});

test('the split oom-kill summary is glued across kernel records only', () => {
  const records = frameLines(journalJson, [
    entry({
      _TRANSPORT: 'kernel',
      SYSLOG_IDENTIFIER: 'kernel',
      MESSAGE: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0',
    }),
    entry({ _TRANSPORT: 'stdout', SYSLOG_IDENTIFIER: 'anqicms', MESSAGE: 'interleaved' }),
    entry({
      _TRANSPORT: 'kernel',
      SYSLOG_IDENTIFIER: 'kernel',
      MESSAGE: ',global_oom,task_memcg=/,task=firewalld,pid=5096,uid=0',
    }),
  ]);
  assert.equal(
    records[2]?.message,
    'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=firewalld,pid=5096,uid=0',
  );
});
