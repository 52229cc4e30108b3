// The drill's memory cgroup: a child of the caller's own (cgroup v1) or made where cgroup v2 lets a child have its
// own memory.max, limited to a few tens of MiB with no swap, so the OOM killer can choose only the drill's hog.
// Everything it touches goes through CgroupFiles, so the v2 paths are tested on a fake cgroup tree.
import { access, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type OwnMemcg, readCounter } from '../guard/memcg.js';
import { isProcessAlive } from '../guard/proc-stat.js';

/** The file operations on the cgroup filesystem (the real one, or a fake tree in tests). */
export interface CgroupFiles {
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Names in a folder; empty when it cannot be listed. */
  list(dir: string): Promise<string[]>;
}

export const KERNEL_CGROUP_FILES: CgroupFiles = {
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, data) => writeFile(path, data),
  mkdir: async (path) => {
    await mkdir(path);
  },
  rmdir: (path) => rmdir(path),
  list: (dir) => readdir(dir).catch(() => []),
  exists: (path) =>
    access(path).then(
      () => true,
      () => false,
    ),
};

/** Where the drill's cgroup is made: the parent folder and its path as /proc/PID/cgroup names it. */
export interface CgroupPlace {
  readonly version: 1 | 2;
  readonly parentDir: string;
  readonly parentPath: string;
}

/**
 * v1: under the caller's own memory cgroup. v2 forbids a cgroup with processes to give the memory controller to its
 * children, so a child of ours has its own memory.max only when our cgroup already delegates memory (the root, a
 * delegated scope); else the child is made next to ours, when our parent delegates memory (a systemd slice does).
 * Nothing is enabled here: the drill changes no cgroup but its own.
 */
export async function placeFor(
  own: OwnMemcg,
  files: CgroupFiles = KERNEL_CGROUP_FILES,
): Promise<CgroupPlace> {
  if (own.version === 1) return { version: 1, parentDir: own.dir, parentPath: own.cgroupPath };
  const delegates = async (dir: string) =>
    (await files.readFile(join(dir, 'cgroup.subtree_control')).catch(() => ''))
      .split(/\s+/)
      .includes('memory');
  if (await delegates(own.dir)) return { version: 2, parentDir: own.dir, parentPath: own.cgroupPath };
  if (own.cgroupPath !== '/') {
    const parentDir = join(own.dir, '..');
    if (await delegates(parentDir)) {
      return { version: 2, parentDir, parentPath: own.cgroupPath.replace(/\/[^/]+$/, '') || '/' };
    }
  }
  throw new Error(
    `cgroup v2: neither ${own.dir} nor its parent gives the memory controller to its children ` +
      '(cgroup.subtree_control has no "memory"), so no cgroup with its own memory.max can be made here; run it in ' +
      'a delegated scope: systemd-run --scope -p Delegate=yes oomsleuth drill',
  );
}

export interface DrillCgroup {
  readonly version: 1 | 2;
  readonly dir: string;
  /** As the kernel prints it in `oom_memcg=` (outside a cgroup namespace). */
  readonly cgroupPath: string;
  readonly limitBytes: number;
  /** Kills by the OOM killer in this cgroup so far (v1 memory.oom_control, v2 memory.events). */
  oomKills(): Promise<number>;
  /** SIGKILLs whatever is left in it, then removes it (retrying while the kernel still holds it). */
  remove(timeoutMs?: number): Promise<void>;
}

/** Makes the cgroup `name` at `place` with a memory limit of `limitBytes` and no swap. */
export async function createDrillCgroup(
  place: CgroupPlace,
  name: string,
  limitBytes: number,
  files: CgroupFiles = KERNEL_CGROUP_FILES,
): Promise<DrillCgroup> {
  const dir = join(place.parentDir, name);
  const cgroup = new Cgroup(
    place.version,
    dir,
    place.parentPath === '/' ? `/${name}` : `${place.parentPath}/${name}`,
    limitBytes,
    files,
  );
  await sweepLeftovers(place.parentDir, files);
  await files.mkdir(dir);
  try {
    await cgroup.limit();
  } catch (error) {
    await cgroup.remove().catch(() => undefined);
    throw new Error(`cannot set the memory limit of ${dir}: ${(error as Error).message}`, { cause: error });
  }
  return cgroup;
}

const DRILL_CGROUP = /^oomsleuth-drill-(?<pid>\d+)-/;

/** Empty drill cgroups whose drill is gone (killed before its cleanup): removed before a new one is made. */
async function sweepLeftovers(parentDir: string, files: CgroupFiles): Promise<void> {
  for (const name of await files.list(parentDir)) {
    const creator = DRILL_CGROUP.exec(name)?.groups?.pid;
    if (creator === undefined || isProcessAlive(Number(creator))) continue;
    const dir = join(parentDir, name);
    // Members unknown or present: left alone, rather than remove a cgroup something uses.
    const members = await files.readFile(join(dir, 'cgroup.procs')).catch(() => 'unknown');
    if (members.trim() === '') await files.rmdir(dir).catch(() => undefined);
  }
}

class Cgroup implements DrillCgroup {
  constructor(
    readonly version: 1 | 2,
    readonly dir: string,
    readonly cgroupPath: string,
    readonly limitBytes: number,
    private readonly files: CgroupFiles,
  ) {}

  async limit(): Promise<void> {
    const bytes = String(this.limitBytes);
    const file = (name: string) => join(this.dir, name);
    if (this.version === 1) {
      await this.files.writeFile(file('memory.limit_in_bytes'), bytes);
      // With swap accounting, memory+swap must be capped too, or the hog swaps instead of being killed.
      if (await this.files.exists(file('memory.memsw.limit_in_bytes'))) {
        await this.files.writeFile(file('memory.memsw.limit_in_bytes'), bytes);
      }
      return;
    }
    await this.files.writeFile(file('memory.max'), bytes);
    if (await this.files.exists(file('memory.swap.max')))
      await this.files.writeFile(file('memory.swap.max'), '0');
  }

  async oomKills(): Promise<number> {
    const file = join(this.dir, this.version === 1 ? 'memory.oom_control' : 'memory.events');
    const count = readCounter(await this.files.readFile(file), 'oom_kill');
    if (count === undefined) throw new Error(`${file} has no oom_kill line (kernel older than 4.13?)`);
    return count;
  }

  async remove(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown = null;
    while (Date.now() < deadline) {
      let members: number[];
      try {
        members = (await this.files.readFile(join(this.dir, 'cgroup.procs')))
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map(Number);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const pid of members) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      try {
        await this.files.rmdir(this.dir);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return;
        // EBUSY right after the last member died: the kernel still holds a reference for a moment.
        lastError = error;
        await sleep(50);
      }
    }
    throw new Error(
      `${this.dir} is still there after ${timeoutMs} ms (${(lastError as Error | null)?.message ?? 'members left'}); ` +
        `remove it by hand: kill -9 $(cat ${this.dir}/cgroup.procs); rmdir ${this.dir}`,
    );
  }
}
