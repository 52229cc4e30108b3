// The machine a result was measured on: without it a number means nothing.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './cache.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: string;
  readonly memory: string;
  readonly node: string;
  readonly oomsleuth: string;
  readonly date: string;
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

export async function describeMachine(): Promise<Machine> {
  const lscpu = run('lscpu', []);
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}:\\s*(?<value>.+)$`, 'm').exec(lscpu)?.groups?.value?.trim();
  const memLine = run('free', ['-g'])
    .split('\n')
    .find((l) => l.startsWith('Mem:'));
  const totalGiB = memLine?.split(/\s+/)[1];
  const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const commit = run('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD']).trim();
  const dirty = run('git', ['-C', REPO_ROOT, 'status', '--porcelain', '--', 'src']).trim() !== '';
  return {
    cpu: field('Model name') ?? 'unknown CPU',
    cores: field('CPU\\(s\\)') ?? 'unknown',
    memory: totalGiB ? `${totalGiB} GiB (free -g total)` : 'unknown',
    node: process.version,
    oomsleuth: `${pkg.version}${commit ? ` @ ${commit}${dirty ? ' + uncommitted src/ changes' : ''}` : ''}`,
    date: new Date().toISOString(),
  };
}
