// The application's own output (log-formats.md §5.7, §6.2–6.3): AnQiCMS/Iris start markers, signals, Go and Java deaths.
import type { LogRecord } from '../framing/record.js';
import type {
  AppPanic,
  AppPortInUse,
  AppRestartInPlace,
  AppRuntimeOom,
  AppShutdown,
  AppStart,
  Event,
} from './event.js';
import type { Recogniser } from './recogniser.js';
import { type RecogniserTable, recogniseWith } from './table.js';

// Go's `log.Println` prefix. The app-log framer normally takes it off; it is accepted here too so a record framed
// without it (or a sample line) still matches.
const GO_LOG = String.raw`(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? )?`;

// ---- app.start -----------------------------------------------------------------------------------------------------

export const appExecPath: Recogniser<AppStart> = {
  id: 'app.start.exec-path',
  type: 'app.start',
  guard: '/',
  // AnQiCMS's first output: `log.Println(ExecPath)`, an absolute directory ending in `/`.
  pattern: /^(?<stamp>\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? )?(?<path>\/(?:[^/]+\/)*)\s*$/,
  build: (g, record) => {
    // It must be a Go-log line: a bare path from `fmt.Println` (no stamp at all) is not the marker.
    if (g.stamp === undefined && record.stamp.kind === 'none') return null;
    return { type: 'app.start', record, marker: 'exec-path' };
  },
  samples: [
    { line: '2024/07/23 10:04:01 /www/wwwroot/anqicms/', expect: { marker: 'exec-path' } },
    { line: '2024/07/23 10:04:01 /www/wwwroot/my site/anqicms/', expect: { marker: 'exec-path' } },
    { line: '/www/wwwroot/anqicms/', expect: null },
    { line: '2024/07/23 10:04:01 /www/wwwroot/anqicms/running.log', expect: null },
    { line: '2024/07/23 10:04:01 http://127.0.0.1:8001/', expect: null },
  ],
};

export const appIrisVersion: Recogniser<AppStart> = {
  id: 'app.start.iris-version',
  type: 'app.start',
  guard: 'Iris Version:',
  pattern: /^(?<label>Iris Version:)\s*(?<version>\S*)/,
  build: (_g, record) => ({ type: 'app.start', record, marker: 'iris-version' }),
  samples: [
    { line: 'Iris Version: 12.2.11', expect: { marker: 'iris-version' } },
    { line: 'Iris Version:   12.2.11', expect: { marker: 'iris-version' } },
  ],
};

export const appListening: Recogniser<AppStart> = {
  id: 'app.start.listening',
  type: 'app.start',
  guard: 'Now listening on:',
  pattern: /^(?<label>Now listening on:)\s*(?<url>\S*)/,
  build: (_g, record) => ({ type: 'app.start', record, marker: 'listening' }),
  samples: [
    { line: 'Now listening on: http://localhost:8001', expect: { marker: 'listening' } },
    { line: 'Now listening on: http://0.0.0.0:8001', expect: { marker: 'listening' } },
  ],
};

export const appApplicationStarted: Recogniser<AppStart> = {
  id: 'app.start.application-started',
  type: 'app.start',
  guard: 'Application started.',
  pattern: /^(?<label>Application started\.) Press CTRL\+C to shut down/,
  build: (_g, record) => ({ type: 'app.start', record, marker: 'application-started' }),
  samples: [
    { line: 'Application started. Press CTRL+C to shut down.', expect: { marker: 'application-started' } },
  ],
};

export const appBrowserHint: Recogniser<AppStart> = {
  id: 'app.start.browser-hint',
  type: 'app.start',
  guard: '请手动在浏览器输入访问地址',
  pattern: new RegExp(`^${GO_LOG}(?<label>请手动在浏览器输入访问地址)[：:]\\s*(?<url>\\S*)`),
  build: (_g, record) => ({ type: 'app.start', record, marker: 'browser-hint' }),
  samples: [
    {
      line: '2024/07/23 10:04:02 请手动在浏览器输入访问地址： http://127.0.0.1:8001',
      expect: { marker: 'browser-hint' },
    },
    { line: '请手动在浏览器输入访问地址： https://www.example.com', expect: { marker: 'browser-hint' } },
  ],
};

// ---- shutdown and in-place restart ---------------------------------------------------------------------------------

export const appShutdown: Recogniser<AppShutdown> = {
  id: 'app.shutdown',
  type: 'app.shutdown',
  guard: '退出 ',
  // `fmt.Println("退出", s)`: Go's signal name (`terminated`, `interrupt`, `hangup`, `quit`), no timestamp.
  pattern: /^(?<label>退出) (?<signal>[a-z][a-z0-9 ]*)$/,
  build: (g, record) => ({ type: 'app.shutdown', record, signal: g.signal?.trimEnd() ?? null }),
  samples: [
    { line: '退出 terminated', expect: { signal: 'terminated' } },
    { line: '退出 interrupt', expect: { signal: 'interrupt' } },
    { line: '退出 hangup', expect: { signal: 'hangup' } },
    { line: '退出 quit', expect: { signal: 'quit' } },
    { line: '退出程序', expect: null },
  ],
};

export const appRestartInPlace: Recogniser<AppRestartInPlace> = {
  id: 'app.restart-in-place',
  type: 'app.restart-in-place',
  guard: '进程结束，开始重启',
  pattern: new RegExp(`^${GO_LOG}(?<label>进程结束，开始重启)`),
  build: (_g, record) => ({ type: 'app.restart-in-place', record }),
  samples: [
    { line: '2024/07/23 10:04:01 进程结束，开始重启', expect: {} },
    { line: '进程结束，开始重启', expect: {} },
  ],
};

// ---- runtime OOM (before panics: `fatal error: out of memory` is an OOM, not a crash) ------------------------------

export const appGoFatalOom: Recogniser<AppRuntimeOom> = {
  id: 'app.runtime-oom.go-fatal',
  type: 'app.runtime-oom',
  guard: 'out of memory',
  pattern: /^(?<text>fatal error: (?:runtime: )?out of memory(?: allocating .+)?)\s*$/,
  build: (g, record) => ({ type: 'app.runtime-oom', record, message: (g.text ?? '').trimEnd(), fatal: true }),
  samples: [
    {
      line: 'fatal error: runtime: out of memory',
      expect: { message: 'fatal error: runtime: out of memory' },
    },
    { line: 'fatal error: out of memory', expect: { message: 'fatal error: out of memory' } },
    {
      line: 'fatal error: out of memory allocating heap arena map',
      expect: { message: 'fatal error: out of memory allocating heap arena map' },
    },
    { line: 'Out of memory cache miss', expect: null },
  ],
};

export const appGoAllocOom: Recogniser<AppRuntimeOom> = {
  id: 'app.runtime-oom.go-alloc',
  type: 'app.runtime-oom',
  guard: 'runtime: out of memory: ',
  pattern: /^(?<text>runtime: out of memory: cannot allocate (?<bytes>\d+)-byte block.*)$/,
  build: (g, record) => ({ type: 'app.runtime-oom', record, message: (g.text ?? '').trimEnd(), fatal: true }),
  samples: [
    {
      line: 'runtime: out of memory: cannot allocate 4194304-byte block (251428864 in use)',
      expect: { message: 'runtime: out of memory: cannot allocate 4194304-byte block (251428864 in use)' },
    },
  ],
};

export const appGoArenaOom: Recogniser<AppRuntimeOom> = {
  id: 'app.runtime-oom.go-arena',
  type: 'app.runtime-oom',
  guard: 'out of memory allocating ',
  // The allocator's own throws, when seen without the `fatal error: ` prefix.
  pattern: /^(?<text>out of memory allocating (?:heap arena [a-z ]+|allArenas\s*))$/,
  build: (g, record) => ({ type: 'app.runtime-oom', record, message: (g.text ?? '').trimEnd(), fatal: true }),
  samples: [
    {
      line: 'out of memory allocating heap arena map',
      expect: { message: 'out of memory allocating heap arena map' },
    },
    { line: 'out of memory allocating allArenas', expect: { message: 'out of memory allocating allArenas' } },
    { line: 'out of memory allocating thumbnail buffer', expect: null },
  ],
};

export const appJavaOomExit: Recogniser<AppRuntimeOom> = {
  id: 'app.runtime-oom.java-exit',
  type: 'app.runtime-oom',
  guard: 'due to java.lang.OutOfMemoryError',
  // -XX:+ExitOnOutOfMemoryError (exit code 3) and -XX:+CrashOnOutOfMemoryError (abort, hs_err file): the JVM ends.
  pattern: /^(?<text>(?:Terminating|Aborting) due to java\.lang\.OutOfMemoryError\b.*)$/,
  build: (g, record) => ({ type: 'app.runtime-oom', record, message: (g.text ?? '').trimEnd(), fatal: true }),
  samples: [
    {
      line: 'Terminating due to java.lang.OutOfMemoryError: Java heap space',
      expect: { message: 'Terminating due to java.lang.OutOfMemoryError: Java heap space', fatal: true },
    },
    {
      line: 'Aborting due to java.lang.OutOfMemoryError: Metaspace',
      expect: { message: 'Aborting due to java.lang.OutOfMemoryError: Metaspace', fatal: true },
    },
  ],
};

export const appJvmNativeOom: Recogniser<AppRuntimeOom> = {
  id: 'app.runtime-oom.jvm-native',
  type: 'app.runtime-oom',
  guard: 'insufficient memory for the Java Runtime Environment',
  // The JVM itself could not get memory from the system (mmap failed): it writes an hs_err file and dies.
  pattern: /^(?<text>#? ?There is insufficient memory for the Java Runtime Environment to continue\.?)\s*$/,
  build: (g, record) => ({
    type: 'app.runtime-oom',
    record,
    message: (g.text ?? '').replace(/^#? ?/, '').trimEnd(),
    fatal: true,
  }),
  samples: [
    {
      line: '# There is insufficient memory for the Java Runtime Environment to continue.',
      expect: {
        message: 'There is insufficient memory for the Java Runtime Environment to continue.',
        fatal: true,
      },
    },
  ],
};

export const appJavaOnOomCommand: Recogniser<AppRuntimeOom> = {
  id: 'app.runtime-oom.java-on-oom-command',
  type: 'app.runtime-oom',
  guard: '-XX:OnOutOfMemoryError=',
  // The JVM runs the operator's command on its first OutOfMemoryError: `kill -9 %p` ends it, anything else need not.
  pattern: /^#\s+(?<text>-XX:OnOutOfMemoryError="(?<command>[^"]*)")\s*$/,
  build: (g, record) => ({
    type: 'app.runtime-oom',
    record,
    message: (g.text ?? '').trimEnd(),
    fatal: /\bkill\b/.test(g.command ?? ''),
  }),
  samples: [
    {
      line: '# -XX:OnOutOfMemoryError="kill -9 %p"',
      expect: { message: '-XX:OnOutOfMemoryError="kill -9 %p"', fatal: true },
    },
    {
      line: '# -XX:OnOutOfMemoryError="/opt/app/bin/alert-oom.sh"',
      expect: { message: '-XX:OnOutOfMemoryError="/opt/app/bin/alert-oom.sh"', fatal: false },
    },
  ],
};

export const appJavaOom: Recogniser<AppRuntimeOom> = {
  id: 'app.runtime-oom.java',
  type: 'app.runtime-oom',
  guard: 'java.lang.OutOfMemoryError',
  // Thrown in one thread: the JVM dies only if nothing catches it, so this alone is no death (see app-lives.ts).
  pattern:
    /^(?<text>(?:Exception in thread ".*" |Exception: (?=java\.lang\.OutOfMemoryError thrown from the UncaughtExceptionHandler))?java\.lang\.OutOfMemoryError\b.*)$/,
  build: (g, record) => ({
    type: 'app.runtime-oom',
    record,
    message: (g.text ?? '').trimEnd(),
    fatal: false,
  }),
  samples: [
    {
      line: 'java.lang.OutOfMemoryError: Java heap space',
      expect: { message: 'java.lang.OutOfMemoryError: Java heap space', fatal: false },
    },
    {
      line: 'Exception in thread "main" java.lang.OutOfMemoryError: GC overhead limit exceeded',
      expect: {
        message: 'Exception in thread "main" java.lang.OutOfMemoryError: GC overhead limit exceeded',
      },
    },
    {
      line: 'Exception in thread "http-nio-8080-exec-1" java.lang.OutOfMemoryError: Java heap space',
      expect: {
        message: 'Exception in thread "http-nio-8080-exec-1" java.lang.OutOfMemoryError: Java heap space',
      },
    },
    {
      // NitorCreations/intune-fedora#3, a JVM that went on logging after it.
      line: 'Exception: java.lang.OutOfMemoryError thrown from the UncaughtExceptionHandler in thread "DBus Worker Thread-7"',
      expect: {
        message:
          'Exception: java.lang.OutOfMemoryError thrown from the UncaughtExceptionHandler in thread "DBus Worker Thread-7"',
        fatal: false,
      },
    },
    { line: 'Caused by: java.lang.OutOfMemoryError: Java heap space', expect: null },
  ],
};

// ---- crashes ---------------------------------------------------------------------------------------------------------

export const appGoPanic: Recogniser<AppPanic> = {
  id: 'app.panic.go-panic',
  type: 'app.panic',
  guard: 'panic: ',
  // At the start of the line only: `http: panic serving …` is a recovered handler panic, not a death.
  pattern: /^(?<text>panic: .+)$/,
  build: (g, record) => ({ type: 'app.panic', record, message: (g.text ?? '').trimEnd() }),
  samples: [
    {
      line: 'panic: runtime error: invalid memory address or nil pointer dereference',
      expect: { message: 'panic: runtime error: invalid memory address or nil pointer dereference' },
    },
    {
      line: 'panic: assignment to entry in nil map [recovered]',
      expect: { message: 'panic: assignment to entry in nil map [recovered]' },
    },
    {
      line: '2024/07/23 10:04:01 http: panic serving 1.2.3.4:5555: runtime error: index out of range',
      expect: null,
    },
    { line: 'Kernel panic: not syncing', expect: null },
  ],
};

export const appGoFatal: Recogniser<AppPanic> = {
  id: 'app.panic.go-fatal',
  type: 'app.panic',
  guard: 'fatal error: ',
  pattern: /^(?<text>fatal error: (?<what>.+))$/,
  build: (g, record) =>
    // An allocation failure is a runtime OOM, not a crash, even when this recogniser runs alone.
    g.what?.includes('out of memory')
      ? null
      : { type: 'app.panic', record, message: (g.text ?? '').trimEnd() },
  samples: [
    { line: 'fatal error: concurrent map writes', expect: { message: 'fatal error: concurrent map writes' } },
    {
      line: 'fatal error: concurrent map read and map write',
      expect: { message: 'fatal error: concurrent map read and map write' },
    },
    {
      line: 'fatal error: all goroutines are asleep - deadlock!',
      expect: { message: 'fatal error: all goroutines are asleep - deadlock!' },
    },
    { line: 'fatal error: stack overflow', expect: { message: 'fatal error: stack overflow' } },
    { line: 'fatal error: out of memory', expect: null },
  ],
};

export const appGoSignal: Recogniser<AppPanic> = {
  id: 'app.panic.go-signal',
  type: 'app.panic',
  guard: 'SIG',
  // A signal the Go runtime did not turn into a panic (cgo code, runtime bugs). SIGQUIT is a deliberate dump.
  pattern: /^(?<text>(?<signal>SIGSEGV|SIGABRT|SIGBUS|SIGILL|SIGFPE|SIGTRAP|SIGSYS): [a-z][a-z -]*)\s*$/,
  build: (g, record) => ({ type: 'app.panic', record, message: (g.text ?? '').trimEnd() }),
  samples: [
    { line: 'SIGSEGV: segmentation violation', expect: { message: 'SIGSEGV: segmentation violation' } },
    { line: 'SIGABRT: abort', expect: { message: 'SIGABRT: abort' } },
    { line: 'SIGBUS: bus error', expect: { message: 'SIGBUS: bus error' } },
    { line: '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f4a5]', expect: null },
    { line: 'SIGQUIT: quit', expect: null },
  ],
};

export const appPortInUse: Recogniser<AppPortInUse> = {
  id: 'app.port-in-use',
  type: 'app.port-in-use',
  guard: '端口已经被占用',
  pattern: new RegExp(`^${GO_LOG}(?<label>端口已经被占用)`),
  build: (_g, record) => ({ type: 'app.port-in-use', record }),
  samples: [
    { line: '2024/07/23 10:04:01 端口已经被占用，可能软件已经启动', expect: {} },
    { line: '端口已经被占用，可能软件已经启动', expect: {} },
  ],
};

export const appSpringBootStarting: Recogniser<AppStart> = {
  id: 'app.start.spring-boot-starting',
  type: 'app.start',
  guard: ' with PID ',
  // Spring Boot's first line, after the logger's own prefix: `Starting <App> v<ver> using Java <j> on <host> with PID N`
  // (older releases have no `using Java`, 3.x no `on <host>`, a 3.x native image says `AOT-processed <App>`).
  pattern:
    /(?:^|[:-] )(?<label>Starting) (?:AOT-processed )?(?<app>\S+)(?: v\S+)?(?: using Java \S+)?(?: on \S+)? with PID (?<pid>\d+)/,
  build: (_g, record) => ({ type: 'app.start', record, marker: 'jvm-starting' }),
  samples: [
    {
      line: '2024-07-23T08:15:08.203+08:00  INFO 23987 --- [           main] run.halo.app.Application                 : Starting Application v2.17.2 using Java 17.0.11 with PID 23987 (/opt/halo/halo.jar started by root in /opt/halo)',
      expect: { marker: 'jvm-starting' },
    },
    {
      line: 'INFO 1187 --- [           main] c.e.demo.DemoApplication                 : Starting DemoApplication v0.0.1-SNAPSHOT on web1 with PID 1187 (/opt/demo/demo.jar started by demo in /opt/demo)',
      expect: { marker: 'jvm-starting' },
    },
    {
      line: '2024-07-23 10:04:02,114 INFO  [main] c.m.MallApplication - Starting AOT-processed MallApplication using Java 17.0.9 with PID 24611 (/opt/mall/mall started by mall in /opt/mall)',
      expect: { marker: 'jvm-starting' },
    },
    { line: 'INFO  [main] c.e.App - Starting worker pool with PID file /run/app.pid', expect: null },
  ],
};

export const appSpringBootStarted: Recogniser<AppStart> = {
  id: 'app.start.spring-boot-started',
  type: 'app.start',
  guard: ' running for ',
  pattern:
    /(?:^|[:-] )(?<label>Started) (?<app>\S+) in [\d.]+ seconds \((?:JVM|process) running for [\d.]+\)/,
  build: (_g, record) => ({ type: 'app.start', record, marker: 'jvm-started' }),
  samples: [
    {
      line: 'INFO 23987 --- [           main] run.halo.app.Application                 : Started Application in 12.431 seconds (process running for 13.502)',
      expect: { marker: 'jvm-started' },
    },
    {
      line: 'INFO 1187 --- [main] c.e.demo.DemoApplication : Started DemoApplication in 5.12 seconds (JVM running for 5.9)',
      expect: { marker: 'jvm-started' },
    },
    { line: 'INFO  [main] c.e.App - Started worker in 3 seconds (queue running for 2 days)', expect: null },
  ],
};

export const appTomcatStarted: Recogniser<AppStart> = {
  id: 'app.start.tomcat-started',
  type: 'app.start',
  guard: 'Server startup in ',
  // Tomcat's catalina.out: `Server startup in [4187] milliseconds` (9.0+), `Server startup in 4187 ms` before.
  pattern: /(?<label>Server startup in) \[?(?<ms>\d+)\]? (?:milliseconds|ms)\b/,
  build: (_g, record) => ({ type: 'app.start', record, marker: 'jvm-started' }),
  samples: [
    {
      line: 'INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [4187] milliseconds',
      expect: { marker: 'jvm-started' },
    },
    { line: 'INFO: Server startup in 3520 ms', expect: { marker: 'jvm-started' } },
  ],
};

export const appJettyStarted: Recogniser<AppStart> = {
  id: 'app.start.jetty-started',
  type: 'app.start',
  guard: 'Started ',
  // Jetty's StdErrLog after its stamp: `INFO:oejs.Server:main: Started @1184ms` (9.x), `Started Server@…{…}[…] @1109ms`.
  pattern: /:main: (?<label>Started) (?:Server@[0-9a-f]+\S* )?@(?<ms>\d+)ms\b/,
  build: (_g, record) => ({ type: 'app.start', record, marker: 'jvm-started' }),
  samples: [
    { line: 'INFO:oejs.Server:main: Started @1184ms', expect: { marker: 'jvm-started' } },
    {
      line: 'INFO:oejs.Server:main: Started Server@297ea53a{STARTING}[9.4.6,sto=0] @1109ms',
      expect: { marker: 'jvm-started' },
    },
    {
      line: 'DBUG:oejuc.AbstractLifeCycle:main: STARTED @35432ms qtp22713019{STARTED,10<=10<=200,i=10,q=0}',
      expect: null,
    },
  ],
};

// ---- lines of an error report -------------------------------------------------------------------------------------

// What a JVM prints after an error, not on its own account: stack frames (a tab, spaces, or rsyslog's `#011` for the
// tab), `Caused by:` / `Suppressed:` / `... N more`, exception headers, the heap dump lines of
// -XX:+HeapDumpOnOutOfMemoryError, hs_err `#` lines and OpenJ9's JVMDUMP lines.
const REPORT_LINE =
  /^(?:(?:\s+|#011)(?:at [\w$.<>/-]+\(|\.\.\. \d+ (?:more|common frames omitted))|(?:\s+|#011)?(?:Caused by: |Suppressed: )|(?:Exception in thread "[^"]*" )?[\w$]+(?:\.[\w$]+)+(?:Exception|Error|Throwable)(?::|$)|Dumping heap to |Heap dump file created \[|Unable to create \S+\.hprof|#(?: |$)|JVMDUMP\d{3}[IEW] )/;

/** True when an app line belongs to a runtime's error report rather than to the program's own work. */
export function isErrorReportLine(message: string): boolean {
  return REPORT_LINE.test(message);
}

export const appTable: RecogniserTable = {
  id: 'app',
  recognisers: [
    // Deaths first (rare but decisive), OOM before the general `fatal error:`.
    appGoFatalOom,
    appGoAllocOom,
    appGoArenaOom,
    appJavaOomExit,
    appJvmNativeOom,
    appJavaOnOomCommand,
    appJavaOom,
    appGoPanic,
    appGoFatal,
    appGoSignal,
    appShutdown,
    appRestartInPlace,
    appPortInUse,
    appIrisVersion,
    appListening,
    appApplicationStarted,
    appBrowserHint,
    appExecPath,
    appSpringBootStarting,
    appSpringBootStarted,
    appTomcatStarted,
    appJettyStarted,
  ],
};

const NON_BLANK = /(?<char>\S)/;

/** The event an app-log record states; any other non-blank line is an `app.line` (a last-activity marker). */
/** True when an app line that no recogniser claims is the program's own words: not blank, not an error report. */
export function isLifeSign(message: string): boolean {
  return NON_BLANK.test(message) && !isErrorReportLine(message);
}

export function recogniseAppRecord(record: LogRecord): Event | null {
  const event = recogniseWith(appTable, record);
  if (event !== null) return event;
  return NON_BLANK.test(record.message)
    ? { type: 'app.line', record, report: isErrorReportLine(record.message) }
    : null;
}
