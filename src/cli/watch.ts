// `oomsleuth watch [PATH…]`: argument parsing only; the daemon (store, followers, alerts) is loaded when it runs.
import { setFlagsFromString } from 'node:v8';
import { Command } from 'commander';
import { registerOptions } from '../options/register.js';
import { WATCH_OPTIONS } from '../watch/watch-options.js';

export function watchCommand(): Command {
  const watch = new Command('watch')
    .description(
      'daemon: follow the kernel, guardian and app logs live, store each death with its evidence, alert, export metrics',
    )
    .argument('[paths...]', "log files or folders to follow; none: this machine's kernel log (+ --app-dir)");
  return registerOptions(watch, WATCH_OPTIONS)
    .addHelpText(
      'after',
      '\nRuns until SIGTERM or SIGINT. Exit status: 0 stopped by a signal; 2 bad usage, or the store, the metrics port\n' +
        'or every source cannot be used at start. See docs/watch.md.',
    )
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      // A daemon that idles between rare incidents gains nothing from V8's optimising compiler, and its code paged
      // in costs ~4 MiB of RSS (the target is 80 MiB). Set before the pipeline loads.
      // (node:v8 is imported statically: the single executable cannot import() a built-in module.)
      setFlagsFromString('--no-opt');
      // Nor a young generation grown past V8's first 1 MiB semi-space by the start's burst of allocation: that held
      // 8–10 MiB of RSS for good in some runs and not in others (BENCHMARKS.md, Footprint), as guard found before.
      setFlagsFromString('--semi-space-growth-factor=1');
      // Loaded here: `analyze` never loads the store, the alerting or prom-client.
      const { runWatch } = await import('../watch/run-watch.js');
      const code = await runWatch(paths, flags);
      // Everything is saved and closed; an HTTP keep-alive socket or a timer left behind must not keep it running.
      process.exit(code);
    });
}
