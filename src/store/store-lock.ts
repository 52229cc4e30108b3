// One watch per store: two would both alert every kill and fight over SQLite's write lock. The lock is the guard's
// (src/guard/lock.ts): a Linux abstract unix socket, held by the kernel for as long as the process lives, so a
// SIGKILLed watch leaves nothing stale behind. Its name comes from the store's real path, so `a/../a/x.db` and a
// symbolic link to the folder are the same store.
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';

export interface StoreLock {
  release(): Promise<void>;
}

/** Takes the store's lock, or null when another live process holds it. */
export async function lockStore(file: string): Promise<StoreLock | null> {
  const name = `\0oomsleuth-watch:${createHash('sha256')
    .update(await canonicalPath(file))
    .digest('hex')
    .slice(0, 40)}`;
  return new Promise((resolve, reject) => {
    const server: Server = createServer((socket) => socket.destroy());
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(null);
      else reject(error);
    });
    server.listen({ path: name }, () => {
      // The lock must not keep a stopping watch alive by itself.
      server.unref();
      resolve({ release: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

/** The file's path with its folder's links resolved (the file itself may not exist yet: watch creates it). */
async function canonicalPath(file: string): Promise<string> {
  const absolute = path.resolve(file);
  try {
    return await realpath(absolute);
  } catch {
    try {
      return path.join(await realpath(path.dirname(absolute)), path.basename(absolute));
    } catch {
      // The folder does not exist yet either: no other watch can have the store open by another name.
      return absolute;
    }
  }
}
