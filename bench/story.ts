// The server's year, decided before a single line is written: when the kernel kills what, which pid each process
// has at any moment, when the guardian restarts the app. Every generator reads the same story, so the syslog,
// the journal, check.log and running.log agree with each other and with the answer the benchmark expects.
import type { Random } from './random.js';

export const APP_NAME = 'anqicms';
export const HOST = 'web-prod-3';
const MINUTE = 60_000;

/** One OOM kill the generators plant; `oomsleuth analyze` must report exactly these. */
export interface PlantedKill {
  readonly process: string;
  readonly pid: number;
  /** The `Killed process` line's time, µs since the epoch (UTC). */
  readonly atUs: number;
  /** The same instant, for people reading the manifest. */
  readonly at: string;
  readonly invokedBy: string;
  /** The allocating thread (`CPU: … PID:`), not necessarily the victim. */
  readonly triggerTid: number;
  readonly uid: number;
  readonly memcg: string;
  readonly totalVmKb: number;
  readonly anonRssKb: number;
  readonly fileRssKb: number;
  readonly pgtablesKb: number;
  /** When the victim's replacement starts (the app: the guardian's next run at :01), and its pid. */
  readonly restartAtMs: number;
  readonly nextPid: number;
}

/** A stretch of time during which one pid is the running instance. */
export interface Life {
  readonly pid: number;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface Story {
  readonly host: string;
  readonly startMs: number;
  readonly endMs: number;
  /** `uptime -s`: kernel monotonic stamps count from here. */
  readonly bootMs: number;
  readonly kills: readonly PlantedKill[];
  readonly appLives: readonly Life[];
  readonly mysqlLives: readonly Life[];
}

/**
 * 4–8 kills spread over the span, one of them of mysqld (a kill of another process is not the app's death), the
 * rest of the app. Each sits well inside its own slot, at seconds 10–50 so it never shares a second with cron.
 */
export function planStory(random: Random, startMs: number, endMs: number): Story {
  const count = random.int(4, 8);
  const mysqlIndex = random.int(1, count - 1);
  const slot = (endMs - startMs) / count;
  const usedPids = new Set<number>([1, 901, 1022, 1023, 1024]);
  const freshPid = (): number => {
    for (;;) {
      const pid = random.int(10_000, 199_999);
      if (!usedPids.has(pid)) {
        usedPids.add(pid);
        return pid;
      }
    }
  };
  let appPid = freshPid();
  let mysqlPid = 901;
  const appLives: Life[] = [];
  const mysqlLives: Life[] = [];
  let appFrom = startMs;
  let mysqlFrom = startMs;
  const kills: PlantedKill[] = [];
  for (let i = 0; i < count; i++) {
    const minute = Math.floor((startMs + slot * i + slot * (0.2 + 0.6 * random.float())) / MINUTE) * MINUTE;
    const killMs = minute + random.int(10, 50) * 1000;
    const atUs = killMs * 1000 + random.int(0, 999_999);
    const isMysql = i === mysqlIndex;
    const pid = isMysql ? mysqlPid : appPid;
    const nextPid = freshPid();
    const restartAtMs = isMysql ? killMs + 3000 : minute + MINUTE + 1000;
    const invokedBy = isMysql ? 'mysqld' : i % 3 === 2 ? 'nginx' : APP_NAME;
    kills.push({
      process: isMysql ? 'mysqld' : APP_NAME,
      pid,
      atUs,
      at: new Date(Math.floor(atUs / 1000)).toISOString(),
      invokedBy,
      triggerTid: invokedBy === 'nginx' ? 1023 : pid + random.int(3, 40),
      uid: isMysql ? 113 : 0,
      memcg: isMysql ? '/system.slice/mysql.service' : '/system.slice/cron.service',
      totalVmKb: isMysql ? random.int(2_400_000, 2_900_000) : random.int(3_600_000, 4_200_000),
      anonRssKb: isMysql ? random.int(1_700_000, 2_100_000) : random.int(3_200_000, 3_560_000),
      fileRssKb: random.int(1_200, 9_000),
      pgtablesKb: random.int(4_000, 8_000),
      restartAtMs,
      nextPid,
    });
    if (isMysql) {
      mysqlLives.push({ pid, fromMs: mysqlFrom, toMs: killMs });
      mysqlFrom = restartAtMs;
      mysqlPid = nextPid;
    } else {
      appLives.push({ pid, fromMs: appFrom, toMs: killMs });
      appFrom = restartAtMs;
      appPid = nextPid;
    }
  }
  appLives.push({ pid: appPid, fromMs: appFrom, toMs: Number.POSITIVE_INFINITY });
  mysqlLives.push({ pid: mysqlPid, fromMs: mysqlFrom, toMs: Number.POSITIVE_INFINITY });
  return {
    host: HOST,
    startMs,
    endMs,
    bootMs: startMs - 3 * 86_400_000 - 4_321_000,
    kills,
    appLives,
    mysqlLives,
  };
}

/** The pid alive at a time, or null in a death window; times must not go backwards between calls. */
export function createPidCursor(lives: readonly Life[]): (ms: number) => number | null {
  let index = 0;
  return (ms) => {
    while (index < lives.length - 1 && ms >= lives[index + 1]!.fromMs) index++;
    const life = lives[index]!;
    return ms >= life.fromMs && ms < life.toMs ? life.pid : null;
  };
}
