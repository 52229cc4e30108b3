// Ends a follower's reader child (`journalctl -f`, the `cat` of /dev/kmsg) and waits until it is gone.
import type { ChildProcess } from 'node:child_process';

export async function endChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill('SIGTERM');
  await closed;
}
