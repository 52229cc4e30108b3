// What one doctor check says: ok, warn or fail; what it found; why that matters, in one sentence; and the exact fix.

export const DOCTOR_SCHEMA = 'oomsleuth.doctor/1';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  /** Stable id for scripts: `journald`, `kernel-log-kept`, `vm.oom_dump_tasks` … */
  readonly id: string;
  /** What is checked, for people: `journal storage`. */
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found on this machine: `Storage=auto, /var/log/journal exists: persistent`. */
  readonly found: string;
  /** Why it matters for the evidence of the next death, in one sentence. */
  readonly why: string;
  /** The exact fix: a command or a config line; null when there is nothing to do. */
  readonly fix: string | null;
}

export interface DoctorReport {
  readonly schema: typeof DOCTOR_SCHEMA;
  readonly host: string;
  readonly generatedAt: string;
  /** The root every file was read under (`/` on the machine itself). */
  readonly root: string;
  /** The app folder checked, when one was given. */
  readonly folder: string | null;
  /** The app's name: from the folder's guardian log, else the folder's name; null without a folder. */
  readonly app: string | null;
  readonly checks: readonly Check[];
  readonly summary: { readonly ok: number; readonly warn: number; readonly fail: number };
}

export function check(
  id: string,
  title: string,
  status: CheckStatus,
  found: string,
  why: string,
  fix: string | null = null,
): Check {
  // An ok check has nothing to fix, whatever improvement its builder could name.
  return { id, title, status, found, why, fix: status === 'ok' ? null : fix };
}
