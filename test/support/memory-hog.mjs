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
//
// Modes, for the early warning's tests and bench (HOG_MODE; sizes in MiB, times in ms):
//   steps     (default) HOG_STEP_MIB every HOG_STEP_DELAY_MS, kept, until killed
//   linear    HOG_BASE_MIB at once, held HOG_START_DELAY_MS, then as `steps`: a leak after a start
//   step      HOG_BASE_MIB, held HOG_START_DELAY_MS, then HOG_SPIKE_MIB at once (a big request), held
//             HOG_SPIKE_HOLD_MS, then as `steps` until killed
//   sawtooth  HOG_BASE_MIB, then every HOG_STEP_DELAY_MS HOG_STEP_MIB of garbage; when the garbage reaches
//             HOG_SAW_MIB it is dropped and collected (a GC cycle) and HOG_LEAK_MIB more is kept: a leak
//             under a GC sawtooth, until killed
//   steady    `sawtooth` with HOG_LEAK_MIB 0 (the default): runs until signalled
//   (HOG_SAW_JITTER, 0…1, varies each cycle's garbage by up to that share: collections come irregularly, as in life)
// HOG_GO=now starts at once instead of waiting for the go line (a child born inside its cgroup, as
// `oomsleuth guard --memory-limit` starts it). For the sawtooth to show in RSS, run node with --expose-gc
// (the garbage is collected at once) and MALLOC_MMAP_THRESHOLD_=131072 in the environment (glibc then
// returns each freed block to the kernel instead of keeping it in its heap).
import { dirname } from 'node:path';

const MIB = 1024 * 1024;
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const mode = process.env.HOG_MODE ?? 'steps';
const stepMiB = env('HOG_STEP_MIB', 8);
const stepDelayMs = env('HOG_STEP_DELAY_MS', 25);
const maxMiB = env('HOG_MAX_MIB', 4096);
const baseMiB = env('HOG_BASE_MIB', 0);
const startDelayMs = env('HOG_START_DELAY_MS', 0);
const spikeMiB = env('HOG_SPIKE_MIB', 0);
const spikeHoldMs = env('HOG_SPIKE_HOLD_MS', 0);
const sawMiB = env('HOG_SAW_MIB', 16);
const leakMiB = env('HOG_LEAK_MIB', 0);
const sawJitter = env('HOG_SAW_JITTER', 0);

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

// allocUnsafeSlow + fill writes every page: Buffer.alloc may hand back untouched zero pages
// that never count towards RSS or the cgroup charge.
function touched(mib) {
  const block = Buffer.allocUnsafeSlow(mib * MIB);
  block.fill(0x5a);
  return block;
}

const kept = [];
let totalMiB = 0;

function keep(mib) {
  if (mib <= 0) return;
  kept.push(touched(mib));
  totalMiB += mib;
}

async function steps() {
  while (totalMiB < maxMiB) {
    keep(stepMiB);
    log(`cache warm-up: allocated ${stepMiB} MiB, holding ${totalMiB} MiB`);
    await sleep(stepDelayMs);
  }
  log(`reached HOG_MAX_MIB=${maxMiB} without being killed`);
  process.exit(4);
}

async function sawtooth(leak) {
  let garbage = [];
  let garbageMiB = 0;
  const nextTooth = () => Math.max(stepMiB, Math.round(sawMiB * (1 + sawJitter * (2 * Math.random() - 1))));
  let tooth = nextTooth();
  for (;;) {
    garbage.push(touched(stepMiB));
    garbageMiB += stepMiB;
    if (garbageMiB >= tooth) {
      garbage = [];
      garbageMiB = 0;
      tooth = nextTooth();
      globalThis.gc?.();
      keep(leak);
      log(`collected the garbage, holding ${totalMiB} MiB`);
    }
    await sleep(stepDelayMs);
  }
}

// AnQiCMS's first line is log.Println(ExecPath): the executable's directory ending in "/".
log(`${dirname(process.argv0)}/`);
if (process.env.HOG_GO === 'now') {
  log(`memory hog pid ${process.pid} ready, mode ${mode}`);
} else {
  log(`memory hog pid ${process.pid} ready, waiting for the go line on stdin`);
  await waitForGo();
}
log('go: allocating until the kernel stops us');
keep(baseMiB);
if (baseMiB > 0) log(`holding a base of ${baseMiB} MiB`);
if (mode !== 'steps') await sleep(startDelayMs);
switch (mode) {
  case 'steps':
  case 'linear':
    await steps();
    break;
  case 'step':
    keep(spikeMiB);
    log(`a big request: allocated ${spikeMiB} MiB at once, holding ${totalMiB} MiB`);
    await sleep(spikeHoldMs);
    await steps();
    break;
  case 'sawtooth':
    await sawtooth(leakMiB);
    break;
  case 'steady':
    await sawtooth(0);
    break;
  default:
    log(`unknown HOG_MODE ${mode}`);
    process.exit(64);
}
