// The service's own stdout/stderr (AnQiCMS running.log, nohup.out): Go `log` lines with a stamp, everything else without.
import type { Carrier } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { createLineFramer, type PrefixParser } from './line-framer.js';
import { toLocalStamp, wallFieldsOf } from './stamp-parts.js';

// Go's log package, default flags (+ Lmicroseconds): `2006/01/02 15:04:05[.000000] `, local time of the process, no zone.
const GO_LOG_PREFIX =
  /^(?<year>\d{4})\/(?<month>\d{2})\/(?<day>\d{2}) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))?(?: (?<message>.*))?$/s;
// Lines only a (Go/Iris/AnQiCMS, or JVM) application prints: the Iris banner, AnQiCMS's signal/restart lines, Go crashes.
const APP_MARKER =
  /^(?:Iris Version:|Now listening on:|Application started\.|Invalid Config: {2}|退出 |监听到退出信号|panic: |fatal error: |runtime: out of memory|\[signal SIG[A-Z]{2,8}: |goroutine \d{1,12} [^[]{0,40}\[)|进程结束，开始重启|java\.lang\.OutOfMemoryError/;

const parseGoLogLine: PrefixParser = (text) => {
  const first = text.charCodeAt(0);
  if (first < 0x30 || first > 0x39 || text.charCodeAt(4) !== 0x2f) return null;
  const groups = GO_LOG_PREFIX.exec(text)?.groups;
  if (groups === undefined) return null;
  const stamp = toLocalStamp(wallFieldsOf(groups));
  return stamp === null ? null : { stamp, message: groups.message ?? '' };
};

/** True when the line has the Go log prefix or a marker only an application prints. */
export function looksLikeAppLine(text: string): boolean {
  return parseGoLogLine(text) !== null || APP_MARKER.test(text);
}

export const appLog: Carrier = {
  format: 'app-log',
  kind: 'app',
  sniff(raw) {
    return looksLikeAppLine(cleanLineText(raw));
  },
  createFramer(sourceId) {
    // fmt.Println lines, banners, panics and goroutine dumps keep the whole line and no stamp; frames are not continuations.
    return createLineFramer({
      sourceId,
      parse: parseGoLogLine,
      continuation: false,
      unparsedIdent: null,
      glueOomKill: false,
    });
  },
  samples: [
    '2024/07/23 10:04:01 /www/wwwroot/anqicms/',
    'Iris Version: 12.2.11',
    'Now listening on: http://localhost:8001',
    'Application started. Press CTRL+C to shut down.',
    '2024/07/23 10:04:02 请手动在浏览器输入访问地址： http://127.0.0.1:8001',
    '2024/07/23 10:04:01 端口已经被占用，可能软件已经启动',
    'Invalid Config:  unexpected end of JSON input',
    '2024/07/23 10:04:01 进程结束，开始重启',
    '退出 terminated',
    '监听到退出信号',
    'runtime: out of memory: cannot allocate 4194304-byte block (251428864 in use)',
    'fatal error: out of memory',
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f4a5]',
    'goroutine 1 [running]:',
    '\t/src/main.go:12 +0x25',
    '2024/07/23 10:04:01.553604 languages err open locales: no such file or directory',
  ],
};
