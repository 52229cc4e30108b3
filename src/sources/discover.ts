// Finds the inputs behind the PATH arguments: files, folders walked whole, stdin; gzip told by magic bytes;
// rotated sets ordered oldest first. A problem with one path never stops the others.

import type { Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeFsError } from './fs-problem.js';
import type { Discovery, InputFile, InputProblem } from './input-file.js';
import { isKmsgDevice } from './kmsg-device.js';
import { suggestPath } from './near-name.js';
import { orderRotationSets } from './rotation.js';

/** Folders never walked into (hidden ones are skipped too). */
const SKIPPED_DIRS = new Set(['node_modules', 'lost+found', '__pycache__']);

/** Extensions of files that are obviously not logs. `.gz` is not here: rotated logs are gzipped. */
const BINARY_EXTENSIONS = new Set([
  ...['.db', '.sqlite', '.sqlite3', '.db-wal', '.db-shm', '.db-journal', '.mdb', '.ldb', '.frm', '.ibd'],
  ...['.png', '.jpg', '.jpeg', '.gif', '.webp', '.ico', '.bmp', '.tif', '.tiff', '.svgz', '.avif', '.heic'],
  ...['.so', '.o', '.a', '.dll', '.exe', '.bin', '.elf', '.class', '.jar', '.pyc', '.wasm', '.node'],
  ...['.tar', '.tgz', '.zip', '.7z', '.rar', '.deb', '.rpm', '.iso', '.img', '.qcow2', '.apk'],
  ...[
    '.pdf',
    '.woff',
    '.woff2',
    '.ttf',
    '.otf',
    '.eot',
    '.mp3',
    '.mp4',
    '.mkv',
    '.avi',
    '.mov',
    '.wav',
    '.flac',
  ],
  // systemd's binary journal files: read through journalctl instead.
  ...['.journal', '.journal~'],
]);

/** Binary login records that live next to the logs in /var/log. */
const BINARY_NAMES = new Set(['wtmp', 'btmp', 'utmp', 'lastlog', 'faillog']);

/** Compressed formats we cannot read: reported (with the command that decompresses them), not read as text. */
const UNSUPPORTED_MAGIC: readonly { name: string; tool: string; magic: readonly number[] }[] = [
  { name: 'xz', tool: 'xz -dk', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'bzip2', tool: 'bunzip2 -k', magic: [0x42, 0x5a, 0x68] },
  { name: 'zstd', tool: 'zstd -d', magic: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'lz4', tool: 'lz4 -d', magic: [0x04, 0x22, 0x4d, 0x18] },
];

/** A file found on the way, before its first bytes are looked at. */
interface Candidate {
  readonly dir: string;
  readonly name: string;
  readonly absolutePath: string;
  readonly displayPath: string;
  readonly stats: Stats;
  /** Given by name on the command line: never skipped for its extension. */
  readonly explicit: boolean;
  /** The folder PATH (as typed) whose walk found it; null for a file given by name. */
  readonly folder: string | null;
}

/** What was passed over in one folder, so "nothing found" can say why. */
interface SkipCounts {
  hiddenDirs: number;
  binaryFiles: number;
  specialFiles: number;
}

/** Turns PATH arguments into inputs (in reading order) and problems; `-` is stdin. */
export async function discoverInputs(paths: readonly string[]): Promise<Discovery> {
  const problems: InputProblem[] = [];
  const candidates: Candidate[] = [];
  const seenFiles = new Set<string>();
  let stdin: InputFile | null = null;
  // Stdin keeps its place among the other inputs.
  const stdinMarker = Symbol('stdin');
  const sequence: (Candidate | typeof stdinMarker)[] = [];

  for (const typed of paths) {
    if (typed === '-') {
      if (stdin !== null) {
        problems.push({
          displayPath: 'stdin',
          code: 'OOMS_E_USAGE',
          message: 'stdin (-) was given more than once — it is read once; pass - a single time',
        });
        continue;
      }
      stdin = {
        path: '-',
        displayPath: 'stdin',
        compressed: null,
        sizeBytes: 0,
        mtimeMs: Date.now(),
        rotation: null,
        stdin: true,
      };
      sequence.push(stdinMarker);
      continue;
    }
    const found = await collectPath(typed, problems, seenFiles);
    for (const candidate of found) {
      candidates.push(candidate);
      sequence.push(candidate);
    }
  }

  const described = new Map<Candidate, InputFile>();
  for (const candidate of candidates) {
    const input = await describeCandidate(candidate, problems);
    if (input !== null) described.set(candidate, input);
  }

  // Rotation order is computed over files only; stdin stays where it was typed.
  const ordered = orderRotationSets(candidates.filter((candidate) => described.has(candidate)));
  const inputs: InputFile[] = [];
  let orderedAt = 0;
  for (const entry of sequence) {
    if (entry === stdinMarker) {
      if (stdin !== null) inputs.push(stdin);
      continue;
    }
    // Each file slot takes the next file of the rotation order, so sets land where their first member was.
    if (!described.has(entry)) continue;
    const member = ordered[orderedAt++];
    if (member === undefined) continue;
    const input = described.get(member.item) as InputFile;
    const rotation =
      member.index === null
        ? null
        : {
            base: joinDisplay(path.posix.dirname(member.item.displayPath), member.base),
            index: member.index,
          };
    inputs.push({ ...input, rotation });
  }
  return { inputs, problems };
}

/** Stats one typed path; a folder is walked. Problems go to `problems`; found files are returned in name order. */
async function collectPath(
  typed: string,
  problems: InputProblem[],
  seenFiles: Set<string>,
): Promise<Candidate[]> {
  const absolutePath = path.resolve(typed);
  let stats: Stats;
  try {
    stats = await stat(absolutePath);
  } catch (error) {
    problems.push(await describeMissing(typed, error));
    return [];
  }
  if (stats.isDirectory()) {
    const found: Candidate[] = [];
    const skipped: SkipCounts = { hiddenDirs: 0, binaryFiles: 0, specialFiles: 0 };
    const before = problems.length;
    // Display paths are relative to the given folder's parent: `logs/sub/syslog` for `/srv/logs`.
    const displayRoot = absolutePath === path.parse(absolutePath).root ? '' : path.basename(absolutePath);
    const visitedDirs = new Set<string>([inodeKey(stats)]);
    await walk(absolutePath, displayRoot, typed, found, skipped, problems, visitedDirs, seenFiles);
    if (found.length === 0 && problems.length === before) {
      problems.push({
        displayPath: typed,
        code: 'OOMS_E_DIR_NOTHING_FOUND',
        message: nothingFoundMessage(typed, skipped),
      });
    }
    return found;
  }
  const key = inodeKey(stats);
  if (seenFiles.has(key)) return [];
  seenFiles.add(key);
  if (stats.isFile() || stats.isFIFO() || stats.isCharacterDevice()) {
    return [
      {
        dir: path.dirname(absolutePath),
        name: path.basename(absolutePath),
        absolutePath,
        displayPath: typed,
        stats,
        explicit: true,
        folder: null,
      },
    ];
  }
  problems.push({
    displayPath: typed,
    code: 'OOMS_E_SOURCE_UNREADABLE',
    message: `cannot read ${typed}: it is a socket or block device, not a log file — pass the log file instead`,
  });
  return [];
}

/** Walks a folder depth-first in name order, following symbolic links but never the same folder twice. */
async function walk(
  dir: string,
  displayDir: string,
  typed: string,
  found: Candidate[],
  skipped: SkipCounts,
  problems: InputProblem[],
  visitedDirs: Set<string>,
  seenFiles: Set<string>,
): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    problems.push(describeFsError(`${displayDir}/`, error));
    return;
  }
  names.sort();
  for (const name of names) {
    const absolutePath = path.join(dir, name);
    const displayPath = `${displayDir}/${name}`;
    let stats: Stats;
    try {
      stats = await stat(absolutePath);
    } catch (error) {
      // A dangling link is not worth a problem; anything else (EACCES on a sub-folder's entry…) is.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        problems.push(describeFsError(displayPath, error));
      continue;
    }
    if (stats.isDirectory()) {
      if (name.startsWith('.') || SKIPPED_DIRS.has(name)) {
        skipped.hiddenDirs++;
        continue;
      }
      const key = inodeKey(stats);
      if (visitedDirs.has(key)) continue; // a link loop, or a folder reached twice
      visitedDirs.add(key);
      await walk(absolutePath, displayPath, typed, found, skipped, problems, visitedDirs, seenFiles);
      continue;
    }
    if (!stats.isFile()) {
      skipped.specialFiles++;
      continue;
    }
    if (isObviouslyBinary(name)) {
      skipped.binaryFiles++;
      continue;
    }
    const key = inodeKey(stats);
    if (seenFiles.has(key)) continue;
    seenFiles.add(key);
    found.push({ dir, name, absolutePath, displayPath, stats, explicit: false, folder: typed });
  }
}

/** Looks at a file's first bytes: gzip or not, or a compression we cannot read, or unreadable. */
async function describeCandidate(candidate: Candidate, problems: InputProblem[]): Promise<InputFile | null> {
  const { stats, displayPath } = candidate;
  const base = {
    path: candidate.absolutePath,
    displayPath,
    mtimeMs: stats.mtimeMs,
    rotation: null,
    ...(candidate.folder !== null ? { folder: candidate.folder } : {}),
  };
  if (!stats.isFile()) {
    // FIFOs and character devices: reading their first bytes would consume them; sniffed when read.
    return {
      ...base,
      compressed: null,
      sizeBytes: 0,
      pipe: true,
      ...(isKmsgDevice(stats) ? { kmsg: true } : {}),
    };
  }
  let head: Buffer;
  try {
    head = await readFirstBytes(candidate.absolutePath, 8);
  } catch (error) {
    problems.push(describeFsError(displayPath, error));
    return null;
  }
  const unsupported = UNSUPPORTED_MAGIC.find((format) => format.magic.every((byte, i) => head[i] === byte));
  if (unsupported !== undefined) {
    problems.push({
      displayPath,
      code: 'OOMS_E_SOURCE_COMPRESSION_UNSUPPORTED',
      message: `cannot read ${displayPath}: it is ${unsupported.name}-compressed, and only gzip is read — decompress it (${unsupported.tool} ${displayPath}) and pass the result`,
    });
    return null;
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  return { ...base, compressed: gzip ? 'gzip' : null, sizeBytes: stats.size };
}

async function readFirstBytes(file: string, count: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The problem for a path that cannot be stat'ed: a missing one gets a "did you mean" when a close name exists. */
async function describeMissing(typed: string, error: unknown): Promise<InputProblem> {
  const problem = describeFsError(typed, error);
  if (problem.code !== 'OOMS_E_SOURCE_NOT_FOUND') return problem;
  const suggestion = await suggestPath(typed);
  if (suggestion === null) return problem;
  return { ...problem, message: `${problem.message} (did you mean ${suggestion}?)` };
}

function nothingFoundMessage(typed: string, skipped: SkipCounts): string {
  const reasons: string[] = [];
  if (skipped.hiddenDirs > 0) reasons.push(plural(skipped.hiddenDirs, 'hidden or vendored folder'));
  if (skipped.binaryFiles > 0) reasons.push(plural(skipped.binaryFiles, 'binary file'));
  if (skipped.specialFiles > 0) reasons.push(plural(skipped.specialFiles, 'socket or device'));
  const why = reasons.length > 0 ? `only ${reasons.join(', ')}, skipped` : 'it is empty';
  const folder = typed.endsWith('/') ? typed : `${typed}/`;
  return `found no log files in ${folder}: ${why} — pass the folder that holds the logs, or the log files themselves`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** True for names that are plainly not text logs (images, databases, archives, binary journals, wtmp…). */
export function isObviouslyBinary(name: string): boolean {
  if (BINARY_NAMES.has(name) || BINARY_NAMES.has(name.replace(/\.\d+$/, ''))) return true;
  const lower = name.toLowerCase();
  const stem = lower.endsWith('.gz') ? lower.slice(0, -3) : lower;
  if (stem.includes('.tar.')) return true;
  const ext = path.extname(stem);
  return ext !== '' && BINARY_EXTENSIONS.has(ext);
}

function inodeKey(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

function joinDisplay(dir: string, name: string): string {
  return dir === '.' && !name.includes('/') ? name : `${dir}/${name}`;
}
