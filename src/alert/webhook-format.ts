// The formats a webhook can be sent in, and the one its host implies. Apart from webhook.ts (node:crypto) because
// watch's option declarations need the list, and every command loads those at start.

export const WEBHOOK_FORMATS = ['generic', 'slack', 'dingtalk', 'feishu', 'wecom'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The format a URL's host implies (the chat services' own hosts), else generic. */
export function formatForHost(url: URL): WebhookFormat {
  const host = url.hostname.toLowerCase();
  if (host === 'hooks.slack.com') return 'slack';
  if (host === 'oapi.dingtalk.com') return 'dingtalk';
  if (host === 'open.feishu.cn' || host === 'open.larksuite.com') return 'feishu';
  if (host === 'qyapi.weixin.qq.com') return 'wecom';
  return 'generic';
}
