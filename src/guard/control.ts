// Driving a running guard: `oomsleuth guard status|stop|restart` send one JSON line over the guard's lock socket
// (lock.ts) and read one JSON line back. An abstract socket has no file permissions — any local user may connect — so
// every request carries the key the guard wrote beside its pid file, readable by the guard's user alone: whoever may
// read that file (root, or the user the guard runs as) may drive the guard, and nobody else.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { OomsleuthError } from '../errors.js';
import { lockName } from './lock.js';
import { keyFileFor } from './pid-file.js';
import type { SupervisorStatus } from './supervisor.js';

export type ControlOp = 'status' | 'stop' | 'restart';

/** What `guard status` shows: the supervision's state and the guard's own facts. */
export interface GuardStatusReport extends SupervisorStatus {
  readonly name: string;
  readonly guardPid: number;
  readonly guardStartedAtMs: number;
  readonly command: readonly string[];
  readonly checkLog: string;
  readonly appLog: string;
  readonly pidFile: string;
  /** VmRSS of the app read at the request, kB; null when it could not be read. */
  readonly rssKbNow: number | null;
}

export type ControlReply =
  | { readonly ok: true; readonly op: 'status'; readonly status: GuardStatusReport }
  | { readonly ok: true; readonly op: 'stop'; readonly appPid: number | null; readonly stopTimeoutMs: number }
  | { readonly ok: true; readonly op: 'restart'; readonly oldPid: number; readonly newPid: number }
  | { readonly ok: false; readonly error: string };

export interface ControlHandler {
  status(): Promise<GuardStatusReport>;
  /** Starts the stop (the reply goes out first); returns the app's pid and the grace period. */
  stop(why: string): { appPid: number | null; stopTimeoutMs: number };
  restart(why: string): Promise<{ oldPid: number; newPid: number }>;
}

/** A request is one short line; anything longer, or slower, is no client of ours. */
const MAX_REQUEST_BYTES = 4096;
const REQUEST_TIMEOUT_MS = 5_000;

/** Writes a fresh key, readable by this user only; returns it. */
export async function writeControlKey(pidFile: string): Promise<string> {
  const key = randomBytes(32).toString('hex');
  const file = keyFileFor(pidFile);
  // Made anew (never an existing file another user might have opened), mode 0600 from its creation.
  await rm(file, { force: true });
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** The connection listener of the guard's lock socket: one request, one reply, then the socket is closed. */
export function controlListener(key: string, handler: ControlHandler): (socket: Socket) => void {
  const expected = Buffer.from(key);
  return (socket) => {
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => undefined);
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_REQUEST_BYTES) return socket.destroy();
      const end = text.indexOf('\n');
      if (end < 0) return;
      socket.removeAllListeners('data');
      void answer(text.slice(0, end)).then(
        (reply) => socket.end(`${JSON.stringify(reply)}\n`),
        (error: Error) => socket.end(`${JSON.stringify({ ok: false, error: error.message })}\n`),
      );
    });
  };

  async function answer(line: string): Promise<ControlReply> {
    let request: { key?: unknown; op?: unknown };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      return { ok: false, error: 'the request is not JSON' };
    }
    const given = Buffer.from(typeof request.key === 'string' ? request.key : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, error: 'wrong key: run as the user the guard runs as (or root)' };
    }
    switch (request.op) {
      case 'status':
        return { ok: true, op: 'status', status: await handler.status() };
      case 'stop':
        return { ok: true, op: 'stop', ...handler.stop('oomsleuth guard stop') };
      case 'restart':
        return { ok: true, op: 'restart', ...(await handler.restart('oomsleuth guard restart')) };
      default:
        return { ok: false, error: `unknown request ${JSON.stringify(request.op)}` };
    }
  }
}

/**
 * Sends `op` to the guard of `pidFile`. Null when the guard answers nothing (one from before the control channel
 * existed); throws OOMS_E_GUARD_NOT_RUNNING when no guard holds the lock, OOMS_E_GUARD_CONTROL_FAILED when the key
 * cannot be read or the guard refuses.
 */
export async function sendControl(
  pidFile: string,
  op: ControlOp,
  timeoutMs: number,
): Promise<ControlReply | null> {
  const socket = connect({ path: lockName(pidFile) });
  const connected = await new Promise<boolean>((resolve, reject) => {
    socket.once('connect', () => resolve(true));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? resolve(false) : reject(error),
    );
  });
  if (!connected) {
    throw new OomsleuthError(
      'OOMS_E_GUARD_NOT_RUNNING',
      `no guard runs for ${pidFile} — start one with \`oomsleuth guard [options] -- COMMAND\`, or give the app's folder, --name or --pid-file of the one that runs`,
    );
  }
  try {
    const key = await readFile(keyFileFor(pidFile), 'utf8').catch((error: NodeJS.ErrnoException) => {
      // A guard from before the control channel wrote no key.
      if (error.code === 'ENOENT') return null;
      throw new OomsleuthError(
        'OOMS_E_GUARD_CONTROL_FAILED',
        `cannot read ${keyFileFor(pidFile)}: ${error.message} — run as the user the guard runs as (or with sudo)`,
        { cause: error },
      );
    });
    if (key === null) return null;
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(
        () =>
          reject(
            new OomsleuthError(
              'OOMS_E_GUARD_CONTROL_FAILED',
              `the guard did not answer within ${timeoutMs / 1000}s`,
            ),
          ),
        timeoutMs,
      );
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.write(`${JSON.stringify({ key: key.trim(), op })}\n`);
    });
    if (reply.trim() === '') return null;
    const parsed = JSON.parse(reply) as ControlReply;
    if (!parsed.ok) {
      throw new OomsleuthError('OOMS_E_GUARD_CONTROL_FAILED', `the guard refused ${op}: ${parsed.error}`);
    }
    return parsed;
  } finally {
    socket.destroy();
  }
}
