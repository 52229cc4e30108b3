// How the webhook flags (webhook-options.ts) of every command that alerts (watch, drill, alert test) become
// webhooks. URLs and secrets may also come from the environment, so that they stay out of the process list and the
// unit file: OOMSLEUTH_WEBHOOK (one or more URLs) and OOMSLEUTH_WEBHOOK_SECRET.
import { makeWebhook, type Webhook } from '../alert/webhook.js';
import { formatForHost } from '../alert/webhook-format.js';
import type { Problems } from '../options/problems.js';
import type { ValidatedOptions } from '../options/validate.js';
import type { WEBHOOK_OPTIONS } from './webhook-options.js';

/** The webhook values the environment gives where the command line gave none. */
export function webhookFlagsFromEnv(
  flags: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  const fromEnv: Record<string, unknown> = {};
  if (flags.webhook === undefined && env.OOMSLEUTH_WEBHOOK) {
    fromEnv.webhook = env.OOMSLEUTH_WEBHOOK.split(/\s+/).filter(Boolean);
  }
  if (flags.webhookSecret === undefined && env.OOMSLEUTH_WEBHOOK_SECRET) {
    fromEnv.webhookSecret = [env.OOMSLEUTH_WEBHOOK_SECRET];
  }
  return fromEnv;
}

/** The webhooks of validated options, pairing formats and secrets with URLs; each problem goes to `problems`. */
export function webhooksOf(
  validated: {
    readonly values: ValidatedOptions<typeof WEBHOOK_OPTIONS>['values'];
    readonly given: ReadonlyMap<string, number>;
    readonly invalid: ReadonlySet<string>;
  },
  problems: Problems,
): Webhook[] {
  const { values, given, invalid } = validated;
  // Formats and secrets pair with the webhooks in order, or one serves all: counted as given, valid or not.
  const urlCount = given.get('webhook') ?? 0;
  const formatCount = given.get('webhookFormat') ?? 0;
  const secretCount = given.get('webhookSecret') ?? 0;
  if (formatCount > 1 && formatCount !== urlCount) {
    problems.usage(
      `--webhook-format given ${formatCount} times for ${urlCount} webhook(s): give it once (for all) or once per --webhook, in the same order`,
    );
  }
  if (secretCount > 1 && secretCount !== urlCount) {
    problems.usage(
      `--webhook-secret given ${secretCount} times for ${urlCount} webhook(s): give it once (for all) or once per --webhook, in the same order`,
    );
  }
  if (urlCount === 0 && (formatCount > 0 || secretCount > 0)) {
    problems.usage('--webhook-format and --webhook-secret need a --webhook');
  }
  // Each webhook is made only when all of them are valid: an invalid one would shift the pairing by position.
  const webhooks: Webhook[] = [];
  if (!invalid.has('webhook') && !invalid.has('webhookFormat')) {
    const formats = values.webhookFormat;
    const secrets = values.webhookSecret;
    values.webhook.forEach((url, index) => {
      const format = (formats.length === 1 ? formats[0] : formats[index]) ?? formatForHost(url);
      const secret = (secrets.length === 1 ? secrets[0] : secrets[index]) || null;
      if (secret && (format === 'slack' || format === 'wecom')) {
        problems.usage(
          `--webhook-secret for webhook #${index + 1}: ${format} webhooks are not signed (the key is in the URL); leave it out`,
        );
      }
      webhooks.push(makeWebhook(url, format, secret, index));
    });
    if (new Set(webhooks.map((w) => w.key)).size !== webhooks.length) {
      problems.usage('--webhook the same webhook is given twice');
    }
  }
  return webhooks;
}
