// The model-based soak of issue 13: the built `oomsleuth watch` as a separate process, driven through a seeded random
// sequence of what production does to it — kill lines (each a unique pid) and noise appended to syslog and to a file
// in /dev/kmsg's format, the same kill in both, rename+create and copytruncate rotations, watch SIGKILLed, stopped and
// restarted (also 50–250 ms after a kill, as defect 3 was found), a webhook receiver that is down or answers 500.
// At the end of every cycle (watch up, receiver answering 200), the model's promise is checked: every planted kill is
// stored exactly once and alerted under exactly one id, delivered at least once; nothing else is stored.
//
// What the model does not do, because no follower can: two rotations while watch is stopped (the middle file is read
// by nobody: only the file a restart stopped in and the one it had read up to are found by inode), and two
// rotations closer together than the follower's wake (a live watch is woken within milliseconds by inotify).
import { appendFileSync, copyFileSync, existsSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRandom, type Random } from '../../../bench/random.js';
import { Store } from '../../../src/store/store.js';
import { Receiver } from './receiver.js';
import { WatchProcess } from './watch-process.js';

export interface SoakOptions {
  readonly seed: number;
  /** Stop starting new cycles after this long. */
  readonly durationMs: number;
  /** At most this many cycles. */
  readonly maxCycles?: number;
  /** Steps per cycle, at most. */
  readonly stepsPerCycle?: number;
  /** How long a cycle's end waits for every kill to be stored and delivered. */
  readonly quiesceMs?: number;
  readonly log?: (line: string) => void;
}

export interface SoakResult {
  readonly seed: number;
  readonly cycles: number;
  readonly steps: number;
  readonly kills: number;
  /** Kills also written in the kmsg file (the same kernel event from two carriers). */
  readonly kmsgDuplicates: number;
  readonly restarts: { readonly sigkill: number; readonly sigterm: number };
  readonly rotations: { readonly rename: number; readonly copytruncate: number };
  /** Planted kills stored more than once (extra incidents), or alerted under more than one id. */
  readonly duplicateIncidents: number;
  readonly duplicateAlertIds: number;
  /** The same alert id delivered again (a SIGKILL between the receiver's 200 and its record): same idempotency key. */
  readonly redeliveries: number;
  /** Planted kills never stored, or stored but never delivered. */
  readonly lostIncidents: number;
  readonly lostAlerts: number;
  /** Incidents for pids nobody planted. */
  readonly strangers: number;
  /** What went wrong, first problems first (empty when the promise held). */
  readonly failures: readonly string[];
  /** stderr lines of watch that matter: crashes, leaked file handles. */
  readonly warnings: readonly string[];
}

type Step =
  | 'kill'
  | 'kill-plain'
  | 'kill-both'
  | 'kill-then-sigkill'
  | 'noise'
  | 'rename'
  | 'copytruncate'
  | 'sigkill'
  | 'sigterm'
  | 'restart'
  | 'receiver-down'
  | 'receiver-up'
  | 'receiver-500';

const STEPS: readonly [Step, number][] = [
  ['kill', 6],
  ['kill-plain', 2],
  ['kill-both', 3],
  ['kill-then-sigkill', 2],
  ['noise', 4],
  ['rename', 2],
  ['copytruncate', 2],
  ['sigkill', 2],
  ['sigterm', 1],
  ['restart', 2],
  ['receiver-down', 1],
  ['receiver-up', 1],
  ['receiver-500', 1],
];

const BAD_STDERR = /Closing file descriptor|Error:|\n {4}at |SQLITE_BUSY|unhandled|internal error/i;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const soak = await Soak.create(options);
  try {
    return await soak.run();
  } finally {
    await soak.cleanup();
  }
}

class Soak {
  private readonly random: Random;
  private watch: WatchProcess | null = null;
  private readonly stderr: string[] = [];
  private kmsgSeq = 1000;
  /** The simulated machine booted this long before the soak: kernel stamps agree with the wall clock, as they do. */
  private readonly bootMs = Date.now() - 5_000_000;
  private lastMono = 0;
  private nextPid = 20_000 + Math.floor(Math.random() * 1000) * 10;
  private readonly planted = new Set<number>();
  private rotatedWhileDown = false;
  private lastRotationMs = 0;
  private readonly counts = {
    steps: 0,
    kmsgDuplicates: 0,
    sigkill: 0,
    sigterm: 0,
    rename: 0,
    copytruncate: 0,
  };
  private readonly failures: string[] = [];
  private readonly host = hostname().split('.')[0]!;

  private constructor(
    private readonly options: SoakOptions,
    private readonly dir: string,
    private readonly receiver: Receiver,
  ) {
    this.random = createRandom(options.seed);
  }

  static async create(options: SoakOptions): Promise<Soak> {
    const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-soak-'));
    const receiver = new Receiver();
    await receiver.up();
    return new Soak(options, dir, receiver);
  }

  private get syslog(): string {
    return path.join(this.dir, 'syslog');
  }

  private get kmsg(): string {
    return path.join(this.dir, 'kmsg.log');
  }

  private get db(): string {
    return path.join(this.dir, 'oomsleuth.db');
  }

  async cleanup(): Promise<void> {
    await this.watch?.kill();
    this.collect();
    await this.receiver.down();
    if (this.failures.length > 0 && process.env.OOMSLEUTH_SOAK_KEEP) {
      // Kept for a post-mortem: the logs as they ended, the store, and what watch said.
      writeFileSync(path.join(this.dir, 'watch.stderr'), this.stderr.join('\n--- restart ---\n'));
      this.options.log?.(`kept ${this.dir}`);
      return;
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  async run(): Promise<SoakResult> {
    const started = Date.now();
    writeFileSync(
      this.syslog,
      `${this.syslogLine(`CRON[${this.random.int(100, 999)}]: (root) CMD (true)`)}\n`,
    );
    writeFileSync(this.kmsg, `${this.kmsgLine(6, 'Linux version 6.8.0 (soak)')}\n`);
    await this.startWatch();
    let cycles = 0;
    const maxCycles = this.options.maxCycles ?? Number.POSITIVE_INFINITY;
    while (
      cycles < maxCycles &&
      Date.now() - started < this.options.durationMs &&
      this.failures.length === 0
    ) {
      cycles++;
      const steps = this.random.int(3, this.options.stepsPerCycle ?? 10);
      const done: Step[] = [];
      for (let i = 0; i < steps; i++) {
        const step = this.pickStep();
        done.push(step);
        await this.step(step);
        this.counts.steps++;
        await sleep(this.random.int(0, 120));
      }
      await this.quiesce(cycles, done);
    }
    return this.result(cycles);
  }

  private pickStep(): Step {
    for (;;) {
      const total = STEPS.reduce((sum, [, w]) => sum + w, 0);
      let at = this.random.float() * total;
      let step: Step = STEPS[0]![0];
      for (const [s, w] of STEPS) {
        at -= w;
        if (at < 0) {
          step = s;
          break;
        }
      }
      const rotation = step === 'rename' || step === 'copytruncate';
      if (rotation && this.watch === null && this.rotatedWhileDown) continue;
      return step;
    }
  }

  private async step(step: Step): Promise<void> {
    switch (step) {
      case 'kill':
        return this.plantKill({ mono: true, kmsg: false });
      case 'kill-plain':
        return this.plantKill({ mono: false, kmsg: false });
      case 'kill-both':
        return this.plantKill({ mono: true, kmsg: true });
      case 'kill-then-sigkill': {
        // Defect 3 as found: the kernel's ring has the kill at once, syslog a moment later, and watch dies between.
        await this.plantKill({ mono: true, kmsg: true, syslogAfter: async () => this.sigkill(50, 250) });
        return;
      }
      case 'noise':
        return this.noise(this.random.int(1, 200));
      case 'rename':
        return this.rotate('rename');
      case 'copytruncate':
        return this.rotate('copytruncate');
      case 'sigkill':
        return this.sigkill(0, 100);
      case 'sigterm':
        if (this.watch) {
          const { code } = await this.watch.stop();
          this.collect();
          if (code !== 0) this.failures.push(`watch stopped by SIGTERM exited ${code}`);
          this.watch = null;
          this.counts.sigterm++;
        }
        return;
      case 'restart':
        if (!this.watch) await this.startWatch();
        return;
      case 'receiver-down':
        return this.receiver.down();
      case 'receiver-up':
        this.receiver.status = 200;
        if (!this.receiver.listening) await this.receiver.up();
        return;
      case 'receiver-500':
        this.receiver.status = 500;
        if (!this.receiver.listening) await this.receiver.up();
        return;
    }
  }

  private async sigkill(minMs: number, maxMs: number): Promise<void> {
    if (!this.watch) return;
    await sleep(this.random.int(minMs, maxMs));
    await this.watch.kill();
    this.collect();
    this.watch = null;
    this.counts.sigkill++;
  }

  private async startWatch(): Promise<void> {
    const watch = new WatchProcess([
      this.syslog,
      this.kmsg,
      '--db',
      this.db,
      '--webhook',
      this.receiver.url,
      '--tz',
      'UTC',
      '--alert-retry-max',
      '1s',
      '--crash-loop-window',
      '0',
    ]);
    this.watch = watch;
    this.rotatedWhileDown = false;
    try {
      await watch.waitForStderr(/watching /, 20_000);
    } catch (error) {
      this.failures.push(`watch did not start: ${(error as Error).message}`);
    }
  }

  private collected = new Set<WatchProcess>();

  /** Keeps what the current watch said (once per process). */
  private collect(): void {
    if (!this.watch || this.collected.has(this.watch)) return;
    this.collected.add(this.watch);
    this.stderr.push(this.watch.stderr);
  }

  private async plantKill(how: {
    mono: boolean;
    kmsg: boolean;
    syslogAfter?: () => Promise<void>;
    /** Where the syslog lines go (default syslog itself). */
    file?: string;
  }): Promise<void> {
    const pid = this.nextPid++;
    const name = `soak${pid}`;
    this.planted.add(pid);
    const mono = this.monoNow();
    const summary = `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/${name}.service,task=${name},pid=${pid},uid=0`;
    const killed = `Out of memory: Killed process ${pid} (${name}) total-vm:812344kB, anon-rss:${this.random.int(1000, 99999)}kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1640kB oom_score_adj:0`;
    const at = [mono, mono + 0.000041];
    if (how.kmsg) {
      this.counts.kmsgDuplicates++;
      appendFileSync(
        this.kmsg,
        `${this.kmsgLine(6, summary, at[0]!)}\n${this.kmsgLine(3, killed, at[1]!)}\n`,
      );
      if (how.syslogAfter) await how.syslogAfter();
      else await sleep(this.random.int(0, 60));
    }
    const stamp = (i: number) => (how.mono ? `[${at[i]!.toFixed(6).padStart(12)}] ` : '');
    appendFileSync(
      how.file ?? this.syslog,
      `${this.syslogLine(`kernel: ${stamp(0)}${summary}`)}\n${this.syslogLine(`kernel: ${stamp(1)}${killed}`)}\n`,
    );
  }

  private noise(count: number): void {
    const lines: string[] = [];
    const kernel: string[] = [];
    for (let i = 0; i < count; i++) {
      const kind = this.random.int(0, 3);
      if (kind === 0)
        lines.push(this.syslogLine(`CRON[${this.random.int(100, 65000)}]: (root) CMD (run-parts)`));
      else if (kind === 1)
        lines.push(
          this.syslogLine(
            `sshd[${this.random.int(100, 65000)}]: Invalid user admin from 203.0.113.${i % 250}`,
          ),
        );
      else if (kind === 2) {
        const mono = this.monoNow();
        const ufw = `[UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.${i % 250} DST=10.0.8.12 PROTO=TCP DPT=23`;
        lines.push(this.syslogLine(`kernel: [${mono.toFixed(6).padStart(12)}] ${ufw}`));
        kernel.push(this.kmsgLine(4, ufw, mono));
      } else lines.push(this.syslogLine('systemd[1]: Started session-42.scope - Session 42 of User root.'));
    }
    appendFileSync(this.syslog, `${lines.join('\n')}\n`);
    if (kernel.length > 0) appendFileSync(this.kmsg, `${kernel.join('\n')}\n`);
  }

  private async rotate(kind: 'rename' | 'copytruncate'): Promise<void> {
    // Two rotations within the follower's wake are one blur to any follower: a live one is woken in milliseconds.
    const wait = 400 - (Date.now() - this.lastRotationMs);
    if (this.watch && wait > 0) await sleep(wait);
    for (let i = 4; i >= 1; i--) {
      const from = `${this.syslog}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.syslog}.${i + 1}`);
    }
    if (kind === 'rename') {
      renameSync(this.syslog, `${this.syslog}.1`);
      // A writer that has not reopened its log yet: its next lines go to the renamed file.
      if (this.random.int(0, 2) === 0)
        await this.plantKill({ mono: true, kmsg: false, file: `${this.syslog}.1` });
      writeFileSync(this.syslog, '');
      this.counts.rename++;
    } else {
      copyFileSync(this.syslog, `${this.syslog}.1`);
      truncateSync(this.syslog, 0);
      this.counts.copytruncate++;
    }
    if (!this.watch) this.rotatedWhileDown = true;
    this.lastRotationMs = Date.now();
  }

  private syslogLine(rest: string): string {
    const d = new Date();
    const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const day = String(d.getUTCDate()).padStart(2, ' ');
    const time = d.toISOString().slice(11, 19);
    return `${month} ${day} ${time} ${this.host} ${rest}`;
  }

  /** Seconds since the simulated boot, µs precision, never the same twice. */
  private monoNow(): number {
    const now = Math.round((Date.now() - this.bootMs) * 1000) / 1e6;
    this.lastMono = Math.max(now, this.lastMono + 0.0001);
    return this.lastMono;
  }

  private kmsgLine(priority: number, text: string, mono = this.monoNow()): string {
    return `${priority},${this.kmsgSeq++},${Math.round(mono * 1e6)},-;${text}`;
  }

  /** Watch up, receiver answering: waits until every kill is stored and delivered, then checks the promise. */
  private async quiesce(cycle: number, steps: readonly Step[]): Promise<void> {
    this.receiver.status = 200;
    if (!this.receiver.listening) await this.receiver.up();
    if (!this.watch) await this.startWatch();
    const deadline = Date.now() + (this.options.quiesceMs ?? 30_000);
    let view = await this.look();
    while (Date.now() < deadline && (view.unstored.length > 0 || view.undelivered.length > 0)) {
      await sleep(150);
      view = await this.look();
    }
    // A duplicate would come with the re-reads of the restart: give it a moment to show.
    await sleep(300);
    view = await this.look();
    const problems = [
      ...view.unstored.map((pid) => `pid ${pid} never stored`),
      ...view.undelivered.map((pid) => `pid ${pid} stored but never delivered`),
      ...view.duplicates.map((pid) => `pid ${pid} stored more than once`),
      ...view.duplicateIds.map((pid) => `pid ${pid} alerted under more than one id`),
      ...view.strangers.map((pid) => `an incident for pid ${pid}, never planted`),
    ];
    this.options.log?.(
      `cycle ${cycle}: ${steps.join(' ')} → ${this.planted.size} kills, ${problems.length === 0 ? 'all once' : problems.join('; ')}`,
    );
    if (problems.length > 0) {
      this.failures.push(
        `cycle ${cycle} (seed ${this.options.seed}; steps ${steps.join(' ')}): ${problems.join('; ')}`,
      );
    }
  }

  private async look() {
    const store = await this.storedIncidents();
    const stored = new Map<number, number>();
    const strangers: number[] = [];
    for (const i of store) {
      const pid = i.incident.pid ?? -1;
      if (!this.planted.has(pid)) strangers.push(pid);
      stored.set(pid, (stored.get(pid) ?? 0) + 1);
    }
    const ids = new Map<number, Set<string>>();
    const delivered = new Map<number, number>();
    for (const r of this.receiver.accepted) {
      const doc = r.json as { id?: string; incident?: { pid?: number } } | null;
      const pid = doc?.incident?.pid;
      if (typeof pid !== 'number' || typeof doc?.id !== 'string') continue;
      ids.set(pid, (ids.get(pid) ?? new Set()).add(doc.id));
      delivered.set(pid, (delivered.get(pid) ?? 0) + 1);
    }
    const pids = [...this.planted];
    return {
      unstored: pids.filter((p) => !stored.has(p)),
      undelivered: pids.filter((p) => stored.has(p) && !delivered.has(p)),
      duplicates: pids.filter((p) => (stored.get(p) ?? 0) > 1),
      duplicateIds: pids.filter((p) => (ids.get(p)?.size ?? 0) > 1),
      strangers,
      stored,
      ids,
      delivered,
    };
  }

  private async storedIncidents(): Promise<ReturnType<Store['listIncidents']>> {
    if (!existsSync(this.db)) return [];
    const store = await Store.open(this.db, { readOnly: true });
    try {
      return store.listIncidents();
    } finally {
      store.close();
    }
  }

  private async result(cycles: number): Promise<SoakResult> {
    this.collect();
    const view = await this.look();
    const pids = [...this.planted];
    const warnings = this.stderr
      .join('\n')
      .split('\n')
      .filter((l) => BAD_STDERR.test(l));
    return {
      seed: this.options.seed,
      cycles,
      steps: this.counts.steps,
      kills: this.planted.size,
      kmsgDuplicates: this.counts.kmsgDuplicates,
      restarts: { sigkill: this.counts.sigkill, sigterm: this.counts.sigterm },
      rotations: { rename: this.counts.rename, copytruncate: this.counts.copytruncate },
      duplicateIncidents: pids.reduce((n, p) => n + Math.max(0, (view.stored.get(p) ?? 0) - 1), 0),
      duplicateAlertIds: pids.reduce((n, p) => n + Math.max(0, (view.ids.get(p)?.size ?? 0) - 1), 0),
      redeliveries: pids.reduce(
        (n, p) => n + Math.max(0, (view.delivered.get(p) ?? 0) - (view.ids.get(p)?.size ?? 0)),
        0,
      ),
      lostIncidents: view.unstored.length,
      lostAlerts: view.undelivered.length,
      strangers: view.strangers.length,
      failures: this.failures,
      warnings,
    };
  }
}
