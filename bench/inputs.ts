// The benchmark's inputs: which files each case reads, how they are generated (once, then reused from the cache),
// what the baseline runs on them, and which OOM kills oomsleuth must find in them.
import { link, mkdir, rm, stat, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCheckLog, writeRunningLog } from './app-writers.js';
import {
  cacheRoot,
  generatorFingerprint,
  type Manifest,
  type ManifestFile,
  manifestStillValid,
  REPO_ROOT,
  readManifest,
  writeManifest,
} from './cache.js';
import { writeJournal } from './journal-writer.js';
import { createRandom, deriveSeed } from './random.js';
import { gzipFileSink, plainFileSink, type Sink } from './sink.js';
import { APP_NAME, type PlantedKill, planStory, type Story } from './story.js';
import { writeSyslog } from './syslog-writer.js';

export type Mode = 'full' | 'quick';
const GIB = 1024 ** 3;
const DAY_MS = 86_400_000;

/** The grep every case is compared with: what an operator would type first. */
export const BASELINE_GREP = "LC_ALL=C grep -ciE 'oom|out of memory|killed process'";

interface ModeSettings {
  /** Fraction of the full sizes. */
  readonly scale: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** Full: a year (2024, UTC) at the sizes. Quick: 1/64 of the sizes over 1/64 of the year, for a smoke run. */
export function modeSettings(mode: Mode): ModeSettings {
  const yearStart = Date.UTC(2024, 0, 1);
  const yearEnd = Date.UTC(2024, 11, 31, 23, 59);
  if (mode === 'full') return { scale: 1, startMs: yearStart, endMs: yearEnd };
  const start = Date.UTC(2024, 6, 1);
  return { scale: 1 / 64, startMs: start, endMs: start + Math.round((366 * DAY_MS) / 64 / 60_000) * 60_000 };
}

export interface ExpectedKill {
  readonly process: string;
  readonly pid: number;
  /** ISO time of the kill line. */
  readonly at: string;
}

/** What a correct `analyze --json` says for a case. */
export type Expectation =
  | {
      readonly kind: 'kills';
      readonly incidents: ExpectedKill[];
      readonly otherOomKills: ExpectedKill[];
      /** With a guardian log: every incident must be `oom-killer` and `confirmed`. */
      readonly requireConfirmed: boolean;
    }
  | { readonly kind: 'example'; readonly expectedFile: string };

export interface BenchCase {
  readonly id: string;
  readonly title: string;
  /** Arguments after `oomsleuth`. */
  readonly analyzeArgs: string[];
  /** A bash script printing grep counts (one number per line, or `file:count`). */
  readonly baseline: string;
  /** Every file read, for warming the page cache. */
  readonly files: string[];
  /** Uncompressed bytes of the input. */
  readonly bytes: number;
  readonly onDiskBytes: number;
  readonly expect: Expectation;
  /** Lines the baseline should count, as the generator counted them (null: not generated). */
  readonly baselineMatches: number | null;
}

interface ArtifactExtra {
  readonly kills: PlantedKill[];
  readonly lines: number;
  readonly baselineMatches: number;
  /** Uncompressed size of each file, by manifest path. */
  readonly uncompressed: Record<string, number>;
}

type ArtifactManifest = Manifest<ArtifactExtra>;

interface ArtifactSpec {
  readonly name: string;
  readonly describe: string;
  readonly params: unknown;
  generate(dir: string): Promise<{ files: ManifestFile[]; extra: ArtifactExtra }>;
}

export interface Inputs {
  readonly cases: BenchCase[];
  /** Seconds spent generating in this run (0 when everything came from the cache). */
  readonly generationSeconds: number;
  /** Seconds the inputs in use took to generate, whenever that was (from their manifests). */
  readonly recordedGenerationSeconds: number;
  readonly generated: string[];
}

const q = (path: string): string => `'${path.replace(/'/g, "'\\''")}'`;

function mkRandom(seed: number, label: string) {
  return createRandom(deriveSeed(seed, label));
}

/** The story behind one generated set; the same label always gives the same kills. */
function storyFor(seed: number, label: string, settings: ModeSettings): Story {
  return planStory(mkRandom(seed, `${label}:story`), settings.startMs, settings.endMs);
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path)).size;
}

async function setMtime(path: string, ms: number): Promise<void> {
  await utimes(path, ms / 1000, ms / 1000);
}

/**
 * Makes sure every artifact the selected cases need exists in the cache, generating what is missing or stale, and
 * returns the cases with their files and expected answers.
 */
export async function prepareInputs(
  mode: Mode,
  seed: number,
  selected: readonly string[],
  log: (text: string) => void,
): Promise<Inputs> {
  const settings = modeSettings(mode);
  const root = join(cacheRoot(), mode);
  await mkdir(root, { recursive: true });
  const generator = await generatorFingerprint();
  const size = (gib: number): number => Math.round(gib * GIB * settings.scale);
  const span = { startMs: settings.startMs, endMs: settings.endMs };
  const generated: string[] = [];
  let generationMs = 0;

  const ensure = async (spec: ArtifactSpec): Promise<ArtifactManifest> => {
    const manifestPath = join(root, `${spec.name}.manifest.json`);
    const existing = await readManifest<ArtifactExtra>(manifestPath);
    if (await manifestStillValid(existing, root, generator, seed, spec.params)) return existing!;
    const started = performance.now();
    log(`generating ${spec.describe} …`);
    await rm(manifestPath, { force: true });
    const { files, extra } = await spec.generate(root);
    const elapsed = performance.now() - started;
    const manifest: ArtifactManifest = {
      generator,
      seed,
      params: spec.params,
      files,
      generatedInMs: Math.round(elapsed),
      extra,
    };
    await writeManifest(manifestPath, manifest);
    generationMs += elapsed;
    generated.push(spec.name);
    log(`  done in ${(elapsed / 1000).toFixed(1)} s`);
    return manifest;
  };

  /** A: one 1 GiB syslog; B: the same bytes gzipped, written in the same pass. */
  const syslogA: ArtifactSpec = {
    name: 'A-B-syslog',
    describe: `A (${gib(size(1))} syslog) and B (the same, gzip -1)`,
    params: { bytes: size(1), ...span },
    async generate(dir) {
      const story = storyFor(seed, 'A', settings);
      const plain = join(dir, 'A', 'syslog');
      const gz = join(dir, 'B', 'syslog.gz');
      await fresh(join(dir, 'A'), join(dir, 'B'));
      const out = await writeSyslog(story, mkRandom(seed, 'A:traffic'), [
        { sinks: [plainFileSink(plain), gzipFileSink(gz)], targetBytes: size(1) },
      ]);
      const last = out.parts[0]!.lastMs;
      await setMtime(plain, last);
      await setMtime(gz, last);
      const bytes = out.parts[0]!.bytes;
      return {
        files: [
          { path: 'A/syslog', bytes },
          { path: 'B/syslog.gz', bytes: await sizeOf(gz) },
        ],
        extra: {
          kills: story.kills as PlantedKill[],
          lines: out.lines,
          baselineMatches: out.baselineMatches,
          uncompressed: { 'A/syslog': bytes, 'B/syslog.gz': bytes },
        },
      };
    },
  };

  /** C: syslog.7.gz (oldest) … syslog.2.gz, syslog.1, syslog — 2 GiB of text in eight equal parts. */
  const rotatedNames = [
    'syslog.7.gz',
    'syslog.6.gz',
    'syslog.5.gz',
    'syslog.4.gz',
    'syslog.3.gz',
    'syslog.2.gz',
  ];
  const rotatedC: ArtifactSpec = {
    name: 'C-rotated',
    describe: `C (rotated set, ${gib(size(2))} uncompressed)`,
    params: { bytes: size(2), parts: 8, ...span },
    async generate(dir) {
      const story = storyFor(seed, 'C', settings);
      const folder = join(dir, 'C');
      await fresh(folder);
      const names = [...rotatedNames, 'syslog.1', 'syslog'];
      const sinks: Sink[][] = names.map((name) => [
        name.endsWith('.gz') ? gzipFileSink(join(folder, name)) : plainFileSink(join(folder, name)),
      ]);
      const out = await writeSyslog(
        story,
        mkRandom(seed, 'C:traffic'),
        sinks.map((s) => ({ sinks: s, targetBytes: Math.round(size(2) / names.length) })),
      );
      const files: ManifestFile[] = [];
      const uncompressed: Record<string, number> = {};
      for (const [i, name] of names.entries()) {
        const path = join(folder, name);
        await setMtime(path, out.parts[i]!.lastMs);
        files.push({ path: `C/${name}`, bytes: await sizeOf(path) });
        uncompressed[`C/${name}`] = out.parts[i]!.bytes;
      }
      return {
        files,
        extra: {
          kills: story.kills as PlantedKill[],
          lines: out.lines,
          baselineMatches: out.baselineMatches,
          uncompressed,
        },
      };
    },
  };

  const journalD: ArtifactSpec = {
    name: 'D-journal',
    describe: `D (${gib(size(1))} journalctl -o json)`,
    params: { bytes: size(1), ...span },
    async generate(dir) {
      const story = storyFor(seed, 'D', settings);
      await fresh(join(dir, 'D'));
      const path = join(dir, 'D', 'journal.json');
      const out = await writeJournal(story, mkRandom(seed, 'D:traffic'), [plainFileSink(path)], size(1));
      await setMtime(path, out.parts[0]!.lastMs);
      const bytes = out.parts[0]!.bytes;
      return {
        files: [{ path: 'D/journal.json', bytes }],
        extra: {
          kills: story.kills as PlantedKill[],
          lines: out.lines,
          baselineMatches: out.baselineMatches,
          uncompressed: { 'D/journal.json': bytes },
        },
      };
    },
  };

  const syslogF: ArtifactSpec = {
    name: 'F-syslog',
    describe: `F (${gib(size(4))} syslog)`,
    params: { bytes: size(4), ...span },
    async generate(dir) {
      const story = storyFor(seed, 'F', settings);
      await fresh(join(dir, 'F'));
      const path = join(dir, 'F', 'syslog');
      const out = await writeSyslog(story, mkRandom(seed, 'F:traffic'), [
        { sinks: [plainFileSink(path)], targetBytes: size(4) },
      ]);
      await setMtime(path, out.parts[0]!.lastMs);
      const bytes = out.parts[0]!.bytes;
      return {
        files: [{ path: 'F/syslog', bytes }],
        extra: {
          kills: story.kills as PlantedKill[],
          lines: out.lines,
          baselineMatches: out.baselineMatches,
          uncompressed: { 'F/syslog': bytes },
        },
      };
    },
  };

  const wanted = new Set(selected);
  const needA = ['A', 'B', 'E'].some((id) => wanted.has(id));
  const a = needA ? await ensure(syslogA) : null;

  /** E: check.log and running.log from A's story, and A's syslog itself (hard-linked, not copied). */
  const appE: ArtifactSpec | null =
    a === null
      ? null
      : {
          name: 'E-app-folder',
          describe: `E (check.log a line a minute, ${gib(size(1))} running.log, A's syslog linked)`,
          params: { bytes: size(1), ...span, a: { generator: a.generator, files: a.files } },
          async generate(dir) {
            const story = storyFor(seed, 'A', settings);
            const folder = join(dir, 'E');
            await fresh(folder);
            const check = await writeCheckLog(story, [plainFileSink(join(folder, 'check.log'))]);
            const running = await writeRunningLog(
              story,
              mkRandom(seed, 'E:running'),
              [plainFileSink(join(folder, 'running.log'))],
              size(1),
            );
            await setMtime(join(folder, 'check.log'), check.parts[0]!.lastMs);
            await setMtime(join(folder, 'running.log'), running.parts[0]!.lastMs);
            await linkOrSymlink(join(dir, 'A', 'syslog'), join(folder, 'syslog'));
            const syslogBytes = a.extra.uncompressed['A/syslog']!;
            return {
              files: [
                { path: 'E/check.log', bytes: check.parts[0]!.bytes },
                { path: 'E/running.log', bytes: running.parts[0]!.bytes },
                { path: 'E/syslog', bytes: syslogBytes },
              ],
              extra: {
                kills: story.kills as PlantedKill[],
                lines: check.lines + running.lines + a.extra.lines,
                baselineMatches: running.baselineMatches + a.extra.baselineMatches,
                uncompressed: {
                  'E/check.log': check.parts[0]!.bytes,
                  'E/running.log': running.parts[0]!.bytes,
                  'E/syslog': syslogBytes,
                },
              },
            };
          },
        };

  const artifacts: Record<string, ArtifactManifest> = {};
  if (a !== null) artifacts.A = a;
  if (wanted.has('C')) artifacts.C = await ensure(rotatedC);
  if (wanted.has('D')) artifacts.D = await ensure(journalD);
  if (wanted.has('E') && appE !== null) artifacts.E = await ensure(appE);
  if (wanted.has('F')) artifacts.F = await ensure(syslogF);

  const cases: BenchCase[] = [];
  const at = (path: string): string => join(root, path);
  const kills = (m: ArtifactManifest): ExpectedKill[] =>
    m.extra.kills.map((k) => ({ process: k.process, pid: k.pid, at: k.at }));
  const allKills = (m: ArtifactManifest): Expectation => ({
    kind: 'kills',
    incidents: kills(m),
    otherOomKills: [],
    requireConfirmed: false,
  });
  const sum = (m: ArtifactManifest, paths: string[]): number =>
    paths.reduce((total, p) => total + (m.extra.uncompressed[p] ?? 0), 0);
  const onDisk = (m: ArtifactManifest, paths: string[]): number =>
    paths.reduce((total, p) => total + (m.files.find((f) => f.path === p)?.bytes ?? 0), 0);
  const syslogFlags = ['--year', '2024', '--tz', 'UTC', '--json'];

  for (const id of selected) {
    if (id === 'A' && a) {
      cases.push({
        id,
        title: `${gib(sum(a, ['A/syslog']))} RFC 3164 syslog`,
        analyzeArgs: ['analyze', at('A/syslog'), ...syslogFlags],
        baseline: `${BASELINE_GREP} ${q(at('A/syslog'))}`,
        files: [at('A/syslog')],
        bytes: sum(a, ['A/syslog']),
        onDiskBytes: onDisk(a, ['A/syslog']),
        expect: allKills(a),
        baselineMatches: a.extra.baselineMatches,
      });
    } else if (id === 'B' && a) {
      cases.push({
        id,
        title: 'case A gzipped',
        analyzeArgs: ['analyze', at('B/syslog.gz'), ...syslogFlags],
        baseline: `zcat ${q(at('B/syslog.gz'))} | ${BASELINE_GREP}`,
        files: [at('B/syslog.gz')],
        bytes: sum(a, ['B/syslog.gz']),
        onDiskBytes: onDisk(a, ['B/syslog.gz']),
        expect: allKills(a),
        baselineMatches: a.extra.baselineMatches,
      });
    } else if (id === 'C' && artifacts.C) {
      const m = artifacts.C;
      const paths = m.files.map((f) => f.path);
      const plain = paths.filter((p) => !p.endsWith('.gz')).map((p) => q(at(p)));
      const gz = paths.filter((p) => p.endsWith('.gz')).map((p) => q(at(p)));
      cases.push({
        id,
        title: 'rotated syslog, syslog.1, syslog.2-7.gz',
        analyzeArgs: ['analyze', at('C'), ...syslogFlags],
        baseline: `${BASELINE_GREP} ${plain.join(' ')}; zcat ${gz.join(' ')} | ${BASELINE_GREP}`,
        files: paths.map(at),
        bytes: sum(m, paths),
        onDiskBytes: onDisk(m, paths),
        expect: allKills(m),
        baselineMatches: m.extra.baselineMatches,
      });
    } else if (id === 'D' && artifacts.D) {
      const m = artifacts.D;
      cases.push({
        id,
        title: 'journalctl -o json export',
        analyzeArgs: ['analyze', at('D/journal.json'), '--tz', 'UTC', '--json'],
        baseline: `${BASELINE_GREP} ${q(at('D/journal.json'))}`,
        files: [at('D/journal.json')],
        bytes: sum(m, ['D/journal.json']),
        onDiskBytes: onDisk(m, ['D/journal.json']),
        expect: allKills(m),
        baselineMatches: m.extra.baselineMatches,
      });
    } else if (id === 'E' && artifacts.E) {
      const m = artifacts.E;
      const paths = m.files.map((f) => f.path);
      const all = kills(m);
      cases.push({
        id,
        title: 'app folder: check.log + running.log + A',
        analyzeArgs: ['analyze', at('E'), ...syslogFlags],
        baseline: `${BASELINE_GREP} ${paths.map((p) => q(at(p))).join(' ')}`,
        files: paths.map(at),
        bytes: sum(m, paths),
        onDiskBytes: onDisk(m, paths),
        expect: {
          kind: 'kills',
          incidents: all.filter((k) => k.process === APP_NAME),
          otherOomKills: all.filter((k) => k.process !== APP_NAME),
          requireConfirmed: true,
        },
        baselineMatches: m.extra.baselineMatches,
      });
    } else if (id === 'F' && artifacts.F) {
      const m = artifacts.F;
      cases.push({
        id,
        title: `${gib(sum(m, ['F/syslog']))} syslog (memory must not grow)`,
        analyzeArgs: ['analyze', at('F/syslog'), ...syslogFlags],
        baseline: `${BASELINE_GREP} ${q(at('F/syslog'))}`,
        files: [at('F/syslog')],
        bytes: sum(m, ['F/syslog']),
        onDiskBytes: onDisk(m, ['F/syslog']),
        expect: allKills(m),
        baselineMatches: m.extra.baselineMatches,
      });
    } else if (id === 'X') {
      cases.push(await exampleCase());
    }
  }
  const recordedMs = Object.values(artifacts).reduce((total, m) => total + m.generatedInMs, 0);
  return {
    cases,
    generationSeconds: generationMs / 1000,
    recordedGenerationSeconds: recordedMs / 1000,
    generated,
  };
}

/** The bundled example (examples/anqicms-vps): small, so its row shows start-up cost. */
async function exampleCase(): Promise<BenchCase> {
  const folder = join(REPO_ROOT, 'examples', 'anqicms-vps');
  const names = ['check.log', 'running.log', 'syslog', 'syslog.1', 'syslog.2.gz'];
  const files = names.map((name) => join(folder, name));
  let onDiskBytes = 0;
  for (const file of files) onDiskBytes += await sizeOf(file);
  const plain = files.filter((f) => !f.endsWith('.gz')).map(q);
  return {
    id: 'X',
    title: 'examples/anqicms-vps (start-up cost)',
    analyzeArgs: ['analyze', folder, '--tz', 'Asia/Shanghai', '--json'],
    baseline: `${BASELINE_GREP} ${plain.join(' ')}; zcat ${q(join(folder, 'syslog.2.gz'))} | ${BASELINE_GREP}`,
    files,
    bytes: onDiskBytes,
    onDiskBytes,
    expect: { kind: 'example', expectedFile: join(REPO_ROOT, 'examples', 'anqicms-vps.expected.json') },
    baselineMatches: null,
  };
}

/** Removes stale output first: overwriting a big file costs the kernel more than writing a new one. */
async function fresh(...folders: string[]): Promise<void> {
  for (const folder of folders) {
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
  }
}

async function linkOrSymlink(target: string, path: string): Promise<void> {
  try {
    await link(target, path);
  } catch {
    await symlink(target, path);
  }
}

export function gib(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(bytes % GIB === 0 ? 0 : 2)} GiB`;
  return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}
