// The live pipeline in one process for tests: a store, hand-fed followers, the correlator, the watcher, and optionally
// a loopback webhook receiver; on a clock the test sets. A rig made again on the same db is a restarted watch.
import { Dispatcher } from '../../../src/alert/dispatcher.js';
import { makeWebhook } from '../../../src/alert/webhook.js';
import type { Carrier } from '../../../src/framing/carrier.js';
import { Store } from '../../../src/store/store.js';
import { LiveCorrelator } from '../../../src/watch/live-correlator.js';
import { LiveSource } from '../../../src/watch/live-source.js';
import { Watcher } from '../../../src/watch/watcher.js';
import { FakeFollower } from './fake-follower.js';
import type { Receiver } from './receiver.js';

export interface PipelineRig {
  readonly watcher: Watcher;
  readonly store: Store;
  readonly feeds: Record<string, FakeFollower>;
  readonly logs: string[];
  setNow(ms: number): void;
  /** Stops the watcher and its dispatcher and closes the store (the receiver stays up). */
  close(): Promise<void>;
}

export async function pipelineRig(options: {
  readonly db: string;
  readonly createdMs: number;
  readonly files: Record<string, Carrier | null>;
  /** Followers carried over from an earlier rig (a restart keeps the files as they are). */
  readonly feeds?: Record<string, FakeFollower>;
  readonly receiver?: Receiver | null;
  readonly zone?: string;
  readonly liveBootTimeMs?: number | null;
}): Promise<PipelineRig> {
  let now = options.createdMs;
  const clock = () => now;
  const store = await Store.open(options.db, { nowMs: options.createdMs });
  const feeds: Record<string, FakeFollower> = {};
  const sources = Object.entries(options.files).map(([name, carrier], i) => {
    const follower = options.feeds?.[name] ?? new FakeFollower(name, i);
    feeds[name] = follower;
    return new LiveSource({ follower, sourceId: i, carrier, live: false });
  });
  const logs: string[] = [];
  const receiver = options.receiver ?? null;
  const dispatcher = receiver
    ? new Dispatcher({
        store,
        webhooks: [makeWebhook(new URL(receiver.url), 'generic', null, 0)],
        host: 'test-host',
        retryBaseMs: 50,
        retryMaxMs: 200,
        language: 'en',
        log: (_l, m) => logs.push(m),
      })
    : null;
  const watcher = new Watcher({
    store,
    sources,
    guardIncidents: null,
    correlator: new LiveCorrelator({
      app: null,
      zone: options.zone ?? 'UTC',
      settleMs: 90_000,
      liveBootTimeMs: options.liveBootTimeMs ?? null,
      host: 'web1',
      language: 'en',
    }),
    dispatcher,
    metrics: null,
    host: 'web1',
    alertOn: 'any',
    log: (_l, m) => logs.push(m),
    now: clock,
  });
  await watcher.start();
  dispatcher?.start();
  let closed = false;
  return {
    watcher,
    store,
    feeds,
    logs,
    setNow: (ms) => {
      now = ms;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await watcher.stop();
      await dispatcher?.stop();
      store.close();
    },
  };
}
