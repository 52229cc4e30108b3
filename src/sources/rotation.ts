// Rotated sets (`syslog`, `syslog.1`, `syslog.2.gz`, `messages-20240721`, `dmesg.0`): which files belong
// together and in which order they were written, so a set is read oldest first and the live file last.

/** What a file name says about rotation. `age` orders rotated names of one base: larger is older. */
export interface RotationName {
  /** The live file's name (`syslog` for `syslog.2.gz`). */
  readonly base: string;
  /** True for a name with a rotation suffix. */
  readonly rotated: boolean;
  /** Sort key among the rotated names of one base, oldest first. */
  readonly order: readonly [number, number, number];
}

// logrotate's numbered suffix (`.1`, `.2`, optionally `.gz`) and its dateext forms (`-20240721`, `-2024-07-21`,
// `.20240721`, with an optional `-<seq>` or `-<epoch>` after the date).
const ROTATED_NAME =
  /^(?<base>.+?)(?:\.(?<index>\d{1,4})|[-.](?<year>(?:19|20)\d{2})-?(?<month>0[1-9]|1[0-2])-?(?<day>0[1-9]|[12]\d|3[01])(?:[-_.](?<seq>\d{1,12}))?)$/;

/** Reads the rotation suffix of a file name (a trailing `.gz` is ignored; gzip itself is told by content). */
export function parseRotationName(name: string): RotationName {
  const stem = name.endsWith('.gz') ? name.slice(0, -3) : name;
  // Cheap guard: every rotated name ends in a digit.
  const last = stem.charCodeAt(stem.length - 1);
  if (!(last >= 0x30 && last <= 0x39)) return { base: stem, rotated: false, order: [0, 0, 0] };
  const groups = ROTATED_NAME.exec(stem)?.groups;
  if (groups === undefined || groups.base === undefined)
    return { base: stem, rotated: false, order: [0, 0, 0] };
  if (groups.index !== undefined) {
    // Numbered: a higher index is older. Dated names (below) sort before numbered ones if both appear.
    return { base: groups.base, rotated: true, order: [1, -Number(groups.index), 0] };
  }
  const date = Number(`${groups.year}${groups.month}${groups.day}`);
  return { base: groups.base, rotated: true, order: [0, date, Number(groups.seq ?? 0)] };
}

/** Something that sits in a folder and has a name: enough to group it. */
export interface RotationCandidate {
  /** Folder holding the file (absolute), so equal names in different folders stay apart. */
  readonly dir: string;
  readonly name: string;
}

/** A member of a set, with its age rank: 0 live, 1 newest rotated, … */
export interface RotationMember<T> {
  readonly item: T;
  readonly base: string;
  /** null when the file is alone and has no rotation suffix. */
  readonly index: number | null;
}

/**
 * Orders files so that each rotated set is contiguous, oldest first, the live file last; a set takes the place
 * of its first member in the given order, and files of no set keep theirs.
 */
export function orderRotationSets<T extends RotationCandidate>(items: readonly T[]): RotationMember<T>[] {
  const sets = new Map<string, { base: string; members: { item: T; name: RotationName }[] }>();
  const order: string[] = [];
  for (const item of items) {
    const name = parseRotationName(item.name);
    const key = `${item.dir}\u0000${name.base}`;
    let set = sets.get(key);
    if (set === undefined) {
      set = { base: name.base, members: [] };
      sets.set(key, set);
      order.push(key);
    }
    set.members.push({ item, name });
  }
  const result: RotationMember<T>[] = [];
  for (const key of order) {
    const set = sets.get(key) as { base: string; members: { item: T; name: RotationName }[] };
    const rotated = set.members
      .filter((member) => member.name.rotated)
      .sort((a, b) => compareOrder(a.name, b.name));
    const live = set.members.filter((member) => !member.name.rotated);
    const alone = rotated.length === 0 && live.length === 1;
    rotated.forEach((member, position) => {
      result.push({ item: member.item, base: set.base, index: rotated.length - position });
    });
    // More than one live file of one base only happens with `x` and `x.gz` side by side: keep both, in input order.
    for (const member of live) result.push({ item: member.item, base: set.base, index: alone ? null : 0 });
  }
  return result;
}

function compareOrder(a: RotationName, b: RotationName): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a.order[i] as number) - (b.order[i] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}
