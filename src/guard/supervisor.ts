// The supervisor's state machine: one life of the app at a time — a child it spawned, an orphan an earlier guard left
// running, or a copy started outside the guard — from its start to its death, the verdict on the death, and the
// restart (at once, or after the backoff), until it is told to stop, gives up, or (--once) the child is done.
//
//   starting ──spawned──▶ running ──died──▶ (verdict, in parallel:) ──restart──▶ starting
//       ▲                    │                     │ backoff                     │
//       └──── backoff ◀──────┼─────────────────────┘                             │
//   watching (adopted/outside) ──gone──▶ same as died, with no exit status        │
//   stop requested: SIGTERM the child, SIGKILL after --stop-timeout, record `stopped`, exit 0
import { stat } from 'node:fs/promises';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { DIAGNOSED_CAUSES, type IncidentDiagnosis } from '../contract/analysis.js';
import { killLine } from '../correlate/finding.js';
import { OomsleuthError } from '../errors.js';
import { RISK_STREAK } from '../forecast/forecast.js';
import type { WarningRecord } from '../forecast/warning-record.js';
import { formatUptime } from '../report/sizes.js';
import { warningSays } from '../report/warning-words.js';
import { findLastWords, readLifeOutput } from './app-log-tail.js';
import { Backoff } from './backoff.js';
import {
  adoptedText,
  type CheckLog,
  checkText,
  gaveUpText,
  outsideText,
  restartedText,
  startedText,
  startFailedText,
  stoppingText,
} from './check-log.js';
import { type ChildEnd, SpawnError, sendSignal, spawnChild, watchProcess } from './child.js';
import { type DeathFacts, describeExit, type GuardJudgement, judgeDeath } from './death-case.js';
import { assessLifeRisk, buildWarningRecord, forecastOptionsFor, warningText } from './early-warning.js';
import { findRunningCopies } from './find-running.js';
import type { GuardConfig } from './guard-config.js';
import { GUARD_WORDS, type GuardWords } from './guard-words.js';
import { buildIncident, type GuardIncident } from './incident.js';
import { type KernelLog, kernelRecordOfDeath } from './kernel-log.js';
import { isOurMemcgDir, type Memcg, memcgOfPid, openMemcg } from './memcg.js';
import { describeTrend, type MemorySample } from './memory-ring.js';
import { MemorySampler } from './memory-sampler.js';
import { type ChildRecord, readChildRecord, writeChildRecord } from './pid-file.js';
import {
  CLOCK_TICKS_PER_SECOND,
  isSameProcessAlive,
  readBootTimeMs,
  readProcStat,
  readVmstatOomKills,
} from './proc-stat.js';

/** How long a SIGKILLed child's verdict waits for the kernel's `Killed process` record (printed after the signal). */
export const KILL_RECORD_WAIT_MS = 2000;
/** Poll period for a process the guard did not spawn (the only way to see a non-child die). */
export const WATCH_POLL_MS = 250;
/** Earlier OOM deaths kept for the diagnosis's rhythm: a few days of a leak's kills. */
const OOM_DEATHS_KEPT = 20;

export interface SupervisorDeps {
  readonly config: GuardConfig;
  readonly checkLog: CheckLog;
  readonly kernelLog: KernelLog;
  /** The cgroup made for --memory-limit, and the guard's own cgroup directory (to return to after a spawn). */
  readonly memcg: { readonly cgroup: Memcg; readonly homeDir: string } | null;
  readonly appendIncident: (incident: GuardIncident) => Promise<void>;
  /** Appends the early warning's record (to the --incidents file, beside the incidents). */
  readonly appendWarning?: (warning: WarningRecord) => Promise<void>;
  /** Messages for the operator (stderr). */
  readonly say: (message: string) => void;
  /** Called once the first life has begun (the daemon then tells its parent it is up). */
  readonly onStarted?: (pid: number) => void;
  readonly env?: NodeJS.ProcessEnv;
}

type LifeKind = 'child' | 'orphan' | 'outside';

interface Life {
  readonly kind: LifeKind;
  readonly pid: number;
  readonly startedAtMs: number;
  readonly startTicks: number | null;
  readonly ended: Promise<ChildEnd | null>;
  readonly kernelMark: number;
  readonly memcg: Memcg | null;
  readonly memcgOwn: boolean;
  readonly limitKb: number | null;
  readonly oomBefore: number | null;
  readonly vmstatBefore: number | null;
  readonly sampler: MemorySampler;
  readonly appLogOffset: number;
  /** Stops the polling of a watched process. */
  readonly abort: AbortController;
  /** An earlier guard's cgroup the orphan lives in: removed once it is empty. */
  readonly inheritedMemcg: Memcg | null;
  endSeen: boolean;
  stopSent: boolean;
  /** The early warning was given for this life (once per life). */
  warned: boolean;
  /** Samples in a row that showed a risk (a warning needs RISK_STREAK). */
  riskStreak: number;
}

interface StopRequest {
  readonly why: string;
  readonly atMs: number;
  killedAfterMs: number | null;
}

export class Supervisor {
  private readonly config: GuardConfig;
  private readonly backoff: Backoff;
  private life: Life | null = null;
  private stop: StopRequest | null = null;
  private stopWaiters: (() => void)[] = [];
  private escalation: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private recording: Promise<void> = Promise.resolve();
  private exitCode = 0;
  private started = false;
  private readonly spawned = new Set<number>();
  /** Evidence failures already said (each once: a crash loop would repeat them at every life). */
  private readonly saidUnreadable = new Set<string>();
  /** The operator's words on stderr (check.log lines are English whatever the language). */
  private readonly words: GuardWords;
  /** This guard's earlier OOM deaths of the app, for the diagnosis's rhythm (kills every ~N hours, same time of day). */
  private readonly oomDeaths: { atMs: number; rssKb: number | null }[] = [];

  constructor(private readonly deps: SupervisorDeps) {
    this.config = deps.config;
    this.words = GUARD_WORDS[deps.config.language];
    this.backoff = new Backoff({
      initialMs: 1000,
      maxMs: 60_000,
      stableAfterMs: deps.config.stableAfterMs,
      maxRestarts: deps.config.maxRestarts,
    });
  }

  /** Runs until the guard should exit; resolves with its exit status. */
  async run(): Promise<number> {
    try {
      let life = await this.firstLife();
      while (life !== null) {
        this.life = life;
        if (this.checkTimer === null) this.startHeartbeat();
        // A stop that came while this life was being started.
        this.stopCurrentLife();
        const end = await this.awaitEnd(life);
        if (end === null) break; // stop requested while watching a copy that is not ours to stop
        life.endSeen = true;
        life.sampler.stop();
        life.abort.abort();
        const counters = await this.countersAtDeath(life);
        const uptimeMs = end.atMs - life.startedAtMs;
        let plan: { restart: boolean; delayMs: number; gaveUp: number | null };
        if (this.stop !== null) plan = { restart: false, delayMs: 0, gaveUp: null };
        else if (this.config.once) {
          plan = { restart: false, delayMs: 0, gaveUp: null };
          this.exitCode = statusOf(end);
        } else {
          const decision = this.backoff.afterDeath(uptimeMs);
          plan = decision.restart
            ? { restart: true, delayMs: decision.delayMs, gaveUp: null }
            : { restart: false, delayMs: 0, gaveUp: decision.shortLivesInARow };
          if (!decision.restart) this.exitCode = 1;
        }
        const next = plan.restart
          ? this.startAfter(plan.delayMs, life.kind === 'outside')
          : Promise.resolve(null);
        // A failure to record one death (a bug, a vanished file) must not stop the supervision, nor the next record.
        const dead = life;
        this.recording = this.recordDeath(life, end, counters, plan, next, this.recording).catch(
          (error: Error) => this.deps.say(this.words.couldNotRecordDeath(dead.pid, error.message)),
        );
        life = await next;
      }
      await this.recording;
      return this.exitCode;
    } finally {
      if (this.checkTimer) clearInterval(this.checkTimer);
      if (this.escalation) clearTimeout(this.escalation);
      this.life?.sampler.stop();
      this.life?.abort.abort();
    }
  }

  /** SIGTERM/SIGINT/SIGHUP to the guard: stop the child gracefully (a second request kills it at once). */
  requestStop(why: string): void {
    if (this.stop !== null) {
      // A second request: no more grace.
      const life = this.life;
      if (life !== null && !life.endSeen && life.kind !== 'outside') {
        this.stop.killedAfterMs = Date.now() - this.stop.atMs;
        this.killGroup(life.pid);
      }
      return;
    }
    this.stop = { why, atMs: Date.now(), killedAfterMs: null };
    for (const wake of this.stopWaiters.splice(0)) wake();
    this.stopCurrentLife();
  }

  /** SIGTERM to the current life, once, and SIGKILL after --stop-timeout (also for a life begun as the stop came). */
  private stopCurrentLife(): void {
    const life = this.life;
    const stop = this.stop;
    if (stop === null || life === null || life.endSeen || life.kind === 'outside' || life.stopSent) return;
    life.stopSent = true;
    void this.deps.checkLog.append(Date.now(), stoppingText(this.config.name, life.pid, stop.why));
    sendSignal(life.pid, 'SIGTERM');
    this.escalation = setTimeout(() => {
      if (life.endSeen) return;
      stop.killedAfterMs = Date.now() - stop.atMs;
      this.killGroup(life.pid);
    }, this.config.stopTimeoutMs);
  }

  /** True while a life is running (the heartbeat's 1). */
  get running(): boolean {
    return this.life !== null && !this.life.endSeen;
  }

  // ---- lives ---------------------------------------------------------------------------------------------------------

  private async firstLife(): Promise<Life | null> {
    const record = await readChildRecord(this.config.pidFile);
    if (record !== null && record.guardPid !== process.pid) {
      if (await isSameProcessAlive(record.childPid, record.childStartTicks)) {
        if (this.config.once) {
          throw new OomsleuthError(
            'OOMS_E_GUARD_ALREADY_RUNNING',
            `guard: ${this.config.name} still runs as pid ${record.childPid}, left by an earlier guard: stop it first (--once never takes over)`,
          );
        }
        return this.watch('orphan', record.childPid, record);
      }
    }
    const copies = await findRunningCopies(
      this.config.command,
      basename(this.config.command),
      this.config.cwd,
    );
    const copy = copies[0];
    if (copy !== undefined) {
      if (this.config.once) {
        throw new OomsleuthError(
          'OOMS_E_GUARD_ALREADY_RUNNING',
          `guard: ${this.config.name} is already running outside the guard as pid ${copy.pid}: stop it first (--once never takes over)`,
        );
      }
      return this.watch('outside', copy.pid, null);
    }
    return this.startAfter(0, false);
  }

  /** Starts a child after `delayMs` (cancelled by a stop); retries failed spawns with the backoff. */
  private async startAfter(delayMs: number, rescan: boolean): Promise<Life | null> {
    let delay = delayMs;
    for (;;) {
      if (delay > 0 && !(await this.sleepUnlessStopped(delay))) return null;
      if (this.stop !== null) return null;
      if (rescan) {
        // The copy we watched is gone; if another one runs outside the guard, watch it in turn.
        const copy = (
          await findRunningCopies(
            this.config.command,
            basename(this.config.command),
            this.config.cwd,
            this.spawned,
          )
        )[0];
        if (copy !== undefined) return this.watch('outside', copy.pid, null);
      }
      try {
        return await this.spawnLife();
      } catch (error) {
        if (!(error instanceof SpawnError)) throw error;
        const now = Date.now();
        await this.deps.checkLog.append(now, startFailedText(this.config.name, error.message));
        if (this.config.once) {
          this.exitCode = error.errno === 'ENOENT' ? 127 : 126;
          return null;
        }
        const decision = this.backoff.afterDeath(0);
        if (!decision.restart) {
          await this.deps.checkLog.append(
            now,
            gaveUpText(this.config.name, decision.shortLivesInARow, this.config.stableAfterMs),
          );
          this.exitCode = 1;
          return null;
        }
        delay = Math.max(decision.delayMs, 1000);
      }
    }
  }

  private async spawnLife(): Promise<Life> {
    const { config } = this;
    const child = await spawnChild({
      command: config.command,
      args: config.args,
      cwd: config.cwd,
      appLog: config.appLog,
      env: this.deps.env ?? process.env,
      memcg: this.deps.memcg,
    });
    this.spawned.add(child.pid);
    // Only recent children can still be mistaken for a copy running outside; months of restarts must not pile up.
    if (this.spawned.size > 64) this.spawned.delete(this.spawned.values().next().value as number);
    const ownMemcg = this.deps.memcg?.cgroup ?? null;
    const [kernelMark, stat, memcg] = await Promise.all([
      // -1: a kill of this pid is looked for among every record read since the guard started.
      this.deps.kernelLog.mark().catch((error: unknown) => this.unreadable(this.words.kernelLog, error, -1)),
      readProcStat(child.pid),
      ownMemcg
        ? Promise.resolve(ownMemcg)
        : memcgOfPid(child.pid).catch((error: unknown) =>
            this.unreadable(this.words.memcgOfChild, error, null),
          ),
    ]);
    const life = await this.beginLife({
      kind: 'child',
      pid: child.pid,
      startedAtMs: child.startedAtMs,
      startTicks: stat?.startTicks ?? null,
      ended: child.ended,
      kernelMark,
      memcg,
      memcgOwn: ownMemcg !== null,
      appLogOffset: child.appLogOffset,
      inheritedMemcg: null,
      abort: new AbortController(),
    });
    await writeChildRecord(config.pidFile, {
      guardPid: process.pid,
      childPid: life.pid,
      childStartTicks: life.startTicks,
      startedAtMs: life.startedAtMs,
      command: config.commandLine,
      memcg: ownMemcg ? { version: ownMemcg.version, dir: ownMemcg.dir, path: ownMemcg.cgroupPath } : null,
    }).catch((error: Error) =>
      this.deps.say(this.words.cannotWrite(`${config.pidFile}.child`, error.message)),
    );
    if (!this.started) {
      this.started = true;
      await this.deps.checkLog.append(
        life.startedAtMs,
        startedText(config.name, life.pid, ownMemcg?.cgroupPath ?? null),
      );
      this.deps.onStarted?.(life.pid);
    }
    return life;
  }

  /** Watches a process the guard did not spawn: an orphan of an earlier guard, or a copy started outside. */
  private async watch(kind: 'orphan' | 'outside', pid: number, record: ChildRecord | null): Promise<Life> {
    const stat = await readProcStat(pid);
    const bootMs = await readBootTimeMs();
    const startedAtMs =
      stat !== null && bootMs !== null
        ? bootMs + (stat.startTicks * 1000) / CLOCK_TICKS_PER_SECOND
        : (record?.startedAtMs ?? Date.now());
    const inherited = record?.memcg
      ? openMemcg(record.memcg.version, record.memcg.dir, record.memcg.path)
      : null;
    const abort = new AbortController();
    const [kernelMark, memcg, appLogOffset] = await Promise.all([
      // -1: a kill of this pid is looked for among every record read since the guard started.
      this.deps.kernelLog.mark().catch((error: unknown) => this.unreadable(this.words.kernelLog, error, -1)),
      inherited
        ? Promise.resolve(inherited)
        : memcgOfPid(pid).catch((error: unknown) => this.unreadable(this.words.memcgOfPid(pid), error, null)),
      fileSize(this.config.appLog),
    ]);
    const startTicks = stat?.startTicks ?? record?.childStartTicks ?? null;
    const life = await this.beginLife({
      kind,
      pid,
      startedAtMs,
      startTicks,
      ended: watchProcess(pid, startTicks, WATCH_POLL_MS, abort.signal),
      kernelMark,
      memcg,
      memcgOwn: inherited !== null && isOurMemcgDir(inherited.dir),
      appLogOffset,
      inheritedMemcg: inherited !== null && isOurMemcgDir(inherited.dir) ? inherited : null,
      abort,
    });
    const { name } = this.config;
    const line =
      kind === 'orphan' ? adoptedText(name, pid, record?.guardPid ?? null) : outsideText(name, pid);
    await this.deps.checkLog.append(Date.now(), line);
    if (kind === 'orphan' && record !== null) {
      // If this guard is killed in turn, the next one must find the orphan through us.
      await writeChildRecord(this.config.pidFile, { ...record, guardPid: process.pid }).catch(
        (error: Error) =>
          this.deps.say(
            this.words.cannotWriteChildRecord(`${this.config.pidFile}.child`, error.message, pid),
          ),
      );
    }
    if (!this.started) {
      this.started = true;
      this.deps.onStarted?.(pid);
    }
    return life;
  }

  private async beginLife(
    life: Omit<
      Life,
      'limitKb' | 'oomBefore' | 'vmstatBefore' | 'sampler' | 'endSeen' | 'stopSent' | 'warned' | 'riskStreak'
    >,
  ): Promise<Life> {
    const [usage, oomBefore, vmstatBefore] = await Promise.all([
      life.memcg
        ? life.memcg
            .usage()
            .catch((error: unknown) =>
              this.unreadable(this.words.memcgUsage(String(life.memcg?.dir)), error, null),
            )
        : Promise.resolve(null),
      life.memcg
        ? life.memcg
            .oomKillCount()
            .catch((error: unknown) =>
              this.unreadable(this.words.memcgOomKills(String(life.memcg?.dir)), error, null),
            )
        : Promise.resolve(null),
      readVmstatOomKills(),
    ]);
    const limitKb = usage?.limitBytes == null ? null : Math.round(usage.limitBytes / 1024);
    // The cgroup's charge says something about the child only when the cgroup is its own or has a limit to hit.
    const sampledMemcg = life.memcg !== null && (life.memcgOwn || limitKb !== null) ? life.memcg : null;
    let begun: Life | null = null;
    const sampler = new MemorySampler(
      life.pid,
      this.config.sampleIntervalMs,
      this.config.sampleWindowMs,
      sampledMemcg,
      (sample) => {
        if (begun !== null) this.checkEarlyWarning(begun, sample);
      },
    );
    begun = {
      ...life,
      limitKb,
      oomBefore,
      vmstatBefore,
      sampler,
      endSeen: false,
      stopSent: false,
      warned: false,
      riskStreak: 0,
    };
    sampler.start();
    return begun;
  }

  // ---- the early warning ---------------------------------------------------------------------------------------------

  /**
   * After each sample: the first time in a life the forecast says, at RISK_STREAK samples in a row, that the memory
   * runs out within --warn-before (or stands at 90% of a ceiling), warn.
   */
  private checkEarlyWarning(life: Life, sample: MemorySample): void {
    const { config, deps } = this;
    if (config.warnBeforeMs <= 0 || life.warned || life.endSeen) return;
    try {
      const window = forecastOptionsFor(config.warnBeforeMs, config.sampleIntervalMs).windowMs;
      const found = assessLifeRisk(life.sampler.ring.since(sample.at - window), {
        warnBeforeMs: config.warnBeforeMs,
        sampleIntervalMs: config.sampleIntervalMs,
        limitKb: life.limitKb,
      });
      life.riskStreak = found === null ? 0 : life.riskStreak + 1;
      if (found === null || life.riskStreak < RISK_STREAK) return;
      life.warned = true;
      const record = buildWarningRecord({
        name: config.name,
        pid: life.pid,
        startedAtMs: life.startedAtMs,
        command: life.kind === 'child' ? config.commandLine : [config.command],
        warnBeforeMs: config.warnBeforeMs,
        limitKb: life.limitKb,
        sample,
        found,
        language: config.jsonLanguage,
      });
      // check.log speaks English whatever --lang: oomsleuth's own recognisers and the operator's scripts read it back.
      const says = config.jsonLanguage === 'en' ? record.says : warningSays(record, 'en');
      void deps.checkLog.append(found.risk.atMs, warningText(config.name, { says }));
      void deps
        .appendWarning?.(record)
        .catch((error: Error) => deps.say(this.words.cannotWriteWarning(error.message)));
    } catch (error) {
      // A bug in the forecast must not take the supervision down: said once, and no warning for this life.
      life.warned = true;
      deps.say(this.words.earlyWarningFailed(life.pid, (error as Error).message));
    }
  }

  private async awaitEnd(life: Life): Promise<ChildEnd | null> {
    if (life.kind !== 'outside') return life.ended;
    // A copy started outside the guard is not ours to stop: a stop request just ends the watch.
    const stopped = new Promise<null>((resolve) => {
      if (this.stop !== null) resolve(null);
      else this.stopWaiters.push(() => resolve(null));
    });
    return Promise.race([life.ended, stopped]);
  }

  // ---- a death -------------------------------------------------------------------------------------------------------

  private async countersAtDeath(
    life: Life,
  ): Promise<{ oomAfter: number | null; vmstatAfter: number | null }> {
    const [oomAfter, vmstatAfter] = await Promise.all([
      life.memcg
        ? life.memcg
            .oomKillCount()
            .catch((error: unknown) =>
              this.unreadable(this.words.memcgOomKills(String(life.memcg?.dir)), error, null),
            )
        : Promise.resolve(null),
      readVmstatOomKills(),
    ]);
    return { oomAfter, vmstatAfter };
  }

  /** Verdict, check.log lines and the incident of one death; written after the previous death's. */
  private async recordDeath(
    life: Life,
    end: ChildEnd,
    counters: { oomAfter: number | null; vmstatAfter: number | null },
    plan: { restart: boolean; delayMs: number; gaveUp: number | null },
    next: Promise<Life | null>,
    previous: Promise<void>,
  ): Promise<void> {
    const { config, deps } = this;
    const samples = life.sampler.ring.toArray();
    const { judgement, output } = await this.judge(life, end, counters, samples);
    const diagnosis = DIAGNOSED_CAUSES.has(judgement.verdict.cause)
      ? await this.diagnoseDeath(life, end.atMs, judgement, samples, output)
      : undefined;
    const uptimeMs = Math.max(0, end.atMs - life.startedAtMs);
    await previous;
    const trend = describeTrend(samples, life.limitKb);
    await deps.checkLog.append(
      end.atMs,
      `${config.name} died: ${describeExit(end.exit)} after ${formatUptime(uptimeMs)}, pid ${life.pid} — ` +
        `${judgement.verdict.cause} (${judgement.verdict.confidence}): ${judgement.detail}${trend ? `; ${trend}` : ''}`,
    );
    if (plan.gaveUp !== null) {
      await deps.checkLog.append(Date.now(), gaveUpText(config.name, plan.gaveUp, config.stableAfterMs));
    }
    const nextLife = await next;
    if (nextLife !== null && nextLife.kind === 'child') {
      await deps.checkLog.append(
        nextLife.startedAtMs,
        restartedText(config.name, nextLife.pid, nextLife.startedAtMs - end.atMs, plan.delayMs),
      );
    }
    const incident = buildIncident({
      name: config.name,
      pid: life.pid,
      command: life.kind === 'child' ? config.commandLine : [config.command],
      diedAtMs: end.atMs,
      lastSeenAliveMs: end.lastAliveMs,
      restartedAtMs: nextLife?.startedAtMs ?? null,
      uptimeMs: life.kind === 'outside' && life.startTicks === null ? null : uptimeMs,
      exit: end.exit,
      judgement,
      samples,
      memoryLimitKb: life.limitKb,
      language: config.jsonLanguage,
      ...(diagnosis === undefined ? {} : { diagnosis }),
    });
    await deps
      .appendIncident(incident)
      .catch((error: Error) => deps.say(this.words.cannotWriteIncident(error.message)));
    if (life.inheritedMemcg !== null) {
      await life.inheritedMemcg
        .remove({ graceMs: 0, timeoutMs: 2000 })
        .catch((error: Error) => deps.say(`[OOMS_E_GUARD_CGROUP_LEFT] ${error.message}`));
    }
  }

  private async judge(
    life: Life,
    end: ChildEnd,
    counters: { oomAfter: number | null; vmstatAfter: number | null },
    samples: ReturnType<MemorySampler['ring']['toArray']>,
  ): Promise<{ judgement: GuardJudgement; output: string }> {
    const { config, deps } = this;
    const sigkillOrUnknown = end.exit === null || end.exit.signal === 'SIGKILL';
    const [kernel, output] = await Promise.all([
      kernelRecordOfDeath(deps.kernelLog, life.pid, life.kernelMark, {
        waitMs: sigkillOrUnknown ? KILL_RECORD_WAIT_MS : 0,
      }),
      readLifeOutput(config.appLog, life.appLogOffset).catch((error: unknown) =>
        this.unreadable(this.words.appLogLastWords(config.appLog), error, ''),
      ),
    ]);
    const lastCgroup = samples.findLast((s) => s.cgroupUsageKb !== null)?.cgroupUsageKb ?? null;
    const facts: DeathFacts = {
      name: config.name,
      pid: life.pid,
      diedAtMs: end.atMs,
      uptimeMs: end.atMs - life.startedAtMs,
      exit: end.exit,
      stop:
        this.stop !== null && life.kind !== 'outside'
          ? { why: this.stop.why, killedAfterMs: this.stop.killedAfterMs }
          : null,
      kernel,
      memcg:
        life.memcg === null
          ? null
          : {
              path: life.memcg.cgroupPath,
              counterFile: `${life.memcg.dir}/${life.memcg.version === 1 ? 'memory.oom_control' : 'memory.events'}`,
              own: life.memcgOwn,
              before: life.oomBefore,
              after: counters.oomAfter,
              limitKb: life.limitKb,
            },
      vmstat: { before: life.vmstatBefore, after: counters.vmstatAfter },
      nearLimit:
        lastCgroup !== null && life.limitKb !== null && lastCgroup >= life.limitKb * 0.9
          ? { usageKb: lastCgroup, limitKb: life.limitKb }
          : null,
      words: findLastWords(output),
      appLogPath: config.appLog,
    };
    return { judgement: judgeDeath(facts), output };
  }

  /**
   * Why memory ran out for an OOM death. The diagnosis is loaded at the first one only (a dynamic import): the
   * resident guard does not carry it. A failure is said and the death recorded without it.
   */
  private async diagnoseDeath(
    life: Life,
    diedAtMs: number,
    judgement: GuardJudgement,
    samples: ReturnType<MemorySampler['ring']['toArray']>,
    output: string,
  ): Promise<IncidentDiagnosis | undefined> {
    const { config, deps } = this;
    try {
      const [{ diagnoseGuardDeath }, { diagnosisOf }] = await Promise.all([
        import('../diagnose/from-guard.js'),
        import('../report/diagnosis-words.js'),
      ]);
      const kill = killLine(judgement.evidence);
      const diagnosis = diagnoseGuardDeath({
        process: config.name,
        diedAtMs,
        oom: judgement.oom,
        kill: kill ? { source: kill.source, line: kill.line } : null,
        samples,
        memcg: life.memcg === null ? null : { path: life.memcg.cgroupPath, limitKb: life.limitKb },
        output,
        appLog: config.appLog,
        earlierKills: this.oomDeaths,
      });
      const rss = judgement.oom?.anonRssKb ?? samples.findLast((s) => s.rssKb !== null)?.rssKb ?? null;
      this.oomDeaths.push({ atMs: diedAtMs, rssKb: rss });
      if (this.oomDeaths.length > OOM_DEATHS_KEPT) this.oomDeaths.shift();
      return diagnosisOf(diagnosis);
    } catch (error) {
      deps.say(
        `cannot diagnose the death of pid ${life.pid}; it is recorded without a diagnosis: ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  // ---- timers and signals ----------------------------------------------------------------------------------------------

  private startHeartbeat(): void {
    const beat = () =>
      void this.deps.checkLog.append(Date.now(), checkText(this.config.name, this.running ? 1 : 0), {
        heartbeat: true,
      });
    beat();
    this.checkTimer = setInterval(beat, this.config.checkIntervalMs);
    this.checkTimer.unref();
  }

  /** Waits `ms`; false when a stop request came first. */
  private sleepUnlessStopped(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stop !== null) return resolve(false);
      const timer = setTimeout(() => resolve(true), ms);
      this.stopWaiters.push(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  /**
   * Evidence a verdict is judged by that could not be read: said (once per failure), and `fallback` used instead — the
   * verdict is then made without it, as on a machine that lacks it.
   */
  private unreadable<T>(what: string, error: unknown, fallback: T): T {
    const message = this.words.cannotRead(what, (error as Error).message);
    if (!this.saidUnreadable.has(message)) {
      if (this.saidUnreadable.size >= 64) this.saidUnreadable.clear();
      this.saidUnreadable.add(message);
      this.deps.say(message);
    }
    return fallback;
  }

  private killGroup(pid: number): void {
    // The app's own children too: nothing of it may outlive the stop.
    sendSignal(pid, 'SIGKILL', true);
    sendSignal(pid, 'SIGKILL');
  }
}

/** A shell's view of how the child ended: its code, or 128 + the signal's number. */
export function statusOf(end: ChildEnd): number {
  if (end.exit === null) return 1;
  if (end.exit.signal !== null) return 128 + (constants.signals[end.exit.signal] ?? 0);
  return end.exit.code ?? 1;
}

function fileSize(path: string): Promise<number> {
  return stat(path).then(
    (info) => info.size,
    // No app log yet: the life's output starts at its first byte. (Offset 0 only widens the tail read at the death.)
    () => 0,
  );
}
