// Places on the network: a URL to send to (--webhook), an address to listen on (--metrics).
import { invalid, type Parser, valid } from './option-spec.js';

/**
 * An http or https URL with a host; `example` shows a good one. A URL often holds a token (Slack's path, DingTalk's
 * access_token), so a problem never repeats it: declare the option `secret` to have it named by its position.
 */
export function httpUrl(example: string): Parser<URL> {
  return (text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return invalid(`is not a URL (e.g. ${example})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return invalid(`uses ${url.protocol.replace(/:$/, '')}: only http and https are supported`);
    }
    if (url.hostname === '') return invalid('has no host');
    return valid(url);
  };
}

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

const ADDRESS = /^(?:(?:\[(?<v6>[0-9A-Fa-f:.]+)\]|(?<host>[^:[\]\s]*)):)?(?<port>\d{1,5})$/;

/** `HOST:PORT`, `[IPv6]:PORT`, or `PORT` alone on the loopback address: nothing is exposed unless asked for. */
export const listenAddress: Parser<ListenAddress> = (text) => {
  const groups = ADDRESS.exec(text.trim())?.groups;
  const port = Number(groups?.port);
  if (groups === undefined || port > 65_535) {
    return invalid(`${JSON.stringify(text)} is not HOST:PORT or PORT (e.g. 127.0.0.1:9464)`);
  }
  return valid({ host: groups.v6 ?? (groups.host || '127.0.0.1'), port });
};
