// The drill's cgroup on fake cgroup trees: where cgroup v2 lets it be made, the limit files of v1 and v2, the
// oom_kill counter, and its removal. The real kernel's v1 path is run by drill.e2e.test.ts.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { MachineFacts } from '../../src/drill/drill.js';
import { oomReportOf, preflight } from '../../src/drill/drill.js';
import {
  type CgroupFiles,
  createDrillCgroup,
  KERNEL_CGROUP_FILES,
  placeFor,
} from '../../src/drill/drill-cgroup.js';
import { doublingsFor, hogScript } from '../../src/drill/hog.js';
import {
  dmesgLine,
  type KernelRecord,
  openDmesgWindow,
  parseDmesgRaw,
  parseRecord,
} from '../../src/drill/kernel-window.js';
import { OomsleuthError } from '../../src/errors.js';
import type { OwnMemcg } from '../../src/guard/memcg.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A fake cgroup v2 tree: /sys/fs/cgroup with a slice whose subtree_control is `parentControls`. */
async function fakeV2(ownControls: string, parentControls: string): Promise<{ own: OwnMemcg; root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'oomsleuth-fake-cgroup-'));
  dirs.push(root);
  const slice = join(root, 'system.slice');
  const own = join(slice, 'app.service');
  await mkdir(own, { recursive: true });
  await writeFile(join(slice, 'cgroup.subtree_control'), parentControls);
  await writeFile(join(own, 'cgroup.subtree_control'), ownControls);
  return { own: { version: 2, mountPoint: root, cgroupPath: '/system.slice/app.service', dir: own }, root };
}

/** The kernel's side of mkdir and rmdir in cgroupfs: a new cgroup comes with its files, rmdir takes them along. */
function kernelLike(created: string[]): CgroupFiles {
  return {
    ...KERNEL_CGROUP_FILES,
    mkdir: async (path) => {
      await mkdir(path);
      created.push(path);
      for (const [name, text] of Object.entries({
        'cgroup.procs': '',
        'memory.max': 'max\n',
        'memory.swap.max': 'max\n',
        'memory.events': 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n',
      })) {
        await writeFile(join(path, name), text);
      }
    },
    rmdir: (path) => rm(path, { recursive: true }),
  };
}

test('v2: a cgroup that delegates memory is the parent of the drill cgroup', async () => {
  const { own } = await fakeV2('cpu memory pids', 'cpu memory pids');
  assert.deepEqual(await placeFor(own), {
    version: 2,
    parentDir: own.dir,
    parentPath: '/system.slice/app.service',
  });
});

test('v2: an own cgroup with processes (no memory delegated) puts it next to ours, under the slice', async () => {
  const { own } = await fakeV2('', 'cpu io memory pids');
  const place = await placeFor(own);
  assert.equal(place.parentPath, '/system.slice');
  assert.equal(place.parentDir, join(own.dir, '..'));
});

test('v2: neither delegates memory — the reason names the systemd-run fix', async () => {
  const { own } = await fakeV2('', 'cpu pids');
  await assert.rejects(
    placeFor(own),
    /cgroup\.subtree_control has no "memory".*systemd-run --scope -p Delegate=yes oomsleuth drill/,
  );
});

test('v2: memory.max and memory.swap.max=0 are written, memory.events counts kills, rmdir removes it', async () => {
  const { own } = await fakeV2('memory', 'memory');
  const created: string[] = [];
  const files = kernelLike(created);
  const cgroup = await createDrillCgroup(await placeFor(own), 'oomsleuth-drill-1-oom-x', 32 * 2 ** 20, files);
  assert.equal(cgroup.version, 2);
  assert.equal(cgroup.cgroupPath, '/system.slice/app.service/oomsleuth-drill-1-oom-x');
  assert.equal(await readFile(join(cgroup.dir, 'memory.max'), 'utf8'), String(32 * 2 ** 20));
  assert.equal(await readFile(join(cgroup.dir, 'memory.swap.max'), 'utf8'), '0');
  assert.equal(await cgroup.oomKills(), 0);
  await writeFile(
    join(cgroup.dir, 'memory.events'),
    'low 0\nhigh 0\nmax 17\noom 1\noom_kill 1\noom_group_kill 0\n',
  );
  assert.equal(await cgroup.oomKills(), 1);
  await cgroup.remove();
  assert.equal(await KERNEL_CGROUP_FILES.exists(cgroup.dir), false);
  await cgroup.remove(); // gone already: nothing to do, no error
});

test("a leftover drill cgroup whose drill is gone is swept when the next one is made; a live drill's is not", async () => {
  const { own } = await fakeV2('memory', 'memory');
  const files = kernelLike([]);
  // pid 2^22+1 is above pid_max's highest default: no such process.
  for (const name of [
    'oomsleuth-drill-4194305-oom-old',
    `oomsleuth-drill-${process.pid}-oom-live`,
    'other-cgroup',
  ]) {
    await files.mkdir(join(own.dir, name));
  }
  const cgroup = await createDrillCgroup(await placeFor(own), 'oomsleuth-drill-5-oom-x', 16 * 2 ** 20, files);
  const left = (await files.list(own.dir)).filter((n) => !n.includes('.')).sort();
  assert.deepEqual(
    left,
    ['oomsleuth-drill-5-oom-x', `oomsleuth-drill-${process.pid}-oom-live`, 'other-cgroup'].sort(),
  );
  await cgroup.remove();
});

test('v2: a kernel without swap accounting (no memory.swap.max) gets memory.max alone', async () => {
  const { own } = await fakeV2('memory', 'memory');
  const files = kernelLike([]);
  const noSwap: CgroupFiles = {
    ...files,
    mkdir: async (path) => {
      await files.mkdir(path);
      await rm(join(path, 'memory.swap.max'));
    },
  };
  const cgroup = await createDrillCgroup(
    await placeFor(own),
    'oomsleuth-drill-2-oom-x',
    16 * 2 ** 20,
    noSwap,
  );
  assert.equal(await KERNEL_CGROUP_FILES.exists(join(cgroup.dir, 'memory.swap.max')), false);
  await cgroup.remove();
});

test('a limit that cannot be written removes the cgroup it made and says which', async () => {
  const { own } = await fakeV2('memory', 'memory');
  const files = kernelLike([]);
  const refusing: CgroupFiles = {
    ...files,
    writeFile: async () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    },
  };
  await assert.rejects(
    createDrillCgroup(await placeFor(own), 'oomsleuth-drill-3-oom-x', 16 * 2 ** 20, refusing),
    /cannot set the memory limit of .*oomsleuth-drill-3-oom-x: EACCES/,
  );
  assert.equal(await KERNEL_CGROUP_FILES.exists(join(own.dir, 'oomsleuth-drill-3-oom-x')), false);
});

test('v1: memory.limit_in_bytes and, with swap accounting, memory.memsw.limit_in_bytes', async () => {
  const root = await mkdtemp(join(tmpdir(), 'oomsleuth-fake-cgroup-'));
  dirs.push(root);
  const files: CgroupFiles = {
    ...KERNEL_CGROUP_FILES,
    mkdir: async (path) => {
      await mkdir(path);
      await writeFile(join(path, 'memory.memsw.limit_in_bytes'), '9223372036854771712\n');
      await writeFile(join(path, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n');
    },
    rmdir: (path) => rm(path, { recursive: true }),
  };
  const own: OwnMemcg = { version: 1, mountPoint: root, cgroupPath: '/', dir: root };
  const cgroup = await createDrillCgroup(await placeFor(own), 'oomsleuth-drill-4-oom-x', 32 * 2 ** 20, files);
  assert.equal(cgroup.cgroupPath, '/oomsleuth-drill-4-oom-x');
  assert.equal(await readFile(join(cgroup.dir, 'memory.limit_in_bytes'), 'utf8'), String(32 * 2 ** 20));
  assert.equal(await readFile(join(cgroup.dir, 'memory.memsw.limit_in_bytes'), 'utf8'), String(32 * 2 ** 20));
  assert.equal(await cgroup.oomKills(), 0);
  await cgroup.remove();
});

const machine = (changes: Partial<MachineFacts>): MachineFacts => ({
  platform: 'linux',
  uid: 0,
  panicOnOom: async () => '0',
  ownMemcg: async () => ({
    version: 1,
    mountPoint: '/sys/fs/cgroup/memory',
    cgroupPath: '/',
    dir: '/sys/fs/cgroup/memory',
  }),
  place: async () => ({ version: 1, parentDir: '/sys/fs/cgroup/memory', parentPath: '/' }),
  ...changes,
});

async function refusal(changes: Partial<MachineFacts>): Promise<string> {
  try {
    await preflight(machine(changes));
  } catch (error) {
    assert.ok(error instanceof OomsleuthError);
    assert.equal(error.code, 'OOMS_E_DRILL_REFUSED');
    return error.message;
  }
  assert.fail('preflight did not refuse');
}

test('drill refuses, saying why and what to do: not root, panic_on_oom=2, no controller, no v2 delegation', async () => {
  assert.match(
    await refusal({ uid: 1000 }),
    /^drill: needs root \(uid is 1000\).*run: sudo oomsleuth drill \[OOMS_E_DRILL_REFUSED\]$/,
  );
  assert.match(
    await refusal({ panicOnOom: async () => '2' }),
    /vm\.panic_on_oom=2.*sysctl -w vm\.panic_on_oom=0/,
  );
  assert.match(
    await refusal({
      ownMemcg: async () => {
        throw new Error('no memory cgroup controller: … boot with the memory controller enabled');
      },
    }),
    /^drill: no memory cgroup controller/,
  );
  assert.match(
    await refusal({
      place: async () => {
        throw new Error('cgroup v2: neither … run it in a delegated scope');
      },
    }),
    /delegated scope/,
  );
  assert.match(await refusal({ platform: 'darwin' }), /Linux only/);
  assert.deepEqual(await preflight(machine({})), {
    version: 1,
    parentDir: '/sys/fs/cgroup/memory',
    parentPath: '/',
  });
});

test('the hog stops by itself at twice the limit: 32 MiB is 22 doublings of 16 bytes', () => {
  assert.equal(doublingsFor(32 * 2 ** 20), 22);
  assert.equal(16 * 2 ** doublingsFor(32 * 2 ** 20), 64 * 2 ** 20);
  assert.match(
    hogScript(32 * 2 ** 20),
    /^echo \$\$ > "\$OOMSLEUTH_DRILL_CGROUP\/cgroup\.procs" \|\| exit 3\n/,
  );
});

// Verbatim records of a drill on this VM (kernel 6.x, cgroup v1), cut to the lines that matter.
const RECORDS = [
  '6,5001,1234392986,-;oomsleuth-drill invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
  '4,5002,1234392990,-;CPU: 3 PID: 5838 Comm: oomsleuth-drill Not tainted 6.1.0-27-amd64 #1  Debian 6.1.115-1',
  '12,5003,1234392991,-;oomsleuth-fake: Killed process 5838 (oomsleuth-drill) written by a user',
  '6,5004,1234393190,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/oomsleuth-drill-5816-oom-mx60upoe,task_memcg=/oomsleuth-drill-5816-oom-mx60upoe,task=oomsleuth-drill,pid=5838,uid=0',
  '3,5005,1234393201,-;Memory cgroup out of memory: Killed process 5838 (oomsleuth-drill) total-vm:59952kB, anon-rss:32756kB, file-rss:1496kB, shmem-rss:0kB, UID:0 pgtables:136kB oom_score_adj:0',
  '6,5006,1234393300,-;eth0: link up',
];

test("/dev/kmsg records: the kernel's are kept, a user's write into /dev/kmsg (facility 1) is not", () => {
  const records = RECORDS.map((r) => parseRecord(`${r}\n SUBSYSTEM=memory\n`)).filter(
    (r): r is KernelRecord => r !== null,
  );
  assert.equal(records.length, 5);
  assert.equal(
    records.some((r) => r.text.startsWith('oomsleuth-fake')),
    false,
  );
  assert.equal(
    dmesgLine(records[0]!),
    '[ 1234.392986] oomsleuth-drill invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
  );
  assert.equal(records[0]!.raw, RECORDS[0]);
});

test("the kill's report runs from its `invoked oom-killer` to its `Killed process`", () => {
  const records = RECORDS.map((r) => parseRecord(r)).filter((r): r is KernelRecord => r !== null);
  const report = oomReportOf(records, 5838);
  assert.deepEqual(
    report.map((r) => r.seq),
    [5001, 5002, 5004, 5005],
  );
  assert.deepEqual(oomReportOf(records, 9999), []);
});

test('dmesg --raw: kernel records with their stamps, a user write left out; the window starts after the last one', async () => {
  const before = '<6>[ 2149.500000] eth0: link up\n<12>[ 2149.510000] a user wrote this\n';
  const later = `${before}<6>[ 2149.522434] oomsleuth-drill invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)\n<3>[ 2149.522455] Memory cgroup out of memory: Killed process 12091 (oomsleuth-drill) total-vm:59952kB\n`;
  const records = parseDmesgRaw(later);
  assert.deepEqual(
    records.map((r) => [r.usec, r.raw]),
    [
      [2_149_500_000, '[ 2149.500000] eth0: link up'],
      [2_149_522_434, '[ 2149.522434] oomsleuth-drill invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)'],
      [
        2_149_522_455,
        '[ 2149.522455] Memory cgroup out of memory: Killed process 12091 (oomsleuth-drill) total-vm:59952kB',
      ],
    ],
  );
  const outputs = [before, later];
  const window = await openDmesgWindow(async () => outputs.shift() ?? later);
  assert.equal(window.via, 'dmesg');
  const seen = await window.collect((rs) => rs.some((r) => r.text.includes('Killed process 12091 (')), 1000);
  assert.deepEqual(
    seen.map((r) => r.usec),
    [2_149_522_434, 2_149_522_455],
  );
});
