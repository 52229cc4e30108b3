// The vocabulary every recogniser speaks: one discriminated union, each member carrying the record it came from.

import type { Cause, Confidence, OomFigures, OomScope } from '../contract/analysis.js';
import type { LogRecord } from '../framing/record.js';

export type { OomScope };

interface EventBase {
  readonly record: LogRecord;
}

/** `<comm> invoked oom-killer: gfp_mask=…, order=N, oom_score_adj=N` — the trigger, not necessarily the victim. */
export interface OomInvoked extends EventBase {
  readonly type: 'oom.invoked';
  readonly trigger: string;
  readonly order: number | null;
  readonly oomScoreAdj: number | null;
}

/** 5.0+ `oom-kill:constraint=…,task=comm,pid=N,uid=N` summary (also the split 5.0-rc form, glued by the framer). */
export interface OomConstraint extends EventBase {
  readonly type: 'oom.constraint';
  readonly scope: OomScope | null;
  readonly oomMemcg: string | null;
  readonly taskMemcg: string | null;
  readonly process: string | null;
  readonly pid: number | null;
  readonly uid: number | null;
}

/** ≤5.0 `<reason>: Kill process N (comm) score S or sacrifice child` — the intended victim only. */
export interface OomKillIntent extends EventBase {
  readonly type: 'oom.kill-intent';
  readonly scope: OomScope | null;
  readonly pid: number;
  readonly process: string;
  readonly score: number | null;
}

/** `[<reason>: ]Killed process N (comm) total-vm:…kB, anon-rss:…kB …` in every kernel form — names the victim. */
export interface OomKilled extends EventBase {
  readonly type: 'oom.killed';
  /** From the reason prefix: `Memory cgroup out of memory` → memcg, `Out of memory` → global, … ; null when absent. */
  readonly scope: OomScope | null;
  readonly pid: number;
  readonly process: string;
  readonly totalVmKb: number | null;
  readonly anonRssKb: number | null;
  readonly fileRssKb: number | null;
  readonly shmemRssKb: number | null;
  readonly uid: number | null;
  readonly oomScoreAdj: number | null;
}

/** `oom_reaper: reaped process N (comm), now anon-rss:…` — confirms a kill took effect. */
export interface OomReaped extends EventBase {
  readonly type: 'oom.reaped';
  readonly pid: number;
  readonly process: string;
}

/** The task table header (`[ pid ] uid tgid total_vm rss …`), all layouts. */
export interface OomTaskHeader extends EventBase {
  readonly type: 'oom.task-header';
}

/** One row of the task table: a candidate, not the victim. `rssPages` is in pages. */
export interface OomTask extends EventBase {
  readonly type: 'oom.task';
  readonly pid: number;
  readonly process: string;
  readonly rssPages: number | null;
  readonly oomScoreAdj: number | null;
}

/** `memory: usage NkB, limit NkB, failcnt N` (memcg report). */
export interface MemcgUsage extends EventBase {
  readonly type: 'memcg.usage';
  readonly usageKb: number;
  readonly limitKb: number;
}

/** ≤4.19 `Task in /a killed as a result of limit of /b`. */
export interface MemcgTaskIn extends EventBase {
  readonly type: 'memcg.task-in';
  readonly taskMemcg: string;
  readonly limitMemcg: string;
}

/**
 * A host-wide figure of a global OOM report's `Mem-Info:` block (`Free swap  = 0kB`, `Total swap = 0kB`, `1048443 pages
 * RAM`): how much RAM and swap the machine had when the kernel gave up. A memcg OOM prints none of them.
 */
export interface OomMemInfo extends EventBase {
  readonly type: 'oom.mem-info';
  readonly field: 'ram-pages' | 'swap-total-kb' | 'swap-free-kb';
  readonly value: number;
}

/**
 * The task table of one OOM report folded by the scan (its rows are never kept one by one): how many tasks, their
 * summed RSS and the biggest holders. `record` is the table's header (or first row when the header was lost).
 */
export interface OomTaskSummary extends EventBase {
  readonly type: 'oom.task-summary';
  readonly tasks: number;
  readonly totalRssPages: number;
  /** The biggest holders by RSS, biggest first (at most TOP_HOLDERS): rows summed by name, `pid` the biggest row's. */
  readonly top: readonly { readonly pid: number; readonly process: string; readonly rssPages: number }[];
}

/** `sysrq: … Manual OOM execution` — a deliberate OOM kill, not memory exhaustion. */
export interface OomManual extends EventBase {
  readonly type: 'oom.manual';
}

/** systemd: `x.service: A process of this unit has been killed by the OOM killer.` */
export interface UnitOom extends EventBase {
  readonly type: 'unit.oom';
  readonly unit: string;
}

/** systemd: `x.service: systemd-oomd killed N process(es) in this unit.` */
export interface UnitOomd extends EventBase {
  readonly type: 'unit.oomd';
  readonly unit: string;
}

/** systemd: `x.service: Main process exited, code=killed, status=9/KILL` (also RHEL 7 lowercase form). */
export interface UnitExited extends EventBase {
  readonly type: 'unit.exited';
  readonly unit: string;
  readonly code: string;
  readonly status: string;
}

/** systemd: `x.service: Failed with result 'oom-kill'.` */
export interface UnitResult extends EventBase {
  readonly type: 'unit.result';
  readonly unit: string;
  readonly result: string;
}

/** systemd job lines: `Stopping x.service…`, `Stopped x.service…`, `Starting x.service…`, `Started x.service…`. `unit`
 * may be a description (older systemd): correlation learns which unit it describes from the unit's own lines. */
export interface UnitJob extends EventBase {
  readonly type: 'unit.stopping' | 'unit.stopped' | 'unit.starting' | 'unit.started';
  readonly unit: string;
}

/** systemd: `x.service: Deactivated successfully.` (247+) / `x.service: Succeeded.` (240–246): the main process
 * ended in a way systemd calls clean (exit 0, or SIGTERM/SIGINT/SIGHUP/SIGPIPE), with no status in the line. */
export interface UnitDeactivated extends EventBase {
  readonly type: 'unit.deactivated';
  readonly unit: string;
}

/** systemd's `Restart=` fired: `x.service: Scheduled restart job, restart counter is at N.`, `… holdoff time over,
 * scheduling restart.` (older wordings alike). */
export interface UnitRestartScheduled extends EventBase {
  readonly type: 'unit.restart-scheduled';
  readonly unit: string;
}

/** upstart: `x main process (N) killed by SEGV signal` / `… terminated with status N`. */
export interface UpstartExited extends EventBase {
  readonly type: 'upstart.exited';
  readonly job: string;
  readonly pid: number;
  /** `SIGSEGV`, … when killed by a signal. */
  readonly signal: string | null;
  /** The exit status when it exited by itself. */
  readonly code: number | null;
}

/** upstart: `x main process ended, respawning`. */
export interface UpstartRespawning extends EventBase {
  readonly type: 'upstart.respawning';
  readonly job: string;
}

/** systemd-oomd: `Killed /…/x.service due to memory pressure …` / `Marked … for killing …`. */
export interface OomdKilled extends EventBase {
  readonly type: 'oomd.killed';
  readonly cgroup: string;
  readonly reason: string;
}

/** earlyoom: `sending SIGTERM|SIGKILL to process N uid N "comm": …`. */
export interface EarlyoomKilled extends EventBase {
  readonly type: 'earlyoom.killed';
  readonly signal: string;
  readonly pid: number | null;
  readonly process: string;
  readonly vmRssMib: number | null;
}

/** facebook oomd written into the kernel log: `oomd kill: … <cgroup> …`. */
export interface FbOomdKilled extends EventBase {
  readonly type: 'fboomd.killed';
  readonly cgroup: string;
}

/**
 * kernel: `comm[pid]: segfault at …` / `traps: comm[pid] general protection fault …`. The kernel prints the faulting
 * thread: `process` is its name (a thread may have a name of its own) and `pid` its thread id, the process id only
 * for the main thread.
 */
export interface KernelSegfault extends EventBase {
  readonly type: 'kernel.segfault';
  readonly process: string;
  readonly pid: number;
  /** The file the fault address lies in (` in anqicms[400000+e3d000]` → `anqicms`); the binary when it is the
   * program's own code, a library otherwise; null when the kernel did not say. */
  readonly object: string | null;
}

/** audit ANOM_ABEND (type=1701): a process ended on a fault signal. `pid` is the process id, `exe` its binary. */
export interface KernelAbend extends EventBase {
  readonly type: 'kernel.abend';
  readonly pid: number;
  /** The faulting thread's name (as in the segfault line). */
  readonly process: string;
  readonly exe: string;
  readonly signal: number;
}

/** `audit: type=N audit(SECONDS.MILLIS:SERIAL): …` in the kernel's ring buffer: a wall-clock stamp of the kernel's own. */
export interface KernelAudit extends EventBase {
  readonly type: 'kernel.audit';
  /** When the record was made, ms since the epoch. */
  readonly epochMs: number;
  readonly serial: number;
}

/** check.sh / old start.sh / old stop.sh: `YYYYMMDD HH:MM:SS name PID check: N` (N a count, or stop.sh's pid(s), or empty). */
export interface GuardianCheck extends EventBase {
  readonly type: 'guardian.check';
  readonly name: string;
  /** The digits as written (may be empty, may be several PIDs glued together). */
  readonly value: string;
}

/** Guardian stdout redirected into the log: `anqicms NOT running`, `anqicms is not running. Starting it...`. */
export interface GuardianRestart extends EventBase {
  readonly type: 'guardian.restart';
  readonly name: string;
}

/** Guardian stop lines: `kill -9 <pid>`, `anqicms is stop`, `anqicms is running. Stopping it...`, `anqicms stopped.` */
export interface GuardianStop extends EventBase {
  readonly type: 'guardian.stop';
  readonly name: string | null;
  readonly pid: number | null;
}

/** `oomsleuth guard` death line in check.log: `… anqicms died: signal SIGKILL after 3h12m — …`. */
export interface GuardDied extends EventBase {
  readonly type: 'guard.died';
  readonly name: string;
  readonly pid: number | null;
  readonly signal: string | null;
  readonly code: number | null;
  /** The verdict the guard wrote after `—` (`oom-killer (confirmed): …`); null when the line has none. */
  readonly verdict: RecordedVerdict | null;
}

/** A cause and confidence some observer already wrote down (the guard's `died:` line, its incidents.jsonl). */
export interface RecordedVerdict {
  readonly cause: Cause;
  readonly confidence: Confidence;
}

/** `oomsleuth guard` starting a life: `NAME started: pid N[ in memory cgroup /x]`, `NAME restarted: pid N (…)`, and
 * the lives it watches without having started them (`adopted: pid N, …`, `running outside the guard: pid N (…)`). */
export interface GuardStarted extends EventBase {
  readonly type: 'guard.started';
  readonly name: string;
  readonly pid: number;
  /** The memory cgroup the guard made for it (`--memory-limit`); null when the line names none. */
  readonly memcg: string | null;
  readonly how: 'started' | 'restarted' | 'adopted' | 'outside';
}

/** `oomsleuth guard` asked the app to stop: `NAME stopping: SIGTERM to pid N (why)`. */
export interface GuardStopping extends EventBase {
  readonly type: 'guard.stopping';
  readonly name: string;
  readonly pid: number;
  readonly why: string;
}

/** One death as `oomsleuth guard --incidents` wrote it (one JSON object per line): its verdict and what it saw. */
export interface GuardIncident extends EventBase {
  readonly type: 'guard.incident';
  readonly name: string;
  readonly pid: number | null;
  /** ms since the epoch; the record's own stamp. */
  readonly diedAtMs: number | null;
  readonly diedWithinMs: readonly [number | null, number | null] | null;
  readonly restartedAtMs: number | null;
  readonly verdict: RecordedVerdict;
  /** How the child ended as the guard (its parent) saw it; both null when it was not the parent. */
  readonly signal: string | null;
  readonly code: number | null;
  readonly oom: OomFigures | null;
  /** The command the guard ran (its first word is the app's path, which tells two copies of one program apart). */
  readonly command: readonly string[];
}

/** Startup output of the app (AnQiCMS exec-path line, Iris banner, `Now listening on:` …). `marker` says which. */
export interface AppStart extends EventBase {
  readonly type: 'app.start';
  readonly marker:
    | 'exec-path'
    | 'iris-version'
    | 'listening'
    | 'application-started'
    | 'browser-hint'
    /** Spring Boot's `Starting X … with PID N`. */
    | 'jvm-starting'
    /** A Java server is up: Spring Boot `Started X in N seconds`, Tomcat `Server startup in`, Jetty `Started @Nms`. */
    | 'jvm-started';
}

/** AnQiCMS on a caught signal: `退出 terminated` (then `监听到退出信号`). */
export interface AppShutdown extends EventBase {
  readonly type: 'app.shutdown';
  readonly signal: string | null;
}

/** AnQiCMS in-place restart (`进程结束，开始重启`): re-exec under the same pid — not a death. */
export interface AppRestartInPlace extends EventBase {
  readonly type: 'app.restart-in-place';
}

/** Go `panic: …` / non-OOM `fatal error: …` / unhandled `SIGSEGV: segmentation violation`. */
export interface AppPanic extends EventBase {
  readonly type: 'app.panic';
  readonly message: string;
}

/** Go `fatal error: runtime: out of memory` / `runtime: out of memory: cannot allocate …`, Java `OutOfMemoryError`. */
export interface AppRuntimeOom extends EventBase {
  readonly type: 'app.runtime-oom';
  readonly message: string;
  /**
   * True when the runtime always dies after printing it (Go's allocator, a JVM told to exit on OOM, the JVM's own
   * native allocation failure). False for a Java `OutOfMemoryError` thrown in a thread: the JVM may catch it and go on.
   */
  readonly fatal: boolean;
}

/** AnQiCMS `端口已经被占用，可能软件已经启动`: a second copy exits at once (status 255). */
export interface AppPortInUse extends EventBase {
  readonly type: 'app.port-in-use';
}

/** Any other app-log line: a last-activity marker. */
export interface AppLine extends EventBase {
  readonly type: 'app.line';
  /**
   * True for a line of a runtime's error report (a Java stack frame, `Caused by:`, the JVM's heap dump lines): it
   * follows an error, so it is no sign that the process went on after it.
   */
  readonly report: boolean;
}

export type Event =
  | OomInvoked
  | OomConstraint
  | OomKillIntent
  | OomKilled
  | OomReaped
  | OomTaskHeader
  | OomTask
  | MemcgUsage
  | MemcgTaskIn
  | OomMemInfo
  | OomTaskSummary
  | OomManual
  | UnitOom
  | UnitOomd
  | UnitExited
  | UnitResult
  | UnitJob
  | UnitRestartScheduled
  | UnitDeactivated
  | UpstartExited
  | UpstartRespawning
  | OomdKilled
  | EarlyoomKilled
  | FbOomdKilled
  | KernelSegfault
  | KernelAbend
  | KernelAudit
  | GuardianCheck
  | GuardianRestart
  | GuardianStop
  | GuardDied
  | GuardStarted
  | GuardStopping
  | GuardIncident
  | AppStart
  | AppShutdown
  | AppRestartInPlace
  | AppPanic
  | AppRuntimeOom
  | AppPortInUse
  | AppLine;

export type EventType = Event['type'];
