// Turns a file-system error into a problem the operator can act on: what failed, where, and the fix.

import type { ErrorCode } from '../errors.js';
import type { InputProblem } from './input-file.js';

/** Reasons and fixes by errno code; the reason reads after `cannot read PATH: `. */
const FS_REASONS: Readonly<Record<string, { reason: string; fix: string }>> = {
  ENOENT: { reason: 'no such file or directory', fix: 'check the path' },
  EACCES: { reason: 'permission denied', fix: 'run as root or add your user to the adm group' },
  EPERM: { reason: 'operation not permitted', fix: 'run as root or add your user to the adm group' },
  ENOTDIR: { reason: 'a part of the path is a file, not a folder', fix: 'check the path' },
  ELOOP: { reason: 'too many symbolic links (a link loop)', fix: 'pass the real file instead of the link' },
  ENAMETOOLONG: { reason: 'the path is too long', fix: 'pass a shorter (relative) path' },
  EMFILE: { reason: 'too many open files', fix: 'raise the limit (ulimit -n 4096) or pass fewer files' },
  ENFILE: { reason: 'too many open files on this system', fix: 'close other programs or pass fewer files' },
  EIO: {
    reason: 'input/output error',
    fix: 'the disk or network share may be failing; copy the file elsewhere and pass the copy',
  },
  EISDIR: { reason: 'it is a folder', fix: 'pass the folder itself as PATH' },
  ESTALE: { reason: 'stale network file handle', fix: 'remount the share or copy the file locally' },
};

/** Builds the problem for an fs error on `displayPath`; `after` is appended to the reason (e.g. ` after 812 lines`). */
export function describeFsError(displayPath: string, error: unknown, after = ''): InputProblem {
  const code = errnoCode(error);
  const known = code === undefined ? undefined : FS_REASONS[code];
  const problemCode: ErrorCode = code === 'ENOENT' ? 'OOMS_E_SOURCE_NOT_FOUND' : 'OOMS_E_SOURCE_UNREADABLE';
  if (known !== undefined) {
    return {
      displayPath,
      code: problemCode,
      message: `cannot read ${displayPath}${after}: ${known.reason} — ${known.fix}`,
    };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return {
    displayPath,
    code: problemCode,
    message: `cannot read ${displayPath}${after}: ${detail}${code ? ` (${code})` : ''} — check the file and retry, or leave it out`,
  };
}

/** The errno code (`ENOENT`, `EACCES`…) of an error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
