// The dashboard's HTTP server (fastify): the incident list, one incident's page, and a stream of server-sent events
// that pushes each incident watch stores while a page is open. Reads the store only; every page carries its CSP.
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { ChartAssets } from '../pictures/chart-assets.js';
import { dashboardRowOf, renderIncidentPage, renderListPage } from '../pictures/dashboard-html.js';
import type { Page } from '../pictures/document.js';
import type { Bundle, StoredIncident } from '../store/records.js';
import type { IncidentFilter } from '../store/store.js';
import { checkAccess, isLoopbackHost, tokenCookie } from './access.js';
import { filtersOf, type IncidentFilters } from './filters.js';

/** What the server reads of the store (the Store class fits; tests may hand in less). */
export interface IncidentReader {
  listIncidents(filter?: IncidentFilter): StoredIncident[];
  incidentsStoredSince(finalizedMs: number): StoredIncident[];
  findIncident(idOrPrefix: string): { incident: StoredIncident | null; ambiguous: string[] };
  bundleOf(id: string): Bundle;
}

export interface ServerOptions {
  readonly store: IncidentReader;
  /** Shown on the page: which store this is. */
  readonly storeName: string;
  readonly token: string | null;
  readonly zone: string;
  readonly assets: ChartAssets;
  /** How often the store is read for new incidents while a page listens (watch is another process). */
  readonly pollMs?: number;
}

const DEFAULT_POLL_MS = 1_000;
/** Incidents on one page, the newest: a crash loop stores thousands, and the filters narrow them. */
const MAX_LISTED = 500;
/** A comment line now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 20_000;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The first visit's URL may hold ?token=: never sent on to anyone.
  'referrer-policy': 'no-referrer',
} as const;

interface Listener {
  readonly raw: ServerResponse;
  readonly filters: IncidentFilters;
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const listeners = new Set<Listener>();
  const news = newIncidents(options.store);
  // No answer is sniffed as markup: a 404 echoes the id it was asked for.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });

  if (options.token === null) {
    // Without a token only this machine is let in — and a web page it has open must not be (DNS rebinding: a site
    // whose name comes to resolve to 127.0.0.1 would read the dashboard), so the Host must name the loopback too.
    app.addHook('onRequest', async (request, reply) => {
      if (isLoopbackHost(request.headers.host)) return;
      return reply
        .code(403)
        .type('text/plain; charset=utf-8')
        .send(
          'oomsleuth serve: without --token only http://127.0.0.1:PORT/ or http://localhost:PORT/ is served — behind a proxy, give serve a --token-file\n',
        );
    });
  } else {
    const token = options.token;
    app.addHook('onRequest', async (request, reply) => {
      const query = request.query as Record<string, unknown> | undefined;
      const given = typeof query?.token === 'string' ? query.token : undefined;
      const access = checkAccess(token, request.headers, given);
      if (access.kind === 'allowed') return;
      if (access.kind === 'adopt' && request.method === 'GET') {
        const url = new URL(request.url, 'http://x');
        url.searchParams.delete('token');
        return reply
          .code(303)
          .header('set-cookie', tokenCookie(token))
          .header('referrer-policy', 'no-referrer')
          .header('location', `${url.pathname}${url.search}`)
          .send();
      }
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="oomsleuth"')
        .type('text/plain; charset=utf-8')
        .send(
          'oomsleuth serve: this dashboard needs its token — open it once as /?token=TOKEN, or send Authorization: Bearer TOKEN\n',
        );
    });
  }

  app.get('/', async (request, reply) => {
    const filters = filtersOf(request.query, options.zone);
    // One read: the apps offered by the filter come from every incident; `matches` applies --since itself.
    const all = options.store.listIncidents();
    const matching = all.filter((s) => filters.matches(s));
    const apps = [...new Set(all.flatMap((s) => (s.app ? [s.app] : [])))].sort();
    return sendPage(
      reply,
      renderListPage({
        incidents: matching.slice(-MAX_LISTED),
        matching: matching.length,
        apps,
        filters: filters.shown,
        store: options.storeName,
        assets: options.assets,
      }),
    );
  });

  app.get('/incidents/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const { incident } = options.store.findIncident(id);
    if (incident === null) {
      return reply.code(404).type('text/plain; charset=utf-8').send(`no stored incident has the id ${id}\n`);
    }
    const bundle = options.store.bundleOf(incident.id);
    return sendPage(reply, renderIncidentPage({ listed: incident, extras: bundle, assets: options.assets }));
  });

  app.get('/events', async (request, reply) => {
    const filters = filtersOf(request.query, options.zone);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    if (listeners.size === 0) news.reset();
    const listener = { raw, filters };
    listeners.add(listener);
    raw.write(': connected\n\n');
    raw.on('close', () => listeners.delete(listener));
  });

  const poll = setInterval(() => {
    if (listeners.size === 0) return;
    for (const stored of news.since()) {
      const data = `event: incident\ndata: ${JSON.stringify(dashboardRowOf(stored))}\n\n`;
      for (const l of listeners) if (l.filters.matches(stored)) l.raw.write(data);
    }
  }, options.pollMs ?? DEFAULT_POLL_MS);
  const heartbeat = setInterval(() => {
    for (const l of listeners) l.raw.write(': heartbeat\n\n');
  }, HEARTBEAT_MS);
  poll.unref();
  heartbeat.unref();
  app.addHook('onClose', async () => {
    clearInterval(poll);
    clearInterval(heartbeat);
    for (const l of listeners) l.raw.end();
    listeners.clear();
  });
  return app;
}

function sendPage(reply: FastifyReply, page: Page): FastifyReply {
  return reply.headers({ ...PAGE_HEADERS, 'content-security-policy': page.csp }).send(page.html);
}

/**
 * A store write is committed a little after its incident's time of storing was taken (longer when watch retried a
 * failed write): incidents stored up to this long before now are looked for again at every poll.
 */
const STORE_LAG_MS = 60_000;

/**
 * The incidents stored since the last look. watch writes from another process, so the store is read again, from
 * STORE_LAG_MS back, the ids seen in that span remembered; the first look is when the first page started listening.
 */
function newIncidents(store: IncidentReader): { reset(): void; since(): StoredIncident[] } {
  let seen = new Set<string>();
  const recent = () => store.incidentsStoredSince(Date.now() - STORE_LAG_MS);
  return {
    reset() {
      seen = new Set(recent().map((s) => s.id));
    },
    since() {
      const stored = recent();
      const fresh = stored.filter((s) => !seen.has(s.id));
      seen = new Set(stored.map((s) => s.id));
      return fresh;
    },
  };
}
