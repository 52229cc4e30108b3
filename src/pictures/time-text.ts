// Times on a page: the analysis's own ISO strings, shortened; and instants placed on an axis in the zone they carry.

const ISO =
  /^(?<date>\d{4}-\d{2}-\d{2})T(?<time>\d{2}:\d{2}:\d{2})(?:\.\d+)?(?<zone>Z|(?<sign>[+-])(?<h>\d{2}):(?<m>\d{2}))$/;

/** `2024-07-23T10:03:47+08:00` → `2024-07-23 10:03:47 +08:00`; anything else as given. */
export function shortTime(iso: string | null): string {
  if (!iso) return '?';
  const g = ISO.exec(iso)?.groups;
  return g ? `${g.date} ${g.time} ${g.zone === 'Z' ? 'UTC' : g.zone}` : iso;
}

/** Minutes east of UTC that an ISO time carries; 0 for `Z` or a string of another shape. */
export function offsetMinutesOf(iso: string | null): number {
  const g = iso ? ISO.exec(iso)?.groups : undefined;
  if (!g?.sign) return 0;
  return (g.sign === '-' ? -1 : 1) * (Number(g.h) * 60 + Number(g.m));
}

/** An instant as `2024-07-23 10:03` in the zone `offsetMinutes` east of UTC. */
export function wallText(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Milliseconds of an ISO time, or null. */
export function msOf(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}
