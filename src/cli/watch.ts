// `oomsleuth watch [PATH…]`: argument parsing only; the daemon (store, followers, alerts) is loaded when it runs.
import { Command } from 'commander';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function watchCommand(): Command {
  return new Command('watch')
    .description(
      'daemon: follow the kernel, guardian and app logs live, store each death with its evidence, alert, export metrics',
    )
    .argument('[paths...]', "log files or folders to follow; none: this machine's kernel log (+ --app-dir)")
    .option(
      '--app <name>',
      'process to focus on (default: the name in the guardian log, else every OOM-killed process)',
    )
    .option('--app-dir <dir>', 'folder holding the guardian log (check.log) and the app log (running.log)')
    .option(
      '--db <file>',
      'SQLite store (default $XDG_STATE_HOME/oomsleuth/oomsleuth.db, as root /var/lib/oomsleuth/oomsleuth.db)',
    )
    .option('--webhook <url>', 'POST each incident here (repeatable; or OOMSLEUTH_WEBHOOK)', collect)
    .option(
      '--webhook-format <format>',
      'generic|slack|dingtalk|feishu|wecom: once for all webhooks or once per --webhook (default: from the host)',
      collect,
    )
    .option(
      '--webhook-secret <secret>',
      'DingTalk/Feishu signing secret, or the generic HMAC key (or OOMSLEUTH_WEBHOOK_SECRET)',
      collect,
    )
    .option('--alert-on <what>', 'alert on deaths of the app (app) or on any OOM kill too (any)', 'app')
    .option('--settle <duration>', 'how long a death seen without a kill record waits for one', '90s')
    .option('--metrics <host:port>', 'serve Prometheus metrics at /metrics (PORT alone binds 127.0.0.1)')
    .option('--json', 'print each final incident as one JSON line on stdout')
    .option('--tz <zone>', "IANA zone for stamps without an offset (default: this machine's zone)")
    .option(
      '--guard-incidents <file>',
      "oomsleuth guard's --incidents file, for memory samples (default: DIR/incidents.jsonl of --app-dir)",
    )
    .option('--alert-retry-max <duration>', 'longest wait between two attempts to deliver an alert', '5m')
    .option(
      '--crash-loop-window <duration>',
      'a death this close to the previous one of the same process is held for one summary alert (0: alert every death)',
      '5m',
    )
    .addHelpText(
      'after',
      '\nRuns until SIGTERM or SIGINT. Exit status: 0 stopped by a signal; 2 bad usage, or the store, the metrics port\n' +
        'or every source cannot be used at start. See docs/watch.md.',
    )
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      // A daemon that idles between rare incidents gains nothing from V8's optimising compiler, and its code paged
      // in costs ~4 MiB of RSS (the target is 80 MiB). Set before the pipeline loads.
      (await import('node:v8')).setFlagsFromString('--no-opt');
      // Loaded here: `analyze` never loads the store, the alerting or prom-client.
      const { runWatch } = await import('../watch/run-watch.js');
      const code = await runWatch(paths, flags);
      // Everything is saved and closed; an HTTP keep-alive socket or a timer left behind must not keep it running.
      process.exit(code);
    });
}
