// A SIGTERM sent the moment watch says "watching" stops it gracefully (exit 0, positions saved): the handler is in
// place before the line is written. (It was installed after, and a fast supervisor killed watch outright.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLI } from '../helpers/cli.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/anqicms-vps/', import.meta.url));

test('SIGTERM on the "watching" line: a graceful stop, every time', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-stop-at-start-'));
  try {
    await cp(EXAMPLE, join(dir, 'logs'), { recursive: true });
    for (let round = 0; round < 5; round++) {
      const watch = spawn(process.execPath, [
        CLI,
        'watch',
        join(dir, 'logs'),
        '--db',
        join(dir, `${round}.db`),
      ]);
      let stderr = '';
      const ended = new Promise<string>((resolve) =>
        watch.on('close', (code, signal) => resolve(`${code ?? signal}`)),
      );
      watch.stderr.setEncoding('utf8').on('data', (d: string) => {
        const before = stderr;
        stderr += d;
        if (!before.includes('watching') && stderr.includes('watching')) watch.kill('SIGTERM');
      });
      assert.equal(await ended, '0', `round ${round}: ${stderr}`);
      assert.match(stderr, /stopping \(SIGTERM\): saving positions/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
