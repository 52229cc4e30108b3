// `oomsleuth serve`: argument parsing only; fastify, the store and the pages load when it runs.
import { Command } from 'commander';
import { registerOptions } from '../options/register.js';
import { SERVE_OPTIONS } from '../serve/serve-options.js';

export function serveCommand(): Command {
  const serve = new Command('serve').description(
    'dashboard of what watch stored: incidents with filters, each with its evidence and memory curve, live as they arrive (127.0.0.1 unless --token)',
  );
  return registerOptions(serve, SERVE_OPTIONS).action(async (flags: Record<string, unknown>) => {
    const [{ loadServeConfig }, { runServe }] = await Promise.all([
      import('../serve/serve-config.js'),
      import('../serve/run-serve.js'),
    ]);
    await runServe(await loadServeConfig(flags), (line) => process.stderr.write(`${line}\n`));
  });
}
