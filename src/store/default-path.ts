// Where the store lives when --db is not given: the system's state folder as root, the user's XDG state folder else.
import { homedir } from 'node:os';
import path from 'node:path';

export function defaultStorePath(
  env: NodeJS.ProcessEnv = process.env,
  uid: number | null = process.getuid?.() ?? null,
): string {
  if (uid === 0) return '/var/lib/oomsleuth/oomsleuth.db';
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : null;
  return path.join(state ?? path.join(env.HOME || homedir(), '.local', 'state'), 'oomsleuth', 'oomsleuth.db');
}
