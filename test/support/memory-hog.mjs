// A stand-in for a memory-leaking Go service, run by the real-kernel OOM test.
//
// Run it as `<dir>/anqicms memory-hog.mjs` where `<dir>/anqicms` is a symlink to the node
// binary: the kernel takes the task name (comm) from the path that was executed, so the
// OOM killer's lines name `anqicms`, as they would for the real service.
//
// It prints Go-`log`-style lines (`2006/01/02 15:04:05 message`, local time, as AnQiCMS's
// log.Println writes them to running.log), announces `ready` and then WAITS for one line on
// stdin. The harness moves it into a memory cgroup during that pause, so that every byte it
// allocates afterwards is charged to the cgroup, then releases it. It then allocates and
// touches memory in steps until the OOM killer ends it with SIGKILL (no last words: the
// "cliff" oomsleuth looks for).
//
// Plain JavaScript with no dependencies: it runs outside the TypeScript loader, with the
// smallest possible footprint before the limit applies.
import { dirname } from 'node:path';

const MIB = 1024 * 1024;
const stepMiB = Number(process.env.HOG_STEP_MIB ?? 8);
const stepDelayMs = Number(process.env.HOG_STEP_DELAY_MS ?? 25);
const maxMiB = Number(process.env.HOG_MAX_MIB ?? 4096);

const pad = (n) => String(n).padStart(2, '0');

// Go's log package: local time, no zone marker, whole seconds.
function goLogStamp(d) {
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function log(message) {
  process.stdout.write(`${goLogStamp(new Date())} ${message}\n`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForGo() {
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    if (chunk.includes('\n')) return;
  }
  // stdin closed before the go line: the harness gave up, so do not allocate outside a cgroup.
  log('stdin closed before the go signal, exiting without allocating');
  process.exit(3);
}

async function hog() {
  const kept = [];
  let totalMiB = 0;
  while (totalMiB < maxMiB) {
    // allocUnsafeSlow + fill writes every page: Buffer.alloc may hand back untouched
    // zero pages that never count towards RSS or the cgroup charge.
    const block = Buffer.allocUnsafeSlow(stepMiB * MIB);
    block.fill(0x5a);
    kept.push(block);
    totalMiB += stepMiB;
    log(`cache warm-up: allocated ${stepMiB} MiB, holding ${totalMiB} MiB`);
    await sleep(stepDelayMs);
  }
  log(`reached HOG_MAX_MIB=${maxMiB} without being killed`);
  process.exit(4);
}

// AnQiCMS's first line is log.Println(ExecPath): the executable's directory ending in "/".
log(`${dirname(process.argv0)}/`);
log(`memory hog pid ${process.pid} ready, waiting for the go line on stdin`);
await waitForGo();
log('go: allocating until the kernel stops us');
await hog();
