// `npm run bench:watch-burst`: the memory of a catch-up (issue 13). The built `oomsleuth watch` follows a syslog file;
// once it is idle, a million lines are appended at once, then a kill line; it reports the peak resident size (VmHWM)
// before and after, and how long until the kill at the end was stored. No root, no kernel: a file only.
//
//   npm run bench:watch-burst                                  1e6 lines, default V8 flags
//   npm run bench:watch-burst -- --lines 200000
//   npm run bench:watch-burst -- --node-options=--max-semi-space-size=1   (as the unit in docs/watch.md runs it)
//   npm run bench:watch-burst -- --cli /other/checkout/dist/cli/main.js (another build, for a before/after)
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WatchProcess } from '../test/watch/support/watch-process.js';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    cli: { type: 'string', default: '' },
    'node-options': { type: 'string', default: '' },
  },
});
const LINES = Number(values.lines);

async function hwmKb(pid: number): Promise<{ hwm: number; rss: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(?<kb>\\d+) kB`, 'm').exec(text)?.groups?.kb);
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-burst-'));
try {
  const host = hostname().split('.')[0];
  const stamp = () => {
    const d = new Date();
    const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} ${host}`;
  };
  const syslog = path.join(dir, 'syslog');
  await writeFile(syslog, `${stamp()} CRON[1]: (root) CMD (true)\n`);
  const env = values['node-options'] ? { NODE_OPTIONS: values['node-options'] } : {};
  const args = [syslog, '--db', path.join(dir, 'db'), '--tz', 'UTC'];
  const watch = values.cli ? new WatchProcess(args, env, values.cli) : new WatchProcess(args, env);
  await watch.waitForStderr(/watching /);
  await new Promise((r) => setTimeout(r, 2_000));
  const idle = await hwmKb(watch.pid);
  const s = stamp();
  const parts: string[] = [];
  for (let i = 0; i < LINES; i++) {
    parts.push(
      `${s} app[${i % 5000}]: request ${i} served in ${i % 97} ms from 203.0.113.${i % 250} path /api/v1/items/${i}\n`,
    );
  }
  parts.push(
    `${s} kernel: Out of memory: Killed process 4242 (burst) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0\n`,
  );
  const started = Date.now();
  await appendFile(syslog, parts.join(''));
  parts.length = 0;
  await watch.waitForStderr(/incident \S+: burst pid 4242/, 300_000);
  const seconds = (Date.now() - started) / 1000;
  const after = await hwmKb(watch.pid);
  await watch.stop();
  const mib = (kb: number) => (kb / 1024).toFixed(0);
  process.stdout.write(
    `${LINES} lines appended at once${values['node-options'] ? ` (NODE_OPTIONS=${values['node-options']})` : ''}: ` +
      `peak RSS ${mib(idle.hwm)} MiB idle → ${mib(after.hwm)} MiB after the catch-up (RSS then ${mib(after.rss)} MiB); ` +
      `the kill at the end stored after ${seconds.toFixed(1)} s\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
