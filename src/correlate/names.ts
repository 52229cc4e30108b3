// How a name in a record is compared with the app's name.

/** The kernel keeps 15 characters of a task name (TASK_COMM_LEN 16 with the NUL). */
export const COMM_LENGTH = 15;

/** True when two process names are the same after both are cut to the kernel's 15 characters. */
export function sameProcessName(a: string, b: string): boolean {
  return a.slice(0, COMM_LENGTH) === b.slice(0, COMM_LENGTH);
}

/** `anqicms.service` → `anqicms`; `app@2.service` → `app`; a bare name is returned as is. */
export function unitBaseName(unit: string): string {
  const last = unit.slice(unit.lastIndexOf('/') + 1);
  const withoutType = last.replace(/\.(?<type>service|scope|slice|socket)$/, '');
  const at = withoutType.indexOf('@');
  return at >= 0 ? withoutType.slice(0, at) : withoutType;
}

/** True when a systemd unit or cgroup path names the app (`/system.slice/anqicms.service`, `anqicms.service`). */
export function unitNamesApp(unitOrCgroup: string, app: string): boolean {
  const base = unitBaseName(unitOrCgroup);
  return base === app || sameProcessName(base, app);
}
