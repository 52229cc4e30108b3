// `oomsleuth serve`: opens the store read-only, starts the dashboard, says where it is, and runs until SIGINT/SIGTERM.
import type { AddressInfo } from 'node:net';
import { OomsleuthError } from '../errors.js';
import { loadChartAssets } from '../pictures/chart-assets.js';
import { Store } from '../store/store.js';
import type { ServeConfig } from './serve-config.js';
import { buildServer } from './server.js';

export async function runServe(config: ServeConfig, say: (line: string) => void): Promise<void> {
  const store = await Store.open(config.db, { readOnly: true });
  const app = buildServer({
    store,
    storeName: config.db,
    token: config.token,
    zone: config.zone,
    assets: await loadChartAssets(),
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    store.close();
    const where = config.host.includes(':')
      ? `[${config.host}]:${config.port}`
      : `${config.host}:${config.port}`;
    throw new OomsleuthError(
      'OOMS_E_SERVE_LISTEN',
      `serve: cannot listen on ${where}: ${(error as Error).message} — choose another port (--listen 127.0.0.1:8765) or stop what holds it [OOMS_E_SERVE_LISTEN]`,
      { cause: error },
    );
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  // The port the system chose for --listen 0.
  const port = (app.server.address() as AddressInfo | null)?.port ?? config.port;
  say(
    `oomsleuth serve: http://${host}:${port}/ (store ${config.db}${config.token ? '; open it once with ?token=… or send Authorization: Bearer …' : ''})`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  store.close();
}
