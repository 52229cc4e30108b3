// `oomsleuth watch` as a separate process (the built CLI), for the end-to-end tests: its stdout and stderr collected,
// waiting for what it says, stopped (SIGTERM) or killed (SIGKILL), and always cleaned up.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { NEUTRAL_LOCALE } from '../../helpers/cli.js';

export const CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

export class WatchProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `cli`: another build's entry point (the benchmarks compare builds); this checkout's dist/ by default. */
  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}, cli = CLI) {
    this.child = spawn(process.execPath, [cli, 'watch', ...args], {
      env: { ...process.env, ...NEUTRAL_LOCALE, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Waits until stderr matches (or the process ends, or the time is up). */
  async waitForStderr(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.exited.then(() => {
      ended = true;
    });
    for (;;) {
      const match = pattern.exec(this.stderr);
      if (match) return match;
      if (ended) throw new Error(`watch exited before printing ${pattern}:\n${this.stderr}`);
      if (Date.now() > deadline)
        throw new Error(`watch did not print ${pattern} within ${timeoutMs} ms:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The metrics URL it printed at start. */
  async metricsUrl(): Promise<string> {
    return (await this.waitForStderr(/metrics at (?<url>http:\/\/\S+\/metrics)/)).groups!.url!;
  }

  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** SIGKILL, as a crash would; its own children (the `cat` reading /dev/kmsg) are killed too, to leave nothing. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const children = await readFile(`/proc/${this.pid}/task/${this.pid}/children`, 'utf8').catch(() => '');
      this.child.kill('SIGKILL');
      for (const pid of children.trim().split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await this.exited;
  }
}

/** Reads one sample of a metric from a Prometheus text page (0 when absent). */
export async function scrape(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(url)).text();
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const inner = /\{(?<labels>[^}]*)\}/.exec(line)?.groups?.labels ?? '';
    const have = inner === '' ? [] : inner.split(',').sort();
    if (wanted.every((w) => have.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}
