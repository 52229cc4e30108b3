// The analyze pipeline, once over finite inputs: find the inputs, classify each by content, scan them through
// framing and recognisers, place every stamp in time, correlate, and build the contract's document.
import { basename } from 'node:path';
import { Clock } from '../clock/clock.js';
import { formatIso } from '../clock/zone.js';
import { ANALYSIS_SCHEMA, type Analysis, type SourceKind, type SourceReport } from '../contract/analysis.js';
import { appFocus } from '../correlate/app-records.js';
import { correlate } from '../correlate/correlate.js';
import { diagnoseDeaths } from '../diagnose/from-scan.js';
import { OomsleuthError, problemLine } from '../errors.js';
import type { Carrier } from '../framing/carrier.js';
import { detectCarrier } from '../framing/detect.js';
import { WORK_NEEDLES } from '../recognise/app-work.js';
import { needlesFor, ownLineNeedles, TASK_TABLE_BLOCK } from '../recognise/needles.js';
import { diagnosisOf } from '../report/diagnosis-words.js';
import { incidentOf, otherKillOf } from '../report/incident.js';
import type { Language } from '../report/language.js';
import { newScannedSource, type ScannedSource } from '../scan/observation.js';
import { createSourceScanner } from '../scan/scan-source.js';
import { discoverInputs } from '../sources/discover.js';
import { type Discovery, type InputFile, type InputProblem, isReadOnce } from '../sources/input-file.js';
import type { Selection } from '../sources/prefilter/selecting-splitter.js';
import { readHead, readLines, releaseInput } from '../sources/read-input.js';
import type { AnalyzeConfig } from './analyze-config.js';

/** The analysis flags (`paths`: files and folders, `-` is stdin). */
export interface AnalyzeOptions
  extends Pick<AnalyzeConfig, 'paths' | 'app' | 'zone' | 'year' | 'bootTimeMs' | 'since' | 'until'> {
  /**
   * This machine's own sources (its journal, dmesg and /var/log: src/sources/live.ts), read as well as `paths`: when
   * no PATH is given, or with --machine. One that is also among `paths` is read once.
   */
  readonly machineInputs?: Discovery;
  /**
   * This machine's boot time (/proc/stat btime): it places the boot-relative stamps of what is read live from this
   * machine (its journal and dmesg, /dev/kmsg given as a PATH), never those of a saved file.
   */
  readonly machineBootTimeMs?: number | null;
  readonly nowMs?: number;
  /** The language of the prose in the document (each evidence line's `says`); English when not given. */
  readonly language?: Language;
  /** Called as bytes are read, for a progress line. */
  readonly onProgress?: (progress: Progress) => void;
  /** Called once per problem as it is found, for stderr. */
  readonly onProblem?: (problem: InputProblem) => void;
}

export interface Progress {
  readonly path: string;
  readonly inputIndex: number;
  readonly inputCount: number;
  readonly linesRead: number;
}

export async function analyze(options: AnalyzeOptions): Promise<Analysis> {
  const nowMs = options.nowMs ?? Date.now();
  const discovery = await findInputs(options);
  const reportProblem = (problem: InputProblem): void => options.onProblem?.(problem);
  discovery.problems.forEach(reportProblem);

  const unreadable: SourceReport[] = problemOnlySources(discovery.problems);
  const classified: Classified[] = [];
  for (const [index, input] of discovery.inputs.entries()) classified.push(await classify(input, index));
  const context: ScanContext = {
    count: discovery.inputs.length,
    live: discovery.live,
    options,
    reportProblem,
    skippedInFolders: [],
  };
  // Guardian and app logs first: they name the app, whose unit lines the system logs' prefilter must keep.
  const scan = (item: Classified, app: string | null) => scanInput(item, app, context);
  const scanned: ScannedSource[] = [];
  let app = options.app;
  for (const item of classified.filter((c) => c.kind === 'guardian')) {
    const source = await scan(item, app);
    app ??= guardianName(source);
    scanned.push(source);
  }
  // The rest two at a time: one file's bytes are read or gunzipped in the thread pool while another is scanned.
  const rest = classified.filter((c) => c.kind !== 'guardian');
  scanned.push(...(await mapConcurrently(rest, SCAN_CONCURRENCY, (item) => scan(item, app))));
  scanned.sort((a, b) => a.id - b.id);
  reportSkippedFiles(context.skippedInFolders, reportProblem);
  const readable = scanned.filter((s) => s.kind !== 'unknown' && s.lines > 0);
  if (readable.length === 0) {
    throw new OomsleuthError('OOMS_E_NO_INPUT', noInputMessage(options, discovery.problems, scanned));
  }

  const clock = Clock.build(readable, {
    zone: options.zone,
    year: options.year,
    bootTimeMs: options.bootTimeMs,
    liveBootTimeMs: options.machineBootTimeMs ?? null,
    nowMs,
  });
  const findings = correlate({
    sources: readable,
    clock,
    app: options.app,
    since: options.since,
    until: options.until,
  });
  const iso = (ms: number) => formatIso(ms, options.zone);
  // Why memory ran out, for each OOM death: from what the scan kept, nothing read again.
  const diagnoses = diagnoseDeaths(findings.deaths, {
    sources: readable,
    clock,
    zone: options.zone,
    app: findings.app,
  });
  return {
    schema: ANALYSIS_SCHEMA,
    app: findings.app,
    generatedAt: clock.iso(nowMs)!,
    sources: [
      ...scanned.map((s) => ({
        path: s.displayPath,
        kind: s.kind,
        format: s.format,
        lines: s.lines,
        first: s.first ? clock.iso(clock.timeOf(s.first, s.id)) : null,
        last: s.last ? clock.iso(clock.timeOf(s.last, s.id)) : null,
        problems: s.problems,
        notes: s.notes,
      })),
      ...unreadable,
    ],
    incidents: findings.deaths.map((d) => {
      const diagnosis = diagnoses.get(d);
      const language = options.language ?? 'en';
      return incidentOf(
        d,
        iso,
        language,
        diagnosis === undefined ? undefined : diagnosisOf(diagnosis, language),
      );
    }),
    otherOomKills: findings.otherKills.map((k) => otherKillOf(k, iso)),
  };
}

/** The PATHs' inputs, then this machine's own sources that are not among them; the latter are read live. */
async function findInputs(options: AnalyzeOptions): Promise<Discovery & { live: ReadonlySet<InputFile> }> {
  const given: Discovery =
    options.paths.length > 0 ? await discoverInputs(options.paths) : { inputs: [], problems: [] };
  const machine = options.machineInputs ?? { inputs: [], problems: [] };
  // `analyze /var/log --machine`: /var/log/syslog once, as the PATH found it.
  const named = new Set(given.inputs.map((input) => input.path));
  const own = machine.inputs.filter((input) => !named.has(input.path));
  return {
    inputs: [...given.inputs, ...own],
    problems: [...given.problems, ...machine.problems],
    live: new Set(own),
  };
}

/** What every scan of one run shares. */
interface ScanContext {
  readonly count: number;
  /** Inputs read live from this machine: their boot-relative stamps are placed with its boot time. */
  readonly live: ReadonlySet<InputFile>;
  readonly options: AnalyzeOptions;
  readonly reportProblem: (problem: InputProblem) => void;
  /** Files of no known format found by walking a folder: reported once per folder, not once each. */
  readonly skippedInFolders: { readonly input: InputFile; readonly message: string }[];
}

interface Classified {
  readonly input: InputFile;
  readonly id: number;
  readonly head: string[];
  readonly carrier: Carrier | null;
  readonly kind: SourceKind;
}

/** Sources scanned at once: the machines this runs on have two cores or more, and the reads overlap anyway. */
const SCAN_CONCURRENCY = 2;

/** Runs `work` over `items`, at most `limit` at a time; results in the items' order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function classify(input: InputFile, id: number): Promise<Classified> {
  const head = await readHead(input);
  const carrier = detectCarrier(head, basename(input.path));
  return { input, id, head, carrier, kind: carrier?.kind ?? 'unknown' };
}

/**
 * Inputs smaller than this are read line by line: choosing the scanner's anchors costs more than it saves.
 * OOMSLEUTH_PREFILTER=off decodes every line of every input, =always prefilters even small ones (the tests
 * compare the two), unset = this threshold.
 */
const PREFILTER_MIN_BYTES = 1024 * 1024;
const GZIP_RATIO = 10;
const PREFILTER = process.env.OOMSLEUTH_PREFILTER ?? 'auto';

function wantsPrefilter(input: InputFile): boolean {
  if (PREFILTER === 'off') return false;
  if (PREFILTER === 'always') return true;
  // Pipes and commands have no size to judge by: they are the big ones in practice. Logs gzip about tenfold.
  if (isReadOnce(input)) return true;
  return input.sizeBytes * (input.compressed !== null ? GZIP_RATIO : 1) >= PREFILTER_MIN_BYTES;
}

async function scanInput(
  { input, id, head, carrier, kind }: Classified,
  app: string | null,
  { count, live, options, reportProblem, skippedInFolders }: ScanContext,
): Promise<ScannedSource> {
  const source = newScannedSource({
    id,
    path: input.path,
    displayPath: input.displayPath,
    kind,
    format: carrier?.format ?? 'unknown',
    mtimeMs: input.stdin || input.pipe || input.command ? null : input.mtimeMs,
    live: live.has(input) || input.kmsg === true,
  });
  const reporter = {
    problem(code: InputProblem['code'], message: string) {
      source.problems.push(problemLine(code, message));
      reportProblem({ displayPath: input.displayPath, code, message });
    },
  };
  if (!carrier) {
    if (head.length > 0) {
      const message = `${input.displayPath}: no known log format in its first ${head.length} lines — skipped (if it is a log oomsleuth should read, see docs/formats.md for the formats it knows)`;
      if (input.folder === undefined) reporter.problem('OOMS_E_SOURCE_UNKNOWN_FORMAT', message);
      else {
        // A service's folder holds its binary, config, templates and uploads: listed in sources, said once.
        source.problems.push(problemLine('OOMS_E_SOURCE_UNKNOWN_FORMAT', message));
        skippedInFolders.push({ input, message });
      }
      // Stdin and commands hold what the head read took; let them go (and end the command).
      releaseInput(input);
    } else {
      // Drain the input so empty/unreadable/binary problems are reported by the reader.
      for await (const _ of readLines(input, id, reporter)) void _;
    }
    return source;
  }
  const needles = wantsPrefilter(input) ? needlesFor(kind, carrier.format, app, head) : null;
  const own = ownLineNeedles(kind, carrier.format, app);
  const select: Selection | undefined = needles
    ? {
        needles,
        context: kind === 'app' ? 'app' : 'system',
        sample: head,
        // The app's work lines are read only just before a death (see Selection.work).
        ...(kind === 'app' ? { work: WORK_NEEDLES } : { follow: TASK_TABLE_BLOCK }),
        ...(own === null ? {} : { own }),
      }
    : undefined;
  const scanner = createSourceScanner(source, carrier, appFocus(app));
  for await (const batch of readLines(input, id, reporter, select ? { select } : {})) {
    scanner.push(batch);
    options.onProgress?.({
      path: input.displayPath,
      inputIndex: id,
      inputCount: count,
      linesRead: source.lines,
    });
  }
  scanner.end();
  const dropped = scanner.dropped();
  if (dropped !== null) {
    const lines =
      dropped.count === 1
        ? `1 line is not a ${carrier.format} entry (line`
        : `${dropped.count} lines are not ${carrier.format} entries (the first at line`;
    reporter.problem(
      'OOMS_E_SOURCE_MALFORMED_LINES',
      `${input.displayPath}: ${lines} ${dropped.firstLineNo}) — skipped, with any evidence in them; the file is damaged or was cut (a line over the length cap, a copy taken mid-write): ${carrier.damagedLineFix ?? 'export it again (journalctl -o json > FILE)'}`,
    );
  }
  return source;
}

/** How many names a folder's summary of skipped files shows. */
const SKIPPED_NAMES_SHOWN = 3;

/** One problem per folder for the files of no known format its walk found (one such file keeps its own message). */
function reportSkippedFiles(
  skipped: ScanContext['skippedInFolders'],
  report: (problem: InputProblem) => void,
): void {
  const byFolder = new Map<string, ScanContext['skippedInFolders']>();
  for (const file of skipped) {
    const folder = file.input.folder ?? '';
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  for (const [folder, files] of byFolder) {
    if (files.length === 1) {
      const [{ input, message }] = files as [(typeof files)[number]];
      report({ displayPath: input.displayPath, code: 'OOMS_E_SOURCE_UNKNOWN_FORMAT', message });
      continue;
    }
    // `anqicms/template/index.html` → `template/index.html`: the names as they sit in the folder.
    const names = files.map(({ input }) => input.displayPath.replace(/^[^/]*\//, ''));
    const shown = names.slice(0, SKIPPED_NAMES_SHOWN).join(', ');
    const more = names.length > SKIPPED_NAMES_SHOWN ? ` and ${names.length - SKIPPED_NAMES_SHOWN} more` : '';
    report({
      displayPath: folder,
      code: 'OOMS_E_SOURCE_UNKNOWN_FORMAT',
      message: `${folder}: ${files.length} files of no known log format skipped (${shown}${more}; --json lists each under sources) — if one is a log oomsleuth should read, see docs/formats.md for the formats it knows`,
    });
  }
}

/** The app a guardian log is about: the name in its first check line. */
function guardianName(source: ScannedSource): string | null {
  for (const o of source.observations) if (o.event.type === 'guardian.check') return o.event.name;
  return null;
}

/** Inputs that could not even be opened still appear in `sources`, with their problem. */
function problemOnlySources(problems: readonly InputProblem[]): SourceReport[] {
  const byPath = new Map<string, string[]>();
  for (const p of problems) {
    const list = byPath.get(p.displayPath) ?? [];
    list.push(problemLine(p.code, p.message));
    byPath.set(p.displayPath, list);
  }
  return [...byPath].map(([path, messages]) => ({
    path,
    kind: 'unknown',
    format: 'unknown',
    lines: 0,
    first: null,
    last: null,
    problems: messages,
    notes: [],
  }));
}

function noInputMessage(
  { paths, machineInputs }: AnalyzeOptions,
  problems: readonly InputProblem[],
  scanned: readonly ScannedSource[],
): string {
  const own = "this machine's logs";
  const where = paths.length ? `${paths.join(' ')}${machineInputs ? ` and ${own}` : ''}` : own;
  const reasons = [
    ...problems.map((p) => problemLine(p.code, p.message)),
    ...scanned.flatMap((s) => s.problems),
  ];
  const shown = reasons.slice(0, 5).map((r) => `  - ${r}`);
  if (reasons.length > 5) shown.push(`  - … and ${reasons.length - 5} more`);
  return [
    problemLine('OOMS_E_NO_INPUT', `no readable log found in ${where}`),
    ...shown,
    'pass the guardian log (check.log), the app log (running.log) and a kernel/system log (syslog, dmesg output, journalctl -o json) or a folder holding them',
  ].join('\n');
}
