// Where a followed source stands, in the source's own terms, so that a restarted `watch` resumes exactly there:
// a file by device + inode + byte offset (never by name: rotation renames), /dev/kmsg by sequence number within one
// boot, the journal by its cursor. Plain data: stored as JSON next to the incidents it produced.

/** The start of one line of a followed file. */
export interface FilePosition {
  readonly kind: 'file';
  readonly dev: number;
  readonly ino: number;
  /** Byte offset of the line's first byte. */
  readonly offset: number;
  /** 1-based line number of that line in the file (counted from the file's start), or null when not counted. */
  readonly lineNo: number | null;
  /** The line's first bytes (base64): tells, on resume, that the same bytes still sit at `offset`. */
  readonly head: string;
}

/** One /dev/kmsg record. Sequence numbers restart at each boot, hence the boot id. */
export interface KmsgPosition {
  readonly kind: 'kmsg';
  readonly seq: number;
  readonly bootId: string | null;
}

/** One journal entry (`__CURSOR`). */
export interface JournalPosition {
  readonly kind: 'journal';
  readonly cursor: string;
}

export type FollowPosition = FilePosition | KmsgPosition | JournalPosition;

/** A short, human form of a position for logs (`inode 1234 offset 5678`, `seq 812`). */
export function describePosition(position: FollowPosition): string {
  switch (position.kind) {
    case 'file':
      return `inode ${position.ino} offset ${position.offset}`;
    case 'kmsg':
      return `seq ${position.seq}`;
    case 'journal':
      return `cursor ${position.cursor.slice(0, 24)}…`;
  }
}

/** Reads a stored position back; null for anything that is not one (a store written by another version). */
export function parsePosition(json: string | null): FollowPosition | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // Not a position (a store from another version, a damaged row): the source starts as on a first run, and lines
    // read again make no second incident (their keys are claimed).
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    v.kind === 'file' &&
    typeof v.dev === 'number' &&
    typeof v.ino === 'number' &&
    typeof v.offset === 'number' &&
    typeof v.head === 'string'
  ) {
    return {
      kind: 'file',
      dev: v.dev,
      ino: v.ino,
      offset: v.offset,
      lineNo: typeof v.lineNo === 'number' ? v.lineNo : null,
      head: v.head,
    };
  }
  if (v.kind === 'kmsg' && typeof v.seq === 'number') {
    return { kind: 'kmsg', seq: v.seq, bootId: typeof v.bootId === 'string' ? v.bootId : null };
  }
  if (v.kind === 'journal' && typeof v.cursor === 'string') return { kind: 'journal', cursor: v.cursor };
  return null;
}
