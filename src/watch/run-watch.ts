// `oomsleuth watch`: validates everything that can fail at start — options, the store, the metrics port, the
// sources — so a misconfigured daemon exits 2 at once instead of at its first incident; then runs until SIGTERM/SIGINT.
import { hostname } from 'node:os';
import { Dispatcher } from '../alert/dispatcher.js';
import { DEFAULT_STORM_POLICY } from '../alert/storm.js';
import { OomsleuthError } from '../errors.js';
import { readBootTime } from '../sources/live.js';
import { Store } from '../store/store.js';
import { lockStore } from '../store/store-lock.js';
import { LiveCorrelator } from './live-correlator.js';
import { LiveSource } from './live-source.js';
import { stderrLogger } from './log.js';
import { serveMetrics, WatchMetrics } from './metrics.js';
import { planSources } from './plan-sources.js';
import { loadWatchConfig } from './watch-config.js';
import { Watcher } from './watcher.js';

export async function runWatch(paths: readonly string[], flags: Record<string, unknown>): Promise<number> {
  const config = await loadWatchConfig(paths, flags);
  const log = stderrLogger(config.zone);
  // Before the store is opened: a second watch must not migrate it, nor write a byte, under the first one.
  const lock = await lockStore(config.db);
  if (lock === null) {
    throw new OomsleuthError(
      'OOMS_E_WATCH_ALREADY_RUNNING',
      `another oomsleuth watch is using the store ${config.db}: two would alert every kill twice — stop the other one (\`systemctl stop oomsleuth-watch\`, or kill its pid), or give this one its own --db`,
    );
  }
  let store: Store;
  try {
    store = await Store.open(config.db);
  } catch (error) {
    await lock.release();
    throw error;
  }
  let server: Awaited<ReturnType<typeof serveMetrics>>['server'] | null = null;
  try {
    let metrics: WatchMetrics | null = null;
    let metricsUrl: string | null = null;
    if (config.metrics) {
      metrics = await WatchMetrics.create(store.metricTotals());
      const served = await serveMetrics(metrics, config.metrics);
      server = served.server;
      metricsUrl = served.url;
    }
    const plan = await planSources({
      paths: config.paths,
      appDir: config.appDir,
      app: config.app,
      guardIncidents: config.guardIncidents,
    });
    for (const note of plan.notes) log(note.code ? 'warn' : 'info', note.message, note.code);
    if (plan.sources.length === 0) {
      throw new OomsleuthError(
        'OOMS_E_NO_INPUT',
        'nothing to follow: no kernel log can be read here and no PATH or --app-dir was given — run watch as root, or pass the log files (or --app-dir DIR with check.log and running.log)',
      );
    }
    // The kernel stamps /dev/kmsg records with CLOCK_MONOTONIC, which is what hrtime reads: boot = now − uptime.
    const liveBootTimeMs =
      Date.now() - Number(process.hrtime.bigint() / 1_000_000n) || (await readBootTime());
    const sources = plan.sources.map(
      (p) => new LiveSource({ follower: p.follower, sourceId: p.sourceId, carrier: p.carrier, live: p.live }),
    );
    const host = hostname();
    const correlator = new LiveCorrelator({
      host,
      app: config.app,
      zone: config.zone,
      language: config.jsonLanguage,
      settleMs: config.settleMs,
      liveBootTimeMs,
    });
    const dispatcher =
      config.webhooks.length > 0
        ? new Dispatcher({
            store,
            webhooks: config.webhooks,
            host,
            language: config.language,
            retryMaxMs: config.retryMaxMs,
            storm: {
              windowMs: config.crashLoopMs,
              quietMs: config.crashLoopMs,
              maxHoldMs: Math.max(config.crashLoopMs, DEFAULT_STORM_POLICY.maxHoldMs),
            },
            log: (level, message, code) => log(level, message, code),
            onFailedAttempt: () => metrics?.alertFailed(),
            onDelivered: () => metrics?.alertDelivered(),
          })
        : null;
    const watcher = new Watcher({
      store,
      sources,
      guardIncidents: plan.guardIncidents,
      correlator,
      dispatcher,
      metrics,
      host,
      alertOn: config.alertOn,
      log,
      ...(config.json ? { onIncident: (doc) => process.stdout.write(`${JSON.stringify(doc)}\n`) } : {}),
    });
    await watcher.start();
    dispatcher?.start();
    // Listened for before "watching" is said: a supervisor that stops watch the moment it reads the line would
    // otherwise kill it before the handler exists (no positions saved).
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    log(
      'info',
      [
        `watching ${sources.map((s) => s.displayPath).join(', ')}`,
        `store ${store.file}`,
        config.webhooks.length > 0
          ? `alerts to ${config.webhooks.map((w) => w.label).join(', ')} (--alert-on ${config.alertOn})`
          : 'no webhook',
        metricsUrl ? `metrics at ${metricsUrl}` : null,
        `deaths without a kill record settle for ${Math.round(config.settleMs / 1000)}s`,
      ]
        .filter(Boolean)
        .join('; '),
    );
    const signal = await stopped;
    log('info', `stopping (${signal}): saving positions`);
    await watcher.stop();
    await dispatcher?.stop();
    plan.watches.closeAll();
    return 0;
  } finally {
    server?.close();
    store.close();
    await lock.release();
  }
}
