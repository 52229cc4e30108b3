// Test helper: a tiny log folder held in memory — a few literal lines per file — read the way `analyze` reads a real
// one (the carrier told from the lines and the file name, the real framer and recognisers), placed in time by a real
// Clock and correlated in-process: no files, no subprocess.
import { Clock } from '../../src/clock/clock.js';
import { appFocus } from '../../src/correlate/app-records.js';
import { correlate } from '../../src/correlate/correlate.js';
import type { DeathFinding, Findings } from '../../src/correlate/finding.js';
import { detectCarrier } from '../../src/framing/detect.js';
import { newScannedSource, type ScannedSource } from '../../src/scan/observation.js';
import { createSourceScanner } from '../../src/scan/scan-source.js';

/**
 * File name → its lines: an indented template literal (its common indentation and blank first and last lines go),
 * or the lines as an array, taken as they are.
 */
export type LogFolder = Readonly<Record<string, string | readonly string[]>>;

export interface ReadOptions {
  /** `--app`; by default the guardian log names the app. */
  readonly app?: string | null;
  /** `--tz`. */
  readonly zone?: string;
  /** `--boot-time`, ms since the epoch. */
  readonly bootTimeMs?: number | null;
  /** `--year`; by default yearless files take their year from the dated ones. */
  readonly year?: number | null;
}

export interface ReadFolder {
  readonly sources: readonly ScannedSource[];
  readonly findings: Findings;
}

/** "Now" for every folder: the day after the deaths in these tests, so no file looks as if it were from the future. */
const NOW_MS = Date.parse('2024-07-24T12:00:00+08:00');

/** Scans each file of `folder` (in the order given) and correlates them as `oomsleuth analyze` would. */
export function readFolder(folder: LogFolder, options: ReadOptions = {}): ReadFolder {
  const files = Object.entries(folder).map(([name, text]) => ({
    name,
    lines: typeof text === 'string' ? linesOf(text) : text,
  }));
  // As analyze does: the guardian logs first, so the app they name is known when the system logs are read.
  const guardians = files.map((f, id) => (isGuardian(f) ? scanFile(id, f.name, f.lines, null) : null));
  const app =
    options.app ?? guardians.map((g) => (g === null ? null : guardianName(g))).find((n) => n) ?? null;
  const sources = files.map((f, id) => guardians[id] ?? scanFile(id, f.name, f.lines, app));
  const zone = options.zone ?? 'Asia/Shanghai';
  const clock = Clock.build(sources, {
    zone,
    year: options.year ?? null,
    bootTimeMs: options.bootTimeMs ?? null,
    liveBootTimeMs: null,
    nowMs: NOW_MS,
  });
  const findings = correlate({ sources, clock, app: options.app ?? null, since: null, until: null });
  return { sources, findings };
}

/** The one death the folder shows; throws when it shows none or several. */
export function onlyDeath(folder: LogFolder, options: ReadOptions = {}): DeathFinding {
  const { deaths } = readFolder(folder, options).findings;
  if (deaths.length !== 1) {
    const causes = deaths.map((d) => d.verdict.cause).join(', ');
    throw new Error(`expected one death, found ${deaths.length}${causes ? ` (${causes})` : ''}`);
  }
  return deaths[0]!;
}

/** Milliseconds of an ISO instant, for comparing with `diedAtMs`/`restartedAtMs`. */
export function ms(iso: string): number {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw new Error(`not an instant: ${iso}`);
  return at;
}

function isGuardian(file: { name: string; lines: readonly string[] }): boolean {
  return detectCarrier(file.lines, file.name)?.kind === 'guardian';
}

function guardianName(source: ScannedSource): string | null {
  for (const o of source.observations) if (o.event.type === 'guardian.check') return o.event.name;
  return null;
}

function scanFile(id: number, name: string, lines: readonly string[], app: string | null): ScannedSource {
  const carrier = detectCarrier(lines, name);
  if (carrier === null) throw new Error(`${name}: no carrier frames these lines`);
  const source = newScannedSource({
    id,
    path: name,
    displayPath: name,
    kind: carrier.kind,
    format: carrier.format,
    mtimeMs: null,
    live: false,
  });
  const scanner = createSourceScanner(source, carrier, appFocus(app));
  scanner.push(lines.map((text, i) => ({ sourceId: id, lineNo: i + 1, text })));
  scanner.end();
  return source;
}

/** The lines of an indented template literal: its common indentation and blank first and last lines go. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(indent));
}
