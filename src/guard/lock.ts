// One guard per app: a lock held by the kernel for as long as the guard process lives — a Linux abstract unix socket
// named after the pid file. Nothing on disk can go stale: when the guard dies, however it dies, the name is free.
// (An O_EXCL lock file left by a SIGKILLed guard would need a "is that pid still a guard?" guess.) Abstract names
// belong to the network namespace: guards in different containers do not see each other's. The same socket carries
// `oomsleuth guard status|stop|restart` (control.ts).
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

export interface GuardLock {
  /** Hands every later connection to the lock's socket to `listener` (the control channel, control.ts). */
  serve(listener: (socket: Socket) => void): void;
  release(): Promise<void>;
}

/** The abstract socket name for a lock key (the pid file's absolute path). */
export function lockName(key: string): string {
  return `\0oomsleuth-guard:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** Takes the lock, or null when another live process holds it. */
export function acquireLock(key: string): Promise<GuardLock | null> {
  return new Promise((resolve, reject) => {
    // Until the guard serves its control channel, a connection is only someone asking whether the lock is held.
    let listener: (socket: Socket) => void = (socket) => socket.destroy();
    const server: Server = createServer((socket) => listener(socket));
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(null);
      else reject(error);
    });
    server.listen({ path: lockName(key) }, () => {
      // The guard lives as long as its child does; the lock must not keep it alive by itself.
      server.unref();
      resolve({
        serve: (serveWith) => {
          listener = serveWith;
        },
        release: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** True when a guard holds the lock now (taken and given back at once when free). */
export async function isLockHeld(key: string): Promise<boolean> {
  const lock = await acquireLock(key);
  if (lock === null) return true;
  await lock.release();
  return false;
}
