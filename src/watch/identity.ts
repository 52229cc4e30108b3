// How an incident is known across correlation runs and restarts: by the kernel event it reports, and by the lines it
// was built from. A line's key is its place in its source (inode + offset, kmsg boot + sequence number, journal cursor)
// plus its text, so the same line read again after a restart has the same key. But one kill reaches watch through
// several carriers (/dev/kmsg and syslog; syslog and the copy a copytruncate left beside it), each its own place: the
// kill's event keys — the same whatever carried it — make every copy of it the incident already stored.
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

/** How far apart two carriers may date one death: syslog stamps its receive time, kmsg's is placed by the boot time. */
const DEATH_SECONDS_SLACK = 1;

/**
 * The keys of the kernel event behind a death, the same from every carrier of the kill record:
 * - `kmono:<µs>:<pid>` per kill-record line with the kernel's own stamp (the kmsg µs field, dmesg's and syslog's
 *   `[s.µs]`, the journal's `_SOURCE_MONOTONIC_TIMESTAMP`): the stamp is the kernel's, so every carrier has the same.
 *   It is not qualified by a boot id: a syslog file does not say which boot a line came from, and a pid killed at the
 *   same microsecond after boot in two boots is beyond any odds that matter.
 * - `kdeath:<host>:<pid>:<second>` for the seconds around the death (for carriers without the kernel's stamp, classic
 *   syslog): one pid dies once within seconds on one host, and carriers date the death a second or so apart.
 * Empty when the death has no kill record (a guardian-only death is known by its lines).
 */
export function eventKeys(
  death: Pick<DeathFinding, 'pid' | 'diedAtMs' | 'evidence'>,
  localHost: string,
): string[] {
  const kills = death.evidence.flatMap((e) =>
    e.role === 'kill-record' && 'record' in e.fact ? [e.fact.record] : [],
  );
  if (death.pid === null || kills.length === 0) return [];
  const keys: string[] = [];
  for (const record of kills) {
    if (record.monotonic !== null) keys.push(`kmono:${Math.round(record.monotonic * 1e6)}:${death.pid}`);
  }
  const host = kills.find((r) => r.host !== null)?.host ?? null;
  if (death.diedAtMs !== null) {
    const second = Math.floor(death.diedAtMs / 1000);
    const where = shortHost(host ?? localHost);
    for (let d = -DEATH_SECONDS_SLACK; d <= DEATH_SECONDS_SLACK; d++) {
      keys.push(`kdeath:${where}:${death.pid}:${second + d}`);
    }
  }
  return [...new Set(keys)];
}

/** `web1.example.com` and `WEB1` are one host: syslog writes the short name, hostname(1) may give the long one. */
function shortHost(host: string): string {
  return host.toLowerCase().split('.')[0] ?? host;
}

/**
 * A readable, stable id: when it died (UTC), what, and a digest of the lines that prove it —
 * `20240723T020347Z-anqicms-3f9a2c`. It is the idempotency key every alert of the incident carries.
 */
export function incidentId(
  death: Pick<DeathFinding, 'diedAtMs' | 'process'>,
  keys: readonly string[],
  fallbackMs: number,
  events: readonly string[] = [],
): string {
  // The event's own key where there is one, so every carrier of the kill names the same incident.
  const digestOf = primaryEventKey(events) ?? [...keys].sort().join('\n');
  const stamp = new Date(Math.round(death.diedAtMs ?? fallbackMs))
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const slug = death.process.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 15) || 'process';
  return `${stamp}-${slug}-${digest(digestOf).slice(0, 6)}`;
}

/** The death second's key (the middle of its slack) when known, else the kernel stamps of the kill lines. */
function primaryEventKey(events: readonly string[]): string | null {
  const deaths = events.filter((k) => k.startsWith('kdeath:'));
  if (deaths.length > 0) return deaths[Math.floor(deaths.length / 2)]!;
  return events.length > 0 ? [...events].sort().join('\n') : null;
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
