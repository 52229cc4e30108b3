// --user/--group: the child runs unprivileged while the guard keeps root (it needs root for the memory cgroup, the
// kernel log and to signal the child). Names are looked up where the C library looks for local accounts, /etc/passwd
// and /etc/group; a number is taken as an id. A directory service (LDAP, sssd) would need getpwnam(3), which Node does
// not offer: give its users by number.
import { readFile } from 'node:fs/promises';
import type { Problems } from '../options/problems.js';

/** Who the child runs as. */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
  /** The user's name and home (for USER, LOGNAME, HOME), when --user named one found in /etc/passwd. */
  readonly user: string | null;
  readonly home: string | null;
}

interface Account {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

const ID = /^\d{1,10}$/;

/** Resolves --user and --group (either may be absent); every problem goes to `problems`. Null: run as the guard. */
export async function resolveRunAs(
  user: string | undefined,
  group: string | undefined,
  problems: Problems,
  files: { passwd: string; group: string } = { passwd: '/etc/passwd', group: '/etc/group' },
): Promise<RunAs | null> {
  if (user === undefined && group === undefined) return null;
  const own = process.getuid?.() ?? 0;
  let account: Account | null = null;
  let uid = own;
  if (user !== undefined) {
    const accounts = await readTable(files.passwd, problems, '--user');
    account =
      accounts.find((a) => a.name === user) ?? (ID.test(user) ? findId(accounts, Number(user)) : null);
    if (account !== null) uid = account.uid;
    else if (ID.test(user)) uid = Number(user);
    else {
      problems.usage(
        `--user ${user}: no such user in ${files.passwd} — create it (useradd --system ${user}) or give a numeric uid`,
      );
    }
  }
  let gid = account?.gid ?? process.getgid?.() ?? 0;
  if (group !== undefined) {
    const groups = await readTable(files.group, problems, '--group');
    const found = groups.find((g) => g.name === group);
    if (found !== undefined) gid = found.uid;
    else if (ID.test(group)) gid = Number(group);
    else {
      problems.usage(
        `--group ${group}: no such group in ${files.group} — create it (groupadd --system ${group}) or give a numeric gid`,
      );
    }
  }
  if (own !== 0 && (uid !== own || gid !== (process.getgid?.() ?? gid))) {
    problems.usage(
      `--user/--group need the guard to run as root (it runs as uid ${own}): start it as root, or drop the flags`,
    );
  }
  return { uid, gid, user: account?.name ?? null, home: account?.home ?? null };
}

function findId(accounts: readonly Account[], uid: number): Account | null {
  return accounts.find((a) => a.uid === uid) ?? null;
}

/** `name:x:uid:gid:…:home:shell` (passwd) or `name:x:gid:members` (group: its gid read as `uid`). */
async function readTable(path: string, problems: Problems, flag: string): Promise<Account[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    problems.usage(
      `${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code}) — give a numeric id`,
    );
    return [];
  }
  const rows: Account[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 3 || line.startsWith('#')) continue;
    const id = Number(fields[2]);
    if (!Number.isSafeInteger(id)) continue;
    rows.push({ name: fields[0]!, uid: id, gid: Number(fields[3]) || 0, home: fields[5] ?? '' });
  }
  return rows;
}
