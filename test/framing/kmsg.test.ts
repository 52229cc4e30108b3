// /dev/kmsg records: priority, sequence, µs monotonic time, dictionary lines, \xNN escapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kmsg, unescapeKmsgText } from '../../src/framing/kmsg.js';
import { frameLines, frameOne } from './frame-lines.js';

test('fields: priority = prio & 7, seq, µs → seconds, monotonic stamp, ident kernel', () => {
  const record = frameOne(
    kmsg,
    '3,424,127553604,-;Memory cgroup out of memory: Killed process 2249 (anqicms)',
  );
  assert.equal(record.priority, 3);
  assert.equal(record.seq, 424);
  assert.deepEqual(record.stamp, { kind: 'monotonic', seconds: 127.553604 });
  assert.equal(record.monotonic, 127.553604);
  assert.equal(record.ident, 'kernel');
  assert.equal(record.bootId, null);
  assert.equal(record.message, 'Memory cgroup out of memory: Killed process 2249 (anqicms)');
});

test('dictionary lines after a record frame to null', () => {
  const records = frameLines(kmsg, [
    '5,284,414226,-;virtio_blk virtio1: [vda] 536870912 512-byte logical blocks (275 GB/256 GiB)',
    ' SUBSYSTEM=virtio',
    ' DEVICE=+virtio:virtio1',
  ]);
  assert.equal(records[0]?.seq, 284);
  assert.equal(records[1], null);
  assert.equal(records[2], null);
});

test('an embedded newline keeps the first line only', () => {
  const record = frameOne(
    kmsg,
    '4,287,417206,-;amd_pstate: The CPPC feature is supported but currently disabled by the BIOS.\\x0aPlease enable it if your BIOS has the CPPC option.',
  );
  assert.equal(
    record.message,
    'amd_pstate: The CPPC feature is supported but currently disabled by the BIOS.',
  );
});

test('escapes decode to bytes and then UTF-8; bad bytes become U+FFFD', () => {
  assert.equal(unescapeKmsgText('a\\x5cb'), 'a\\b');
  assert.equal(unescapeKmsgText('comm \\xe9\\x80\\x80\\xe5\\x87\\xba'), 'comm 退出');
  assert.equal(unescapeKmsgText('bad \\xff end'), 'bad \ufffd end');
  assert.equal(unescapeKmsgText('tab\\x09x'), 'tab\tx');
  assert.equal(unescapeKmsgText('upper\\x0Alost'), 'upper');
});

test('facility user (prio ≥ 8) is userspace: tag → ident and pid', () => {
  const record = frameOne(kmsg, '14,900,3120452,-;systemd[1]: Started x.');
  assert.equal(record.priority, 6);
  assert.equal(record.ident, 'systemd');
  assert.equal(record.pid, 1);
  assert.equal(record.message, 'Started x.');
});

test('newer kernels add comma fields after the flag (caller=…)', () => {
  const record = frameOne(kmsg, '6,1200,5000000,-,caller=T1;hello');
  assert.equal(record.seq, 1200);
  assert.equal(record.monotonic, 5);
  assert.equal(record.message, 'hello');
});

test('dictionary lines do not sniff; records do', () => {
  assert.equal(kmsg.sniff(' SUBSYSTEM=virtio'), false);
  assert.equal(kmsg.sniff('6,421,127553520,-;x'), true);
});
