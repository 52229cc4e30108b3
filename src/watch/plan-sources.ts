// Which sources watch follows. With PATHs: those files (a folder: the live files in it, not their rotated copies).
// With none: this machine's kernel log — /dev/kmsg, else the journal, else /var/log/{syslog,messages,kern.log}, each
// fallback said with its reason — and, with --app-dir, the guardian and app logs in it.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorCode } from '../errors.js';
import { appLog } from '../framing/app-log.js';
import type { Carrier } from '../framing/carrier.js';
import { carrierByFormat } from '../framing/carrier-list.js';
import { checkSh } from '../framing/check-sh.js';
import { isObviouslyBinary } from '../sources/discover.js';
import { DirectoryWatches } from '../sources/follow/directory-watch.js';
import { FileFollower } from '../sources/follow/file-follower.js';
import type { Follower } from '../sources/follow/follower.js';
import { JournalFollower, journalProblem } from '../sources/follow/journal-follower.js';
import { KMSG_PATH, KmsgFollower, probeKmsg } from '../sources/follow/kmsg-follower.js';
import { describeFsError, errnoCode } from '../sources/fs-problem.js';
import { parseRotationName } from '../sources/rotation.js';

export interface PlannedSource {
  readonly follower: Follower;
  /** The `sourceId` its lines carry. */
  readonly sourceId: number;
  readonly carrier: Carrier | null;
  readonly live: boolean;
}

export interface SourcePlan {
  readonly sources: PlannedSource[];
  /** The guard's incidents file (memory samples), when there is one to follow. */
  readonly guardIncidents: Follower | null;
  readonly watches: DirectoryWatches;
  /** What was chosen and why, for the log; `code` set for a fallback or a problem. */
  readonly notes: { code: ErrorCode | null; message: string }[];
  /** True when a kernel or system log is followed (else every incident misses `kernel-log`). */
  readonly kernel: boolean;
}

export interface PlanOptions {
  readonly paths: readonly string[];
  readonly appDir: string | null;
  readonly app: string | null;
  readonly guardIncidents: string | null;
  readonly kmsgPath?: string;
  readonly journalctl?: string;
  /** journald's socket (its presence says a journal can be followed); tests point it elsewhere. */
  readonly journalSocket?: string;
  readonly logDir?: string;
}

const SYSLOG_NAMES = ['syslog', 'messages', 'kern.log'];
/** Journal identifiers that report deaths besides the kernel (systemd units, OOM daemons). */
const JOURNAL_IDENTIFIERS = ['systemd', 'systemd-oomd', 'earlyoom'];

export async function planSources(options: PlanOptions): Promise<SourcePlan> {
  const watches = new DirectoryWatches();
  const sources: PlannedSource[] = [];
  const notes: SourcePlan['notes'] = [];
  const seen = new Set<string>();
  let nextId = 0;
  /** Makes a follower with the next source id and adds it (once per source key). */
  const add = (make: (sourceId: number) => Follower, carrier: Carrier | null, live: boolean): void => {
    const sourceId = nextId++;
    const follower = make(sourceId);
    if (seen.has(follower.key)) return;
    seen.add(follower.key);
    sources.push({ follower, sourceId, carrier, live });
  };
  const file =
    (absolute: string, display: string) =>
    (sourceId: number): FileFollower =>
      new FileFollower({ path: absolute, displayPath: display, sourceId, watches });
  let kernel = false;

  if (options.paths.length === 0) {
    const identifiers = [...JOURNAL_IDENTIFIERS, ...(options.app ? [options.app] : [])];
    const kmsgProblem = await probeKmsg(options.kmsgPath);
    const journal = await journalProblem(options.journalSocket);
    if (kmsgProblem === null) {
      add(
        (sourceId) => new KmsgFollower({ sourceId, ...(options.kmsgPath ? { path: options.kmsgPath } : {}) }),
        carrierByFormat('kmsg')!,
        true,
      );
      kernel = true;
      if (journal === null) {
        // Kernel lines come from kmsg; the journal adds systemd's and the OOM daemons' words.
        // The same field given several times is an OR for journalctl.
        const matches = identifiers.map((id) => `SYSLOG_IDENTIFIER=${id}`);
        add(
          (sourceId) => journalFollower(sourceId, matches, options),
          carrierByFormat('journal-json')!,
          true,
        );
      }
      notes.push({
        code: null,
        message: `following the kernel log through ${options.kmsgPath ?? KMSG_PATH}`,
      });
    } else if (journal === null) {
      const matches = ['_TRANSPORT=kernel', ...identifiers.flatMap((id) => ['+', `SYSLOG_IDENTIFIER=${id}`])];
      add((sourceId) => journalFollower(sourceId, matches, options), carrierByFormat('journal-json')!, true);
      kernel = true;
      notes.push({
        code: 'OOMS_E_WATCH_SOURCE_FALLBACK',
        message: `cannot read ${kmsgProblem}; following the kernel log through the journal instead`,
      });
    } else {
      const logDir = options.logDir ?? '/var/log';
      const found: string[] = [];
      for (const name of SYSLOG_NAMES) {
        const full = path.join(logDir, name);
        if (await isFile(full, full, notes)) found.push(full);
      }
      for (const full of found) add(file(full, full), null, false);
      kernel = found.length > 0;
      notes.push({
        code: 'OOMS_E_WATCH_SOURCE_FALLBACK',
        message:
          found.length > 0
            ? `cannot read ${kmsgProblem}, and ${journal}; following ${found.join(', ')} instead`
            : `cannot read ${kmsgProblem}, ${journal}, and there is no syslog, messages or kern.log in ${logDir}: no kernel log is followed, so no death can be tied to the OOM killer — run watch as root`,
      });
    }
  }

  for (const typed of options.paths) {
    const absolute = path.resolve(typed);
    if (absolute === (options.kmsgPath ?? KMSG_PATH)) {
      add((sourceId) => new KmsgFollower({ sourceId, path: absolute }), carrierByFormat('kmsg')!, true);
      kernel = true;
      continue;
    }
    let isDir = false;
    try {
      isDir = (await stat(absolute)).isDirectory();
    } catch (error) {
      // Any other failure (permission, a link loop) is the follower's to report when it starts: it says why, with
      // OOMS_E_WATCH_SOURCE_LOST, and reads the file once it can.
      if (errnoCode(error) === 'ENOENT') {
        notes.push({
          code: 'OOMS_E_WATCH_SOURCE_LOST',
          message: `${typed} does not exist (yet); it is followed from its first line when it appears`,
        });
      }
    }
    if (!isDir) {
      add(file(absolute, typed), null, false);
      continue;
    }
    let names: string[] = [];
    try {
      names = (await readdir(absolute)).sort();
    } catch (error) {
      notes.push({
        code: 'OOMS_E_SOURCE_UNREADABLE',
        message: `cannot read the folder ${typed}: ${(error as Error).message}`,
      });
    }
    let followed = 0;
    for (const name of names) {
      // Live files only: rotated copies (running.log.1, syslog.2.gz) no longer grow.
      if (parseRotationName(name).rotated || /\.(?:gz|xz|bz2|zst|lz4)$/.test(name) || isObviouslyBinary(name))
        continue;
      const full = path.join(absolute, name);
      if (!(await isFile(full, path.join(typed, name), notes))) continue;
      add(file(full, path.join(typed, name)), null, false);
      followed++;
    }
    if (followed === 0) {
      notes.push({ code: 'OOMS_E_DIR_NOTHING_FOUND', message: `${typed} holds no log file to follow` });
    }
  }

  if (options.appDir) {
    const dir = path.resolve(options.appDir);
    add(file(path.join(dir, 'check.log'), path.join(options.appDir, 'check.log')), checkSh, false);
    add(file(path.join(dir, 'running.log'), path.join(options.appDir, 'running.log')), appLog, false);
  }

  let guardIncidents: Follower | null = null;
  const guardFile =
    options.guardIncidents ?? (options.appDir ? path.join(options.appDir, 'incidents.jsonl') : null);
  if (guardFile) {
    guardIncidents = new FileFollower({
      path: path.resolve(guardFile),
      displayPath: guardFile,
      sourceId: nextId++,
      watches,
      initialTailBytes: 64 * 1024,
    });
  }
  // Kernel-looking files among the PATHs count once they are classified; a PATH list is the operator's choice.
  if (options.paths.length > 0) kernel = true;
  return { sources, guardIncidents, watches, notes, kernel };
}

function journalFollower(sourceId: number, matches: string[], options: PlanOptions): JournalFollower {
  return new JournalFollower({
    sourceId,
    matches,
    ...(options.journalctl ? { journalctl: options.journalctl } : {}),
  });
}

/** True for a regular file; false for anything else, and for a file that cannot be looked at (said in `notes`). */
async function isFile(file: string, display: string, notes: SourcePlan['notes']): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch (error) {
    // ENOENT: gone since the folder was listed, or not there at all: nothing to follow.
    if (errnoCode(error) !== 'ENOENT') {
      const problem = describeFsError(display, error);
      notes.push({ code: problem.code, message: `${problem.message}; it is not followed` });
    }
    return false;
  }
}
