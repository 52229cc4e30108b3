// /dev/kmsg given as a PATH: read to its last record and never wait for the next one (a plain read would block).
import assert from 'node:assert/strict';
import { constants, statSync } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { discoverInputs } from '../../src/sources/discover.js';
import { isKmsgDevice, type KmsgRead, readKmsgDevice, readRecords } from '../../src/sources/kmsg-device.js';
import { runCli } from '../helpers/cli.js';
import { skipUnlessCi } from '../helpers/skip.js';

/** A device that hands out `records` one per read, then says EAGAIN (null) — or, with `flood`, never runs dry. */
function fakeDevice(records: readonly string[], flood = false): KmsgRead {
  let next = 0;
  return async (buffer) => {
    if (next >= records.length && !flood) return null;
    const record = records[next++ % records.length]!;
    return buffer.write(record, 0);
  };
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

test('records are read until the device has none left, dictionary lines kept, each record ending a line', async () => {
  const text = await collect(
    readRecords(
      fakeDevice([
        '6,1,100,-;Linux version 6.8.0\n',
        '6,2,200,-;virtio_net virtio1 ens3: renamed\n SUBSYSTEM=virtio\n DEVICE=+virtio:virtio1\n',
        '3,3,300,-;Memory cgroup out of memory: Killed process 2249 (anqicms)',
      ]),
    ),
  );
  assert.equal(
    text,
    '6,1,100,-;Linux version 6.8.0\n6,2,200,-;virtio_net virtio1 ens3: renamed\n SUBSYSTEM=virtio\n DEVICE=+virtio:virtio1\n3,3,300,-;Memory cgroup out of memory: Killed process 2249 (anqicms)\n',
  );
});

test('a kernel that writes faster than we read cannot keep the read going: it stops past the ring size', async () => {
  const record = `6,1,100,-;${'x'.repeat(90)}\n`;
  const text = await collect(readRecords(fakeDevice([record], true), 10_000));
  assert.ok(text.length >= 10_000 && text.length < 10_000 + record.length * 2, `${text.length} bytes`);
});

test('only the kmsg character device (1:11) is read as /dev/kmsg; files and other devices are not', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-kmsg-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'kmsg');
  await writeFile(file, '6,1,100,-;saved record\n');
  assert.equal(isKmsgDevice(statSync(file)), false);
  assert.equal(isKmsgDevice(statSync('/dev/null')), false);
  const [saved] = (await discoverInputs([file])).inputs;
  assert.equal(saved?.kmsg, undefined, 'a saved copy is a plain file');
  if (!(await readable('/dev/kmsg'))) {
    skipUnlessCi(t, 'no readable /dev/kmsg here (a container without it, or not root with dmesg_restrict=1)');
    return;
  }
  assert.equal(isKmsgDevice(statSync('/dev/kmsg')), true);
  const [device] = (await discoverInputs(['/dev/kmsg'])).inputs;
  assert.equal(device?.kmsg, true);
});

test('the real /dev/kmsg is read to its end and the read ends', async (t) => {
  if (!(await readable('/dev/kmsg'))) {
    skipUnlessCi(t, 'no readable /dev/kmsg here (a container without it, or not root with dmesg_restrict=1)');
    return;
  }
  const text = await collect(readKmsgDevice('/dev/kmsg'));
  const records = text.split('\n').filter((line) => /^\d+,\d+,\d+,/.test(line));
  assert.ok(records.length > 0, 'the ring holds records since boot');
  const seqs = records.map((line) => Number(line.split(',')[1]));
  assert.ok(
    seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!),
    'oldest first, each record once',
  );
});

test('analyze /dev/kmsg ends, reads the ring as kmsg and places it in wall-clock time, saying how', async (t) => {
  if (!(await readable('/dev/kmsg'))) {
    skipUnlessCi(t, 'no readable /dev/kmsg here (a container without it, or not root with dmesg_restrict=1)');
    return;
  }
  // Before the fix the read waited for the next kernel record: the run never ended.
  const run = await runCli(['analyze', '/dev/kmsg', '--json', '--tz', 'UTC'], { timeoutMs: 30_000 });
  assert.equal(run.code, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  const source = analysis.sources.find((s: { path: string }) => s.path === '/dev/kmsg');
  assert.equal(source.format, 'kmsg');
  assert.ok(source.lines > 0);
  assert.ok(source.first !== null, 'its stamps are placed in wall-clock time');
  // The ring's own audit(…) stamps win over /proc/stat btime when the ring holds any (CI machines often do):
  // either way the note says where the boot time came from.
  assert.match(
    source.notes.join('\n'),
    /boot time .* (from \/proc\/stat btime|learned from the kernel's audit records)/,
  );
});

async function readable(file: string): Promise<boolean> {
  try {
    await access(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
