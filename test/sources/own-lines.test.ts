// A system log's lines the app in focus wrote itself are decoded only where the scan keeps something of them (its
// starts, ends, OOM errors, new pids and the last line before each): whatever the file, the scan of the prefiltered
// lines keeps exactly what the scan of every line keeps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { appFocus } from '../../src/correlate/app-records.js';
import { carrierByFormat } from '../../src/framing/carrier-list.js';
import { needlesFor, ownLineNeedles } from '../../src/recognise/needles.js';
import { newScannedSource, type ScannedSource } from '../../src/scan/observation.js';
import { createSourceScanner } from '../../src/scan/scan-source.js';
import { type OwnLines, SelectingSplitter } from '../../src/sources/prefilter/selecting-splitter.js';
import type { RawLine } from '../../src/sources/raw-line.js';
import { LineSplitter } from '../../src/sources/split-lines.js';

const APP = 'anqicms';

/** How each format stamps line `i` (one a second). */
const STAMPS: Readonly<Record<string, (minute: string, second: string) => string>> = {
  'syslog-rfc3164': (m, s) => `Jul 23 10:${m}:${s} web1`,
  'journal-short-iso': (m, s) => `2024-07-23T10:${m}:${s}+0800 web1`,
  'journal-short-full': (m, s) => `Tue 2024-07-23 10:${m}:${s} CST web1`,
};

/** What the app writes: ordinary lines, its start banners, its deaths, a JVM's OOM error and report. */
const APP_TEXTS = [
  '2024/07/23 10:00:00 采集完成: 新增 15 篇文章',
  'working',
  '2024/07/23 10:04:01 /www/wwwroot/anqicms/',
  'Iris Version: 12.2.11',
  'panic: runtime error: invalid memory address or nil pointer dereference',
  'fatal error: runtime: out of memory',
  'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
  '#011at com.example.Worker.run(Worker.java:42)',
  '退出 terminated',
];

/** What everyone else writes, some of it naming the app or holding the kernel's needles. */
const OTHER_LINES = [
  'sshd[7]: Accepted publickey for root',
  'CRON[51802]: (root) CMD (/www/wwwroot/anqicms/start.sh)',
  'nginx: GET /anqicms/index.html',
  'kernel: Out of memory: Killed process 1689 (anqicms) total-vm:1kB, anon-rss:2kB, file-rss:0kB, shmem-rss:0kB',
  'systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL',
  'systemd[1]: Started anqicms.service - AnQiCMS.',
  'sudo[9]: deploy : COMMAND=/usr/bin/grep anqicms[1689]: running.log',
];

/** Runs of one pid's lines (ordinary ones mostly), with other programs' lines between. */
const appTextArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(APP_TEXTS[0]!, APP_TEXTS[1]!) },
  { weight: 1, arbitrary: fc.constantFrom(...APP_TEXTS) },
);
const segmentArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(1689, 1720, 2001), fc.array(appTextArb, { minLength: 1, maxLength: 25 }))
      .map(([pid, texts]) => texts.map((t): [number, string] => [pid, t])),
  },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER_LINES).map((l) => [l]) },
  // Under its name without a pid (`logger -t anqicms`): read whole, a runtime OOM error included.
  { weight: 1, arbitrary: appTextArb.map((text) => [`${APP}: ${text}`]) },
);

function stamped(body: [number, string] | string, i: number, format = 'syslog-rfc3164'): string {
  const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
  const second = String(i % 60).padStart(2, '0');
  const rest = typeof body === 'string' ? body : `${APP}[${body[0]}]: ${body[1]}`;
  return `${STAMPS[format]!(minute, second)} ${rest}`;
}

function scanned(lines: readonly RawLine[], format: string): ScannedSource {
  const carrier = carrierByFormat(format)!;
  const source = newScannedSource({
    id: 0,
    path: 'syslog',
    displayPath: 'syslog',
    kind: 'system',
    format,
    mtimeMs: null,
    live: false,
  });
  const scanner = createSourceScanner(source, carrier, appFocus(APP));
  scanner.push(lines);
  scanner.end();
  return source;
}

const kept = (source: ScannedSource) =>
  source.observations.map((o) => `${o.event.record.lineNo} ${o.event.type}`);

function prefiltered(
  bytes: Buffer,
  regionBytes: number,
  head: readonly string[],
  format = 'syslog-rfc3164',
): RawLine[] {
  const own = ownLineNeedles('system', format, APP) as OwnLines;
  const splitter = new SelectingSplitter({
    sourceId: 0,
    regionBytes,
    selection: { needles: needlesFor('system', format, APP, head) ?? [], context: 'system', own },
  });
  return [...splitter.push(bytes), ...splitter.end()];
}

test("the scan keeps the same of the app's own lines from the prefiltered lines as from every line", () => {
  fc.assert(
    fc.property(
      fc.array(segmentArb, { minLength: 1, maxLength: 40 }).map((segments) => segments.flat()),
      fc.integer({ min: 0, max: 260 }),
      fc.integer({ min: 512, max: 8192 }),
      fc.constantFrom(...Object.keys(STAMPS)),
      (bodies, headNoise, regionBytes, format) => {
        // Past the first 200 lines (all kept) unless the noise in front is short.
        const all = [...Array.from({ length: headNoise }, () => OTHER_LINES[0]!), ...bodies];
        const text = all.map((b, i) => stamped(b, i, format)).join('\n');
        const bytes = Buffer.from(`${text}\n`);
        const full = new LineSplitter({ sourceId: 0 });
        const every = [...full.push(bytes), ...full.end()];
        const head = every.slice(0, 200).map((l) => l.text);
        const some = prefiltered(bytes, regionBytes, head, format);
        assert.deepEqual(kept(scanned(some, format)), kept(scanned(every, format)));
      },
    ),
    { numRuns: 300 },
  );
});

test('of a run of one pid’s ordinary lines, only the last before a line that matters is decoded', () => {
  const lines = [
    ...Array.from({ length: 250 }, (_, i) => stamped(OTHER_LINES[0]!, i)),
    ...Array.from({ length: 100 }, (_, i) => stamped([1689, `working ${i}`], 250 + i)),
    stamped([1689, 'panic: runtime error: index out of range'], 350),
    ...Array.from({ length: 100 }, (_, i) => stamped([1720, `working ${i}`], 351 + i)),
    ...Array.from({ length: 5 }, (_, i) => stamped(OTHER_LINES[0]!, 451 + i)),
  ];
  const decoded = prefiltered(Buffer.from(`${lines.join('\n')}\n`), 64 * 1024, []).map((l) => l.lineNo);
  // 251: pid 1689's first line; 350, 351: its last words and panic; 352: pid 1720's first; 451: its last; then the
  // file's last lines.
  assert.deepEqual(
    decoded.filter((n) => n > 200),
    [251, 350, 351, 352, 451, 454, 455, 456],
  );
});
