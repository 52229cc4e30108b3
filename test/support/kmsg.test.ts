// Record parsing and dmesg rendering of the kernel-log capture, on real lines from the
// team VM (6.18): the rendering must be byte-identical to what util-linux dmesg prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDmesgRaw, parseKmsgRecord, renderDmesg, unescapeKmsg } from './kmsg.js';

const KILLED =
  'Memory cgroup out of memory: Killed process 6132 (anqicms) total-vm:1090780kB, anon-rss:72324kB, file-rss:37244kB, shmem-rss:0kB, UID:0 pgtables:648kB oom_score_adj:0';

test('a /dev/kmsg record: prio, seq, usec, text', () => {
  const record = parseKmsgRecord(`3,420,597400827,-;${KILLED}\n`);
  assert.deepEqual(record, {
    prio: 3,
    seq: 420,
    usec: 597400827,
    text: KILLED,
    raw: `3,420,597400827,-;${KILLED}`,
  });
});

test('dictionary lines stay in raw but not in text', () => {
  const record = parseKmsgRecord(
    '5,284,414226,-;virtio_blk virtio1: [vda] 512-byte blocks\n SUBSYSTEM=virtio\n',
  );
  assert.equal(record?.text, 'virtio_blk virtio1: [vda] 512-byte blocks');
  assert.ok(record?.raw.endsWith('\n SUBSYSTEM=virtio'));
});

test('not a record: null, no throw', () => {
  assert.equal(parseKmsgRecord('hello'), null);
  assert.equal(parseKmsgRecord('a,b,c;d'), null);
});

test('rendered as dmesg prints it', () => {
  assert.deepEqual(renderDmesg({ usec: 597400827, text: KILLED }), [`[  597.400827] ${KILLED}`]);
  assert.deepEqual(renderDmesg({ usec: 1220315, text: 'x' }), ['[    1.220315] x']);
  assert.deepEqual(renderDmesg({ usec: 189937363110, text: 'x' }), ['[189937.363110] x']);
});

test('an escaped newline continues under the stamp; escaped UTF-8 comes back', () => {
  assert.deepEqual(
    renderDmesg({ usec: 417206, text: 'amd_pstate: disabled by the BIOS.\\x0aPlease enable it.' }),
    ['[    0.417206] amd_pstate: disabled by the BIOS.', '               Please enable it.'],
  );
  assert.equal(unescapeKmsg('\\xe5\\xae\\x89 ok'), '安 ok');
});

test('dmesg -r output: records with stamps, continuation lines glued', () => {
  const records = parseDmesgRaw(
    `<4>[  597.400245] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n<3>[  597.400827] ${KILLED}\n<4>[    0.417206] a\n               b\n`,
  );
  assert.equal(records.length, 3);
  assert.equal(records[1]?.prio, 3);
  assert.equal(records[1]?.usec, 597400827);
  assert.equal(records[1]?.seq, null);
  assert.deepEqual(renderDmesg(records[2] ?? { usec: 0, text: '' }), [
    '[    0.417206] a',
    '               b',
  ]);
});
