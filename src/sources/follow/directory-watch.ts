// One inotify watch (fs.watch) per folder, shared by the files followed in it. A folder watch sees what a file
// watch cannot: the file renamed away, a new file created under its name, the file deleted. Its failures (folder
// gone, inotify limits) are not fatal: the followers' slow poll carries on alone until the watch can be set again.
import { type FSWatcher, watch } from 'node:fs';

type Listener = () => void;

interface Entry {
  watcher: FSWatcher | null;
  readonly listeners: Set<Listener>;
}

export class DirectoryWatches {
  private readonly entries = new Map<string, Entry>();

  /** Calls `listener` on any change in `dir`; returns whether the watch is active (else: poll faster). */
  add(dir: string, listener: Listener): boolean {
    let entry = this.entries.get(dir);
    if (!entry) {
      entry = { watcher: null, listeners: new Set() };
      this.entries.set(dir, entry);
    }
    entry.listeners.add(listener);
    return this.ensure(dir);
  }

  remove(dir: string, listener: Listener): void {
    const entry = this.entries.get(dir);
    if (!entry) return;
    entry.listeners.delete(listener);
    if (entry.listeners.size === 0) {
      entry.watcher?.close();
      this.entries.delete(dir);
    }
  }

  /** Sets the watch up if it is not (the folder may have appeared since); true when active. */
  ensure(dir: string): boolean {
    const entry = this.entries.get(dir);
    if (!entry) return false;
    if (entry.watcher) return true;
    try {
      const watcher = watch(dir, { persistent: true });
      watcher.on('change', () => {
        for (const listener of entry.listeners) listener();
      });
      watcher.on('error', () => {
        // The folder was removed, or inotify gave up: drop the watch; the next poll tries again.
        watcher.close();
        if (entry.watcher === watcher) entry.watcher = null;
        for (const listener of entry.listeners) listener();
      });
      entry.watcher = watcher;
      return true;
    } catch {
      // The folder does not exist (yet), or inotify is out of watches (ENOSPC): the follower polls faster instead
      // and tries the watch again at each poll; no line is missed, they come up to a second later.
      return false;
    }
  }

  closeAll(): void {
    for (const entry of this.entries.values()) entry.watcher?.close();
    this.entries.clear();
  }
}
