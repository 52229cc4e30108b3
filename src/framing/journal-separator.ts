// journalctl's own lines between entries (`-- Boot … --`, `-- Reboot --`, headers, `-- No entries --`): no log entry.

const SEPARATOR =
  /^-- (?:Boot (?<bootId>[0-9a-f]{32})|Reboot|No entries|Logs begin at .*|Journal begins at .*) --$/;

export interface JournalSeparator {
  /** The boot the following entries belong to (`-- Boot <id> --`), else null. */
  readonly bootId: string | null;
  /** True for `-- Boot … --` and `-- Reboot --`: the entries after it come from another boot. */
  readonly newBoot: boolean;
}

/** The separator `text` is, or null when it is an ordinary line. */
export function matchJournalSeparator(text: string): JournalSeparator | null {
  if (!text.startsWith('-- ') || !text.endsWith(' --')) return null;
  const match = SEPARATOR.exec(text);
  if (match === null) return null;
  const bootId = match.groups?.bootId ?? null;
  return { bootId, newBoot: bootId !== null || text === '-- Reboot --' };
}
