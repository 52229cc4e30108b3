// The webhook flags shared by every command that alerts (watch, drill, alert test), declared once. Loaded at every
// start of those commands, so it imports the option parsers and the format list, not the webhook code (node:crypto).
import { WEBHOOK_FORMATS } from '../alert/webhook-format.js';
import { httpUrl } from '../options/network.js';
import { repeatable } from '../options/option-spec.js';
import { anyText, oneOf } from '../options/text.js';

export const WEBHOOK_OPTIONS = {
  webhook: repeatable(
    '--webhook <url>',
    'POST each incident here (repeatable; or OOMSLEUTH_WEBHOOK)',
    httpUrl('https://oapi.dingtalk.com/robot/send?access_token=…'),
    { secret: true },
  ),
  webhookFormat: repeatable(
    '--webhook-format <format>',
    'once for all webhooks or once per --webhook',
    oneOf(WEBHOOK_FORMATS),
    { defaultHelp: 'from the host' },
  ),
  webhookSecret: repeatable(
    '--webhook-secret <secret>',
    'DingTalk/Feishu signing secret, or the generic HMAC key (or OOMSLEUTH_WEBHOOK_SECRET)',
    anyText,
    { secret: true },
  ),
} as const;
