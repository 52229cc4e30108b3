// The service's own stdout/stderr (AnQiCMS running.log, nohup.out, a Java service's catalina.out): lines that start
// with a stamp an application writes (app-stamp.ts) get its time, everything else none.
import { parseAppStamp } from './app-stamp.js';
import type { Carrier } from './carrier.js';
import { cleanLineText } from './clean-line.js';
import { createLineFramer, type PrefixParser } from './line-framer.js';
import { hasHostAndTag } from './syslog-tail.js';

// Lines only a (Go/Iris/AnQiCMS, or JVM) application prints: the Iris banner, AnQiCMS's signal/restart lines, Go crashes.
const APP_MARKER =
  /^(?:Iris Version:|Now listening on:|Application started\.|Invalid Config: {2}|退出 |监听到退出信号|panic: |fatal error: |runtime: out of memory|\[signal SIG[A-Z]{2,8}: |goroutine \d{1,12} [^[]{0,40}\[)|进程结束，开始重启|java\.lang\.OutOfMemoryError/;

const parseAppLine: PrefixParser = (text) => parseAppStamp(text);

/**
 * True when the line starts with an application's stamp or holds a marker only an application prints. An ISO stamp
 * with an offset followed by `host tag[pid]:` is a syslog or journal line (RFC 3339, short-iso), not the app's own.
 */
export function looksLikeAppLine(text: string): boolean {
  const stamped = parseAppStamp(text);
  if (stamped !== null) return stamped.stamp.kind !== 'instant' || !hasHostAndTag(stamped.message);
  return APP_MARKER.test(text);
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
      parse: parseAppLine,
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
    '2024-03-05 13:02:11,123 ERROR [http-nio-8080-exec-7] o.a.c.c.C.[.[.[/].[dispatcherServlet] - Servlet.service() for servlet [dispatcherServlet] threw exception',
    '2024-07-23T08:15:08.203+08:00  INFO 23987 --- [           main] run.halo.app.Application                 : Starting Application v2.17.2 using Java 17.0.11 with PID 23987 (/opt/halo/halo.jar started by root in /opt/halo)',
    "2022-11-02 08:41:07.531  INFO 1187 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port(s): 8080 (http) with context path ''",
    '2017-08-06 17:53:51.133:INFO:oejs.Server:main: jetty-9.4.6.v20170531',
    '05-Mar-2024 13:02:11.123 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [4187] milliseconds',
    '[2024-03-05 13:02:11,123] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)',
    '2024/03/05 13:02:11 [error] 1187#1187: *5 connect() failed (111: Connection refused) while connecting to upstream',
    'time="2024-03-05T13:02:11+08:00" level=info msg="server listening" addr=":8080"',
    '[GIN] 2024/03/05 - 13:02:11 | 200 |    1.204ms |       127.0.0.1 | GET      "/api/cart"',
  ],
};
