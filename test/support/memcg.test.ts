// The cgroup detection is pure text work; these cases cover the layouts the real-kernel
// test may meet (only v1 can be run on the team VM, so v2 is checked here by its texts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locateMemcg, readCounter } from './memcg.js';

// Observed on the team VM (cgroup v1, hybrid: a cgroup2 mount without controllers).
const V1_MOUNTINFO = `30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;
const V1_CGROUP = `9:name=systemd:/
4:memory:/process_api/97853ca5a3b13686ae594a673d6e5909
0::/`;

const V2_MOUNTINFO =
  '25 20 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate';
const V2_CGROUP = '0::/user.slice/user-0.slice/session-3.scope';

const controllers = (map: Record<string, string>) => async (mountPoint: string) => map[mountPoint] ?? '';

test('v1: the memory hierarchy and the memory line of /proc/self/cgroup', async () => {
  const own = await locateMemcg(V1_MOUNTINFO, V1_CGROUP, controllers({ '/sys/fs/cgroup/unified': '' }));
  assert.deepEqual(own, {
    version: 1,
    mountPoint: '/sys/fs/cgroup/memory',
    cgroupPath: '/process_api/97853ca5a3b13686ae594a673d6e5909',
    dir: '/sys/fs/cgroup/memory/process_api/97853ca5a3b13686ae594a673d6e5909',
  });
});

test('v2: the unified mount whose cgroup.controllers lists memory', async () => {
  const own = await locateMemcg(
    V2_MOUNTINFO,
    V2_CGROUP,
    controllers({ '/sys/fs/cgroup': 'cpuset cpu io memory hugetlb pids rdma misc' }),
  );
  assert.equal(own.version, 2);
  assert.equal(own.dir, '/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope');
});

test('v2 without the memory controller is refused with the reason', async () => {
  await assert.rejects(
    locateMemcg(V2_MOUNTINFO, V2_CGROUP, controllers({ '/sys/fs/cgroup': 'cpu io pids' })),
    /no memory cgroup controller/,
  );
});

test('a mount of a sub-tree (root field not "/") maps the path below it', async () => {
  const mountinfo = '34 30 0:31 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory';
  const own = await locateMemcg(mountinfo, '4:memory:/docker/abc/app', controllers({}));
  assert.equal(own.dir, '/sys/fs/cgroup/memory/app');
});

test('oom_kill counters from memory.oom_control (v1) and memory.events (v2)', () => {
  assert.equal(readCounter('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n', 'oom_kill'), 3);
  assert.equal(readCounter('low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n', 'oom_kill'), 1);
  assert.equal(readCounter('oom_kill_disable 0\nunder_oom 0\n', 'oom_kill'), undefined);
});
