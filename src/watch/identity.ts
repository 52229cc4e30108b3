// How an incident is known across correlation runs and restarts: by the lines it was built from. A line's key is its
// place in its source (inode + offset, kmsg boot + sequence number, journal cursor) plus its text, so the same line read
// again after a restart has the same key, and a line claimed by a stored incident never makes a second one.
import { createHash } from 'node:crypto';
import type { DeathFinding } from '../correlate/finding.js';
import type { FollowPosition } from '../sources/follow/position.js';

export function lineKey(
  sourceKey: string,
  position: FollowPosition | undefined,
  fallback: string,
  text: string,
): string {
  let place: string;
  if (!position) place = `run:${fallback}`;
  else if (position.kind === 'file') place = `${position.dev}:${position.ino}:${position.offset}`;
  else if (position.kind === 'kmsg') place = `${position.bootId ?? '?'}:${position.seq}`;
  else place = position.cursor;
  return digest(`${sourceKey}\u0000${place}\u0000${text}`).slice(0, 32);
}

/**
 * A readable, stable id: when it died (UTC), what, and a digest of the lines that prove it —
 * `20240723T020347Z-anqicms-3f9a2c`. It is the idempotency key every alert of the incident carries.
 */
export function incidentId(
  death: Pick<DeathFinding, 'diedAtMs' | 'process'>,
  keys: readonly string[],
  fallbackMs: number,
): string {
  const stamp = new Date(Math.round(death.diedAtMs ?? fallbackMs))
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const slug = death.process.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 15) || 'process';
  return `${stamp}-${slug}-${digest([...keys].sort().join('\n')).slice(0, 6)}`;
}

/**
 * An early warning's id, one per life of the app: when the life began (UTC), what, `warn`, and a digest of the process,
 * its pid and its start — `20240723T010347Z-anqicms-warn-5c01e2`. A guard that re-reads its child after a restart, or a
 * watch that reads the record twice, gives the same life the same id, so it is stored and alerted once.
 */
export function warningId(warning: { process: string; pid: number; startedAt: string }): string {
  const started = Date.parse(warning.startedAt);
  const stamp = Number.isFinite(started)
    ? new Date(started)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')
    : 'unknown';
  const slug = warning.process.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 15) || 'process';
  return `${stamp}-${slug}-warn-${digest(`${warning.process}\u0000${warning.pid}\u0000${started}`).slice(0, 6)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
