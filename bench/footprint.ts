// `npm run bench:footprint`: the resident memory of the two commands that stay up on a small server whose problem is
// memory — `guard` idle with a child (/bin/sleep), and `watch` idle following an app folder's files — for one or more
// builds: the npm build (dist/cli/main.js, run with this node) and the single executable when it was built. After a
// settle time it reads /proc/PID/status (VmRSS, RssAnon, RssFile) and smaps_rollup (Pss: the file pages shared with
// other processes counted in part) once a second and reports the medians.
//
//   npm run bench:footprint
//   npm run bench:footprint -- --build before=/tmp/old/dist/cli/main.js --build after=dist/cli/main.js
//   npm run bench:footprint -- --settle 20 --samples 20
//
// Needs Linux (/proc). Writes nothing outside a temp folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './cache.js';

const { values } = parseArgs({
  options: {
    build: { type: 'string', multiple: true },
    settle: { type: 'string', default: '10' },
    samples: { type: 'string', default: '10' },
  },
});
const SETTLE_S = Number(values.settle);
const SAMPLES = Number(values.samples);

interface Build {
  readonly label: string;
  /** A .js file is run with this node; anything else is an executable. */
  readonly file: string;
}

function defaultBuilds(): Build[] {
  const builds: Build[] = [
    { label: 'npm (node dist/cli/main.js)', file: path.join(REPO_ROOT, 'dist/cli/main.js') },
  ];
  const exe = path.join(REPO_ROOT, 'dist', `oomsleuth-${process.platform}-${process.arch}`);
  if (existsSync(exe)) builds.push({ label: `single executable (${path.basename(exe)})`, file: exe });
  return builds;
}

const builds: Build[] =
  values.build?.map((spec) => {
    const at = spec.indexOf('=');
    return at < 0
      ? { label: spec, file: path.resolve(spec) }
      : { label: spec.slice(0, at), file: path.resolve(spec.slice(at + 1)) };
  }) ?? defaultBuilds();

interface Figures {
  readonly rssKb: number;
  readonly anonKb: number;
  readonly fileKb: number;
  readonly pssKb: number;
}

async function readFigures(pid: number): Promise<Figures> {
  const [status, rollup] = await Promise.all([
    readFile(`/proc/${pid}/status`, 'utf8'),
    readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => ''),
  ]);
  const field = (text: string, name: string) =>
    Number(new RegExp(`^${name}:\\s+(?<kb>\\d+) kB`, 'm').exec(text)?.groups?.kb ?? Number.NaN);
  return {
    rssKb: field(status, 'VmRSS'),
    anonKb: field(status, 'RssAnon'),
    fileKb: field(status, 'RssFile'),
    pssKb: field(rollup, 'Pss'),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function start(build: Build, args: readonly string[], cwd: string): ChildProcess {
  const [command, argv] = build.file.endsWith('.js')
    ? [process.execPath, [build.file, ...args]]
    : [build.file, [...args]];
  const { NODE_OPTIONS: _o, ...env } = process.env;
  return spawn(command, argv, {
    cwd,
    env: { ...env, XDG_CACHE_HOME: path.join(cwd, 'cache') },
    stdio: 'ignore',
  });
}

async function measure(build: Build, scenario: 'guard' | 'watch', dir: string): Promise<Figures> {
  const args =
    scenario === 'guard'
      ? ['guard', '--name', 'footprint', '--', '/bin/sleep', '3600']
      : ['watch', path.join(dir, 'logs'), '--db', path.join(dir, 'watch.db')];
  const child = start(build, args, dir);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await sleep(SETTLE_S * 1000);
    if (child.exitCode !== null)
      throw new Error(`${build.label} ${scenario} exited early (${child.exitCode})`);
    const samples: Figures[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      samples.push(await readFigures(child.pid!));
      await sleep(1000);
    }
    return {
      rssKb: median(samples.map((s) => s.rssKb)),
      anonKb: median(samples.map((s) => s.anonKb)),
      fileKb: median(samples.map((s) => s.fileKb)),
      pssKb: median(samples.map((s) => s.pssKb)),
    };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const mib = (kb: number) => (Number.isFinite(kb) ? (kb / 1024).toFixed(1) : '–');

const rows: string[] = [];
for (const build of builds) {
  for (const scenario of ['guard', 'watch'] as const) {
    const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-footprint-'));
    try {
      await cp(path.join(REPO_ROOT, 'examples/anqicms-vps'), path.join(dir, 'logs'), { recursive: true });
      const f = await measure(build, scenario, dir);
      const row = `| ${build.label} | ${scenario} | ${mib(f.rssKb)} | ${mib(f.anonKb)} | ${mib(f.fileKb)} | ${mib(f.pssKb)} |`;
      process.stderr.write(`${row}\n`);
      rows.push(row);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
process.stdout.write(
  [
    `Node ${process.version}, ${SETTLE_S} s settle, median of ${SAMPLES} samples 1 s apart (MiB)`,
    '',
    '| build | command | RSS | anon | file | PSS |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
