// Prometheus metrics of `watch` (prom-client, loaded only here), served at /metrics on --metrics HOST:PORT. Counters
// start from the store's totals, so a restarted watch does not look like a reset that hides the kills it recorded.
// The time-to-OOM gauge counts down from the forecast of the guard's last warning, per app, until that life ends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Counter, Gauge, Registry } from 'prom-client';
import { OomsleuthError } from '../errors.js';
import type { ListenAddress } from '../options/network.js';
import type { StoredIncident } from '../store/records.js';
import type { LiveWarning, MetricTotals } from '../store/store.js';

/** The countdown of a warning: `timeToOomS` (0 for a near-limit warning with no forecast) less the time since. */
export function timeToOomNow(warning: LiveWarning, nowMs: number): number {
  return Math.max(0, (warning.timeToOomS ?? 0) - Math.max(0, nowMs - warning.atMs) / 1000);
}

export class WatchMetrics {
  private constructor(
    readonly registry: Registry,
    private readonly kills: Counter<'process' | 'scope'>,
    private readonly incidents: Counter<'app' | 'cause'>,
    private readonly lastIncident: Gauge<'app' | 'cause'>,
    private readonly sourceUp: Gauge<'source'>,
    private readonly alertsFailed: Counter,
    private readonly alertsDelivered: Counter,
    /** The standing warning of each app (the time-to-OOM gauge is computed from it at each scrape). */
    private readonly warnings: Map<string, LiveWarning>,
  ) {}

  static async create(totals: MetricTotals): Promise<WatchMetrics> {
    const client = await import('prom-client');
    const registry = new client.Registry();
    // The standard process_* and nodejs_* names, as every Prometheus client library exports them.
    // The event-loop delay histogram samples on a timer: once a second, not prom-client's default 100 times, keeps
    // an idle watch idle.
    client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1_000 });
    const registers = [registry];
    const kills = new client.Counter({
      name: 'oomsleuth_oom_kills_total',
      help: 'OOM kills recorded (kernel OOM killer and user-space OOM daemons), by process and OOM scope',
      labelNames: ['process', 'scope'] as const,
      registers,
    });
    const incidents = new client.Counter({
      name: 'oomsleuth_incidents_total',
      help: 'Deaths of the app recorded, by cause',
      labelNames: ['app', 'cause'] as const,
      registers,
    });
    const lastIncident = new client.Gauge({
      name: 'oomsleuth_last_incident_timestamp_seconds',
      help: 'When the last recorded death of the app with this cause happened (Unix seconds)',
      labelNames: ['app', 'cause'] as const,
      registers,
    });
    const sourceUp = new client.Gauge({
      name: 'oomsleuth_source_up',
      help: 'Whether a followed source can be read now (1) or not (0)',
      labelNames: ['source'] as const,
      registers,
    });
    const alertsFailed = new client.Counter({
      name: 'oomsleuth_alerts_failed_total',
      help: 'Alert delivery attempts that failed (each is retried with backoff)',
      registers,
    });
    const alertsDelivered = new client.Counter({
      name: 'oomsleuth_alerts_delivered_total',
      help: 'Alerts delivered to a webhook',
      registers,
    });
    const warnings = new Map<string, LiveWarning>();
    for (const w of totals.warnings ?? []) warnings.set(w.app, w);
    new client.Gauge({
      name: 'oomsleuth_time_to_oom_seconds',
      help: "Seconds until the app runs out of memory, as forecast by oomsleuth guard's early warning and counted down since (0: now, or at 90% of its limit); absent while no warning stands",
      labelNames: ['app'] as const,
      registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const w of warnings.values()) this.set({ app: w.app }, timeToOomNow(w, now));
      },
    });
    for (const k of totals.kills) kills.inc({ process: k.process, scope: k.scope }, k.count);
    for (const i of totals.incidents) {
      incidents.inc({ app: i.app, cause: i.cause }, i.count);
      if (i.lastDiedMs !== null) lastIncident.set({ app: i.app, cause: i.cause }, i.lastDiedMs / 1000);
    }
    return new WatchMetrics(
      registry,
      kills,
      incidents,
      lastIncident,
      sourceUp,
      alertsFailed,
      alertsDelivered,
      warnings,
    );
  }

  /** A warning of the guard: the app's gauge counts down from its forecast. */
  warned(app: string, pid: number, atMs: number, timeToOomS: number | null): void {
    if (!Number.isFinite(atMs)) return;
    const standing = this.warnings.get(app);
    if (standing !== undefined && standing.atMs > atMs) return;
    this.warnings.set(app, { app, pid, atMs, timeToOomS });
  }

  /** A life ended (the guard's record of a death, or an incident of the app): its warning no longer stands. */
  lifeEnded(app: string | null, pid: number | null, diedMs: number | null): void {
    for (const [key, w] of this.warnings) {
      if (app !== null && key !== app) continue;
      if (pid !== null && w.pid !== pid) continue;
      if (diedMs !== null && Number.isFinite(diedMs) && diedMs < w.atMs) continue;
      this.warnings.delete(key);
    }
  }

  /** The gauge's value for `app` now (tests). */
  timeToOom(app: string, nowMs = Date.now()): number | null {
    const w = this.warnings.get(app);
    return w === undefined ? null : timeToOomNow(w, nowMs);
  }

  recordIncident(stored: StoredIncident): void {
    const i = stored.incident;
    if (i.cause === 'oom-killer' || i.cause === 'oom-daemon') {
      const scope = i.oom?.scope ?? (i.cause === 'oom-daemon' ? 'oom-daemon' : 'unknown');
      this.kills.inc({ process: i.process, scope });
    }
    if (stored.kind !== 'app') return;
    const labels = { app: stored.app ?? i.process, cause: i.cause };
    this.lifeEnded(labels.app, null, i.diedAt === null ? null : Date.parse(i.diedAt));
    this.incidents.inc(labels);
    const died = i.diedAt === null ? Number.NaN : Date.parse(i.diedAt);
    if (Number.isFinite(died)) this.lastIncident.set(labels, died / 1000);
  }

  setSourceUp(source: string, up: boolean): void {
    this.sourceUp.set({ source }, up ? 1 : 0);
  }

  alertFailed(): void {
    this.alertsFailed.inc();
  }

  alertDelivered(): void {
    this.alertsDelivered.inc();
  }
}

/** Listens at once (port in use, no such address → an error that stops watch at start). */
export async function serveMetrics(
  metrics: WatchMetrics,
  address: ListenAddress,
): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
        (error: Error) => res.writeHead(500).end(error.message),
      );
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('oomsleuth: metrics are at /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
      const why =
        error.code === 'EADDRINUSE'
          ? 'the port is in use (another watch, or another exporter?)'
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
            ? 'no such address on this machine'
            : error.code === 'EACCES'
              ? 'permission denied (ports below 1024 need root)'
              : error.message;
      reject(
        new OomsleuthError(
          'OOMS_E_WATCH_METRICS_LISTEN',
          `--metrics ${where}: cannot listen: ${why} — choose another port, e.g. --metrics 127.0.0.1:9464`,
          { cause: error },
        ),
      );
    });
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return { server, url: `http://${host}:${bound.port}/metrics` };
}
