// A loopback webhook receiver for the tests: records every POST, answers what the test says (200 by default, or a
// status per request, or never), and can go down and come back on the same port.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly at: number;
  /** CLOCK_MONOTONIC ms when it arrived (the clock the kernel stamps /dev/kmsg records with). */
  readonly mono: number;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly json: unknown;
  /** The status this request was answered with (null: never answered). */
  readonly status: number | null;
}

export class Receiver {
  readonly received: Received[] = [];
  /** Statuses for the next requests, in order; then `status`. `null` = never answer. */
  readonly script: (number | null)[] = [];
  status = 200;
  private server: http.Server | null = null;
  private port = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly hanging = new Set<http.ServerResponse>();

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** True while it listens (between `up()` and `down()`). */
  get listening(): boolean {
    return this.server !== null;
  }

  /** Accepted (2xx) requests. */
  get accepted(): Received[] {
    return this.received.filter((r) => r.status !== null && r.status >= 200 && r.status < 300);
  }

  async up(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(body);
        } catch {
          // not JSON
        }
        const status = this.script.length > 0 ? this.script.shift()! : this.status;
        const mono = Number(process.hrtime.bigint() / 1000n) / 1000;
        this.received.push({
          at: Date.now(),
          mono,
          path: req.url ?? '',
          headers: req.headers,
          body,
          json,
          status,
        });
        for (const wake of this.waiters.splice(0)) wake();
        if (status === null) {
          this.hanging.add(res);
          return;
        }
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'boom');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening (connections are refused) until `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `count` requests were received (or fails after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000, what = () => this.received.length): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (what() < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`receiver got ${what()} of ${count} expected requests within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
