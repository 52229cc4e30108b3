// drill's flags, validated once at the edge, every problem reported together, then frozen. Webhooks come from the
// flags or the environment, as for watch.
import type { Webhook } from '../alert/webhook.js';
import { machineZone } from '../clock/zone.js';
import { Problems } from '../options/problems.js';
import { freezeConfig, validateOptions } from '../options/validate.js';
import { chooseLanguages, type Language } from '../report/language.js';
import { webhookFlagsFromEnv, webhooksOf } from '../watch/webhook-config.js';
import { DRILL_OPTIONS } from './drill-options.js';

export interface DrillConfig {
  readonly webhooks: readonly Webhook[];
  readonly limitBytes: number;
  readonly json: boolean;
  readonly zone: string;
  /** The alert's language, as watch's: `--lang`, else the locale's. */
  readonly language: Language;
}

export async function loadDrillConfig(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DrillConfig> {
  const problems = new Problems('drill');
  const validated = await validateOptions(
    DRILL_OPTIONS,
    { ...flags, ...webhookFlagsFromEnv(flags, env) },
    problems,
  );
  const webhooks = webhooksOf(validated, problems);
  if (validated.values.memoryLimit > 256 * 2 ** 20) {
    problems.usage(
      '--memory-limit above 256M: the drill needs a few tens of MiB, and the hog peaks at three times it if the limit fails',
    );
  }
  problems.throwIfAny();
  return freezeConfig({
    webhooks,
    limitBytes: validated.values.memoryLimit,
    json: validated.values.json,
    zone: machineZone(),
    language: chooseLanguages(validated.values.lang, env).language,
  });
}
