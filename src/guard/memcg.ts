// A memory cgroup of our own: created under the caller's own memory cgroup, limited, and removed
// again. Only processes in it can be chosen by the OOM killer when its limit is hit (a memcg OOM),
// so an OOM takes the app alone. `oomsleuth guard --memory-limit` runs its child in one; the
// real-kernel tests use the same code for their throw-away cgroups (test/support/memcg.ts).
//
// cgroup v1 (memory controller mounted on its own hierarchy) and cgroup v2 (unified
// hierarchy with `memory` in cgroup.controllers) are both handled; which one applies is read
// from /proc/self/mountinfo and /proc/self/cgroup, never assumed from the path.
import { constants } from 'node:fs';
import { access, appendFile, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from './proc-stat.js';

export type CgroupVersion = 1 | 2;

export interface Memcg {
  readonly version: CgroupVersion;
  /** Directory of the cgroup in the cgroup filesystem. */
  readonly dir: string;
  /**
   * Path from the caller's cgroup namespace root (/proc/self/cgroup). Outside a cgroup
   * namespace it is what the kernel prints in `oom_memcg=…`; inside one (containers) the
   * kernel prints the full path, of which this is the tail.
   */
  readonly cgroupPath: string;
  readonly limitBytes: number;
  /** Moves a process (the whole thread group) into the cgroup. */
  addProcess(pid: number): Promise<void>;
  /** PIDs now in the cgroup. */
  pids(): Promise<number[]>;
  /** Kills by the OOM killer in this cgroup so far (v1 `memory.oom_control`, v2 `memory.events`). */
  oomKillCount(): Promise<number>;
  /** Memory charged to the cgroup now, and its limit (null when unlimited). */
  usage(): Promise<MemcgUsage>;
  /** Waits until the cgroup is empty (SIGKILLing stragglers after `graceMs`), then rmdirs it with retries. */
  remove(options?: { graceMs?: number; timeoutMs?: number }): Promise<void>;
}

export interface MemcgUsage {
  readonly usageBytes: number;
  /** null when the cgroup has no limit (`max`, or the page counter's maximum). */
  readonly limitBytes: number | null;
  /**
   * Page cache on the inactive list (memory.stat `total_inactive_file` in v1, `inactive_file` in v2): reclaimed before
   * any OOM kill, so usage minus this is the working set the OOM killer looks at. null/absent when unreadable.
   */
  readonly inactiveFileBytes?: number | null;
}

export type Availability = { ok: true } | { ok: false; reason: string };

/** Where the caller's memory cgroup lives, and in which hierarchy version. */
export interface OwnMemcg {
  version: CgroupVersion;
  /** Mount point of the hierarchy holding the memory controller. */
  mountPoint: string;
  /** The caller's cgroup path as /proc/self/cgroup gives it. */
  cgroupPath: string;
  /** The caller's cgroup directory. */
  dir: string;
}

/** Every cgroup this module creates is named `oomsleuth-<owner>-<creator pid>-…`; a leftover one (creator dead, empty) is swept. */
export const MEMCG_PREFIX = 'oomsleuth-';
const CREATOR = /^oomsleuth-[a-z0-9]+-(?<pid>\d+)-/;

interface Mount {
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

// mountinfo escapes space, tab, newline and backslash as \NNN (octal).
function unescapeMountField(field: string): string {
  return field.replace(/\\(?<oct>[0-7]{3})/g, (_all, oct: string) =>
    String.fromCharCode(Number.parseInt(oct, 8)),
  );
}

function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('cgroup')) continue;
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const leftFields = left.split(' ');
    const rightFields = right.split(' ');
    const root = leftFields[3];
    const mountPoint = leftFields[4];
    const fsType = rightFields[0];
    if (root === undefined || mountPoint === undefined || fsType === undefined) continue;
    mounts.push({
      root: unescapeMountField(root),
      mountPoint: unescapeMountField(mountPoint),
      fsType,
      superOptions: (rightFields[2] ?? '').split(','),
    });
  }
  return mounts;
}

// /proc/self/cgroup: `hierarchy-id:controller-list:path`; v2 is `0::path`.
function parseProcCgroup(text: string): { id: number; controllers: string[]; path: string }[] {
  const rows: { id: number; controllers: string[]; path: string }[] = [];
  for (const line of text.split('\n')) {
    const match = /^(?<id>\d+):(?<controllers>[^:]*):(?<path>.*)$/.exec(line);
    if (!match?.groups) continue;
    const { id = '', controllers = '', path = '/' } = match.groups;
    rows.push({ id: Number(id), controllers: controllers === '' ? [] : controllers.split(','), path });
  }
  return rows;
}

// The path in /proc/self/cgroup is relative to the cgroup namespace root; the mount shows
// `root` of the hierarchy. Outside a namespace both start at "/" and the path is appended.
function dirFor(mount: Mount, cgroupPath: string): string {
  const rel =
    mount.root !== '/' && (cgroupPath === mount.root || cgroupPath.startsWith(`${mount.root}/`))
      ? cgroupPath.slice(mount.root.length)
      : cgroupPath;
  return join(mount.mountPoint, rel);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch (error) {
    // Only "not there" (no swap accounting) is an answer; any other failure must not skip a limit silently.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** A cgroup2 mount's cgroup.controllers; '' when the file is not there (a mount that is no cgroup root). */
function readControllers(mountPoint: string): Promise<string> {
  return readFile(join(mountPoint, 'cgroup.controllers'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    // Any other failure is said (as the reason no memory cgroup can be found), not taken for "no controllers".
    if (error.code === 'ENOENT') return '';
    throw error;
  });
}

/** Finds the caller's memory cgroup, preferring whichever hierarchy actually holds the memory controller. */
export async function findOwnMemcg(): Promise<OwnMemcg> {
  return locateMemcg(
    await readFile('/proc/self/mountinfo', 'utf8'),
    await readFile('/proc/self/cgroup', 'utf8'),
    readControllers,
  );
}

/**
 * The memory cgroup described by the texts of /proc/self/mountinfo and /proc/self/cgroup;
 * `controllersOf` gives a cgroup2 mount's cgroup.controllers (separate for tests).
 */
export async function locateMemcg(
  mountinfo: string,
  procCgroup: string,
  controllersOf: (mountPoint: string) => Promise<string>,
): Promise<OwnMemcg> {
  const mounts = parseMountinfo(mountinfo);
  const rows = parseProcCgroup(procCgroup);

  // v1: a `cgroup` mount whose super options name `memory` (hybrid systems also have a
  // cgroup2 mount at /sys/fs/cgroup/unified, but without the memory controller).
  const v1Mount = mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes('memory'));
  const v1Row = rows.find((r) => r.controllers.includes('memory'));
  if (v1Mount && v1Row) {
    return {
      version: 1,
      mountPoint: v1Mount.mountPoint,
      cgroupPath: v1Row.path,
      dir: dirFor(v1Mount, v1Row.path),
    };
  }

  const v2Row = rows.find((r) => r.id === 0 && r.controllers.length === 0);
  for (const mount of mounts.filter((m) => m.fsType === 'cgroup2')) {
    const controllers = await controllersOf(mount.mountPoint);
    if (controllers.split(/\s+/).includes('memory') && v2Row) {
      return {
        version: 2,
        mountPoint: mount.mountPoint,
        cgroupPath: v2Row.path,
        dir: dirFor(mount, v2Row.path),
      };
    }
  }
  throw new NoMemoryControllerError(
    'no memory cgroup controller: /proc/self/mountinfo has neither a cgroup v1 mount with `memory` ' +
      'nor a cgroup2 mount whose cgroup.controllers lists `memory`; boot with the memory controller enabled ' +
      '(e.g. cgroup_enable=memory), or run without a memory limit',
  );
}

/** This machine has no memory controller at all (as opposed to a file that could not be read). */
class NoMemoryControllerError extends Error {}

function cgroupJoin(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

async function readPids(dir: string): Promise<number[]> {
  const text = await readFile(join(dir, 'cgroup.procs'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
}

/** `name value` lines (memory.oom_control, memory.events) → the value of `key`. */
export function readCounter(text: string, key: string): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^(?<name>\S+)\s+(?<value>\d+)$/.exec(line.trim());
    if (match?.groups?.name === key) return Number(match.groups.value);
  }
  return undefined;
}

/**
 * Where, under cgroup v2, a child with its own `memory.max` can be made.
 *
 * v2 forbids a non-root cgroup both to hold processes and to hand the memory controller to
 * its children ("no internal processes"): writing `+memory` into cgroup.subtree_control of
 * a cgroup with members fails with EBUSY. The caller's own cgroup always has a member (the
 * caller), so a child of it only works when it is the root cgroup or already delegates
 * memory (threaded/odd setups); that is tried first. Otherwise the parent of the caller's
 * cgroup must already give `memory` to its children (it does whenever the caller's cgroup
 * has memory.* files, e.g. a systemd slice with memory accounting), and the test cgroup is
 * made there, next to the caller's. Moving the caller's fellow processes into a leaf (what
 * container inits do) is not done: they are not ours to move.
 */
async function v2ParentDir(
  own: OwnMemcg,
): Promise<{ dir: string; cgroupPath: string; enabledMemory: boolean }> {
  const subtree = join(own.dir, 'cgroup.subtree_control');
  const delegated = (await readFile(subtree, 'utf8')).split(/\s+/).includes('memory');
  if (delegated) return { dir: own.dir, cgroupPath: own.cgroupPath, enabledMemory: false };
  try {
    await writeFile(subtree, '+memory');
    return { dir: own.dir, cgroupPath: own.cgroupPath, enabledMemory: true };
  } catch (error) {
    // EBUSY, the expected refusal (our cgroup has processes): the parent is tried next, and the error below says why
    // neither works. In the root cgroup there is no parent to try, so this error is the answer.
    if (own.cgroupPath === '/') throw error;
  }
  const parentDir = join(own.dir, '..');
  const parentPath = own.cgroupPath.replace(/\/[^/]+$/, '') || '/';
  // A parent we cannot read is a parent we cannot use: the error below says the memory cgroup cannot be made.
  const parentSubtree = await readFile(join(parentDir, 'cgroup.subtree_control'), 'utf8').catch(() => '');
  if (parentSubtree.split(/\s+/).includes('memory')) {
    return { dir: parentDir, cgroupPath: parentPath, enabledMemory: false };
  }
  throw new Error(
    `cgroup v2: cannot give the memory controller to a child of ${own.dir} (it has processes, ` +
      `so cgroup.subtree_control refuses +memory) and its parent does not delegate memory either; ` +
      'run inside a cgroup with memory delegation, e.g. a systemd unit with `Delegate=yes` or ' +
      '`systemd-run --scope -p Delegate=yes -p MemoryAccounting=yes …`',
  );
}

// Leftovers of a run that was killed before its cleanup: same prefix, creator gone, empty.
async function sweepStale(parentDir: string): Promise<void> {
  // Housekeeping only: a folder we cannot list fails the mkdir that follows, with its own error.
  const entries = await readdir(parentDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(MEMCG_PREFIX)) continue;
    const creator = CREATOR.exec(entry.name)?.groups?.pid;
    if (creator === undefined || isProcessAlive(Number(creator))) continue;
    const dir = join(parentDir, entry.name);
    // Members unknown: leave it rather than remove a cgroup that may be in use.
    const pids = await readPids(dir).catch(() => [0]);
    // EBUSY/ENOTEMPTY: something joined it since; it stays for a later sweep, harming nothing meanwhile.
    if (pids.length === 0) await rmdir(dir).catch(() => undefined);
  }
}

/**
 * A unique name with the prefix, who made it (`guard`, `e2e`) and the creator's PID, so a stale one can be
 * recognised. The label (an app name) is cut to characters a cgroup name may hold.
 */
export function memcgName(label = 'oom', owner = 'guard'): string {
  const safe = label.replace(/[^\w.-]/g, '_').slice(0, 40) || 'app';
  return `${MEMCG_PREFIX}${owner}-${process.pid}-${safe}-${Date.now().toString(36)}`;
}

/** True when the cgroup directory's name says this module made it (so it may be removed once empty). */
export function isOurMemcgDir(dir: string): boolean {
  return CREATOR.test(dir.slice(dir.lastIndexOf('/') + 1));
}

/** Creates a child memory cgroup of the caller's own, limited to `limitBytes` of memory (no swap). */
export async function createMemcg(name: string, limitBytes: number): Promise<Memcg> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`createMemcg: bad cgroup name ${JSON.stringify(name)}`);
  const own = await findOwnMemcg();
  const parent =
    own.version === 1
      ? { dir: own.dir, cgroupPath: own.cgroupPath, enabledMemory: false }
      : await v2ParentDir(own);
  await sweepStale(parent.dir);
  const dir = join(parent.dir, name);
  await mkdir(dir);
  const memcg = new KernelMemcg(own.version, dir, cgroupJoin(parent.cgroupPath, name), limitBytes, () =>
    parent.enabledMemory
      ? writeFile(join(parent.dir, 'cgroup.subtree_control'), '-memory')
      : Promise.resolve(),
  );
  try {
    await memcg.applyLimit();
  } catch (error) {
    // The limit's error is the one thrown; an empty cgroup left behind is swept by the next run (sweepStale).
    await rmdir(dir).catch(() => undefined);
    throw new Error(`createMemcg: could not set the limit in ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return memcg;
}

class KernelMemcg implements Memcg {
  constructor(
    readonly version: CgroupVersion,
    readonly dir: string,
    readonly cgroupPath: string,
    readonly limitBytes: number,
    private readonly undoDelegation: () => Promise<void>,
  ) {}

  async applyLimit(): Promise<void> {
    const limit = String(this.limitBytes);
    if (this.version === 1) {
      await writeFile(join(this.dir, 'memory.limit_in_bytes'), limit);
      // With swap, the limit alone lets the hog swap instead of hitting the OOM killer;
      // memsw (memory+swap) must be ≥ the memory limit, so it is set second.
      const memsw = join(this.dir, 'memory.memsw.limit_in_bytes');
      if (await exists(memsw)) await writeFile(memsw, limit);
      // 0 = the OOM killer is enabled (1 would make the task hang in the charge instead).
      await writeFile(join(this.dir, 'memory.oom_control'), '0');
      return;
    }
    await writeFile(join(this.dir, 'memory.max'), limit);
    const swapMax = join(this.dir, 'memory.swap.max');
    if (await exists(swapMax)) await writeFile(swapMax, '0');
  }

  async addProcess(pid: number): Promise<void> {
    // appendFile opens O_APPEND|O_WRONLY: one write of the pid, no truncation semantics involved.
    await appendFile(join(this.dir, 'cgroup.procs'), String(pid));
  }

  pids(): Promise<number[]> {
    return readPids(this.dir);
  }

  async usage(): Promise<MemcgUsage> {
    const [usageFile, limitFile] =
      this.version === 1
        ? ['memory.usage_in_bytes', 'memory.limit_in_bytes']
        : ['memory.current', 'memory.max'];
    const [usage, limit, stat] = await Promise.all([
      readFile(join(this.dir, usageFile), 'utf8'),
      readFile(join(this.dir, limitFile), 'utf8'),
      // Only the early warning's working set needs it: a cgroup without it still has a usage.
      readFile(join(this.dir, 'memory.stat'), 'utf8').catch(() => null),
    ]);
    const inactive =
      stat === null
        ? undefined
        : (readCounter(stat, this.version === 1 ? 'total_inactive_file' : 'inactive_file') ??
          readCounter(stat, 'inactive_file'));
    return {
      usageBytes: Number(usage.trim()),
      limitBytes: parseLimit(limit),
      inactiveFileBytes: inactive ?? null,
    };
  }

  async oomKillCount(): Promise<number> {
    // v1 `oom_kill` exists since 4.13; v2 memory.events counts this cgroup and its descendants.
    const file = join(this.dir, this.version === 1 ? 'memory.oom_control' : 'memory.events');
    const value = readCounter(await readFile(file, 'utf8'), 'oom_kill');
    if (value === undefined) throw new Error(`${file} has no oom_kill line (kernel older than 4.13?)`);
    return value;
  }

  async remove({ graceMs = 2000, timeoutMs = 10_000 } = {}): Promise<void> {
    const started = Date.now();
    let lastError: unknown;
    while (Date.now() - started < timeoutMs) {
      let pids: number[];
      try {
        pids = await this.pids();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // already gone
        throw error;
      }
      if (pids.length > 0) {
        // Only processes this harness moved here (and their children) can be members.
        if (Date.now() - started >= graceMs) for (const pid of pids) killQuietly(pid);
        await sleep(50);
        continue;
      }
      try {
        await rmdir(this.dir);
        // EBUSY: another child of the parent still uses the controller; `+memory` left enabled harms nothing.
        await this.undoDelegation().catch(() => undefined);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return;
        // EBUSY right after the last member exits: the kernel still holds a reference.
        lastError = error;
        await sleep(50);
      }
    }
    const left = await this.pids().then(
      (pids) => pids.join(' ') || 'none',
      (error: Error) => `unknown, ${error.message}`,
    );
    throw new Error(
      `memcg.remove: ${this.dir} still exists after ${timeoutMs} ms (members: ${left}; ` +
        `last error: ${(lastError as Error | undefined)?.message ?? 'none'}); clean up by hand: ` +
        `kill -9 $(cat ${this.dir}/cgroup.procs); rmdir ${this.dir}`,
    );
  }
}

// v1 says "no limit" with the page counter's maximum rounded to pages (9223372036854771712); v2 with `max`.
const UNLIMITED_FROM = 2 ** 60;

/** The text of memory.limit_in_bytes / memory.max as bytes; null for no limit. */
export function parseLimit(text: string): number | null {
  const value = text.trim();
  if (value === 'max' || value === '') return null;
  const bytes = Number(value);
  return Number.isFinite(bytes) && bytes < UNLIMITED_FROM ? bytes : null;
}

/**
 * A view of an existing memory cgroup (one this module did not create, e.g. the unit a child runs in):
 * usage, limit and the oom_kill counter can be read; `remove` only removes it when it is empty.
 */
export function openMemcg(version: CgroupVersion, dir: string, cgroupPath: string): Memcg {
  return new KernelMemcg(version, dir, cgroupPath, 0, () => Promise.resolve());
}

/** The memory cgroup a process runs in, read from /proc/PID/cgroup (same mount namespace as ours); null when gone. */
export async function memcgOfPid(pid: number): Promise<Memcg | null> {
  let procCgroup: string;
  try {
    procCgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8');
  } catch (error) {
    // ENOENT/ESRCH: the process is gone, which is what null means; anything else is said by the caller.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return null;
    throw error;
  }
  try {
    const located = await locateMemcg(
      await readFile('/proc/self/mountinfo', 'utf8'),
      procCgroup,
      readControllers,
    );
    return openMemcg(located.version, located.dir, located.cgroupPath);
  } catch (error) {
    // No memory controller on this machine: the process has no memory cgroup to read, and its death is judged
    // without one. A file that could not be read is said by the caller instead.
    if (error instanceof NoMemoryControllerError) return null;
    throw error;
  }
}

/**
 * Runs `start` (which must fork synchronously, as child_process.spawn does) while this process sits in `memcg`,
 * then moves it back to `homeDir`: the child is born inside the cgroup, so everything it allocates from its first
 * instruction is charged there — moving it in after spawn() would leave its start-up memory outside the limit.
 * Our own pages stay charged where they were (charges do not move with a process). Resolves null, without calling
 * `start`, when this process cannot enter the cgroup (the caller then starts the child and moves it in).
 */
export async function spawnInside<T>(memcg: Memcg, homeDir: string, start: () => T): Promise<T | null> {
  try {
    await memcg.addProcess(process.pid);
  } catch {
    // The caller then starts the child here and moves it in, and fails the start if that fails too (spawnChild).
    return null;
  }
  try {
    return start();
  } finally {
    // Both writes need the same rights, so the way back cannot fail where the way in worked, short of the home
    // cgroup being removed under us; then staying is all there is to do.
    await appendFile(join(homeDir, 'cgroup.procs'), String(process.pid)).catch(() => undefined);
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Why this process cannot make a memory cgroup here, without trying (no root, no controller…); null when it looks able. */
export async function memcgProblem(): Promise<string | null> {
  if (process.platform !== 'linux') return `memory cgroups are Linux only (platform ${process.platform})`;
  let own: OwnMemcg;
  try {
    own = await findOwnMemcg();
  } catch (error) {
    return (error as Error).message;
  }
  try {
    await access(own.dir, constants.W_OK);
    return null;
  } catch (error) {
    const uid = process.getuid?.();
    return uid === 0
      ? `own memory cgroup ${own.dir} is not writable (${(error as NodeJS.ErrnoException).code})`
      : `own memory cgroup ${own.dir} is not writable: not root (uid ${uid}) — run the guard as root, or under systemd with Delegate=yes`;
  }
}

/** Whether this process can create, limit and remove a memory cgroup here; if not, why. */
export async function memcgAvailable(): Promise<Availability> {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (platform ${process.platform})` };
  let own: OwnMemcg;
  try {
    own = await findOwnMemcg();
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const uid = process.getuid?.();
  try {
    await access(own.dir, constants.W_OK);
  } catch (error) {
    const why = uid === 0 ? (error as NodeJS.ErrnoException).code : `not root (uid ${uid})`;
    return { ok: false, reason: `own memory cgroup ${own.dir} is not writable: ${why}` };
  }
  // World-readable wherever procfs is; without it, the kernel's default (0) is the only guess, and the probe below
  // still has to succeed.
  const panicOnOom = (await readFile('/proc/sys/vm/panic_on_oom', 'utf8').catch(() => '0')).trim();
  if (panicOnOom === '2') {
    return { ok: false, reason: 'vm.panic_on_oom=2: even a memcg OOM would panic this machine' };
  }
  // The proof: create, limit and remove a probe cgroup.
  let probe: Memcg;
  try {
    probe = await createMemcg(memcgName('probe', 'probe'), 64 * 1024 * 1024);
  } catch (error) {
    return {
      ok: false,
      reason: `cannot create a memory cgroup under ${own.dir}: ${(error as Error).message}`,
    };
  }
  try {
    await probe.oomKillCount();
  } catch (error) {
    // The counter's error is the reason given; a probe left behind is empty and swept by the next run.
    await probe.remove().catch(() => undefined);
    return { ok: false, reason: (error as Error).message };
  }
  try {
    await probe.remove();
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return { ok: true };
}
