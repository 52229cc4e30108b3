// Every file doctor reads goes through one root prefix: `/` on the machine, a fake tree of /proc, /etc and /var in
// tests (`--root DIR`). Reads are small config and procfs files; none is a log, so each is read whole.
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What a read found: the text, nothing there, or a file that is there but could not be read (and why). */
export type ReadResult =
  | { readonly state: 'ok'; readonly text: string }
  | { readonly state: 'missing' }
  | { readonly state: 'unreadable'; readonly reason: string };

const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

export class RootFs {
  /** `root` is where `/` is: `/` itself on the machine. */
  constructor(readonly root: string = '/') {}

  /** The path on disk of a machine path (`/etc/rsyslog.conf` → `<root>/etc/rsyslog.conf`). */
  resolve(path: string): string {
    return this.root === '/' ? path : join(this.root, path);
  }

  async read(path: string): Promise<ReadResult> {
    try {
      return { state: 'ok', text: await readFile(this.resolve(path), 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (ABSENT.has(code)) return { state: 'missing' };
      return { state: 'unreadable', reason: `${path}: ${(error as Error).message}` };
    }
  }

  /** The text, or null when the file is missing or unreadable (for files whose absence is the answer). */
  async text(path: string): Promise<string | null> {
    const result = await this.read(path);
    return result.state === 'ok' ? result.text : null;
  }

  /** Names in a folder, sorted; empty when the folder is not there or cannot be listed. */
  async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(this.resolve(dir))).sort();
    } catch {
      // A config folder that is not there is the common case (no drop-ins); one that cannot be listed holds nothing
      // doctor could read either, and the check built on it says what it did find.
      return [];
    }
  }

  /** Whether a folder can be listed: a crontab folder only root may read must not pass for an empty one. */
  async listable(dir: string): Promise<'ok' | 'missing' | 'unreadable'> {
    try {
      await readdir(this.resolve(dir));
      return 'ok';
    } catch (error) {
      return ABSENT.has((error as NodeJS.ErrnoException).code ?? '') ? 'missing' : 'unreadable';
    }
  }

  async isDirectory(path: string): Promise<boolean> {
    return stat(this.resolve(path)).then(
      (s) => s.isDirectory(),
      () => false,
    );
  }

  async exists(path: string): Promise<boolean> {
    return stat(this.resolve(path)).then(
      () => true,
      () => false,
    );
  }

  /** A symlink's target as the machine sees it (/proc/PID/cwd, /proc/PID/exe); null when unreadable. */
  async link(path: string): Promise<string | null> {
    return readlink(this.resolve(path)).catch(() => null);
  }
}
