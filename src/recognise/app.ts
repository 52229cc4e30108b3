// The application's own output (log-formats.md §5.7, §6.2–6.3): AnQiCMS/Iris start markers, signals, Go and Java deaths.
import type {
  AppPanic,
  AppPortInUse,
  AppRestartInPlace,
  AppRuntimeOom,
  AppShutdown,
  AppStart,
} from './event.js';
import type { Recogniser } from './recogniser.js';
import type { RecogniserTable } from './table.js';

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
  build: (g, record) => ({ type: 'app.runtime-oom', record, message: (g.text ?? '').trimEnd() }),
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
  build: (g, record) => ({ type: 'app.runtime-oom', record, message: (g.text ?? '').trimEnd() }),
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
  build: (g, record) => ({ type: 'app.runtime-oom', record, message: (g.text ?? '').trimEnd() }),
  samples: [
    {
      line: 'out of memory allocating heap arena map',
      expect: { message: 'out of memory allocating heap arena map' },
    },
    { line: 'out of memory allocating allArenas', expect: { message: 'out of memory allocating allArenas' } },
    { line: 'out of memory allocating thumbnail buffer', expect: null },
  ],
};

export const appJavaOom: Recogniser<AppRuntimeOom> = {
  id: 'app.runtime-oom.java',
  type: 'app.runtime-oom',
  guard: 'java.lang.OutOfMemoryError',
  pattern: /^(?<text>(?:Exception in thread ".*" )?java\.lang\.OutOfMemoryError\b.*)$/,
  build: (g, record) => ({ type: 'app.runtime-oom', record, message: (g.text ?? '').trimEnd() }),
  samples: [
    {
      line: 'java.lang.OutOfMemoryError: Java heap space',
      expect: { message: 'java.lang.OutOfMemoryError: Java heap space' },
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

export const appTable: RecogniserTable = {
  id: 'app',
  recognisers: [
    // Deaths first (rare but decisive), OOM before the general `fatal error:`.
    appGoFatalOom,
    appGoAllocOom,
    appGoArenaOom,
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
  ],
};
