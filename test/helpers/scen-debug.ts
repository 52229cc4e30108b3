// Dev aid: `npx tsx test/helpers/scen-debug.ts [name…]` prints, per scenario, the verdicts and what differs.
import { readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli.js';
import { subsetMismatches } from './subset.js';

const root = fileURLToPath(new URL('../scenarios/', import.meta.url));
const wanted = process.argv.slice(2);
for (const name of readdirSync(root).sort()) {
  if (wanted.length && !wanted.some((w) => name.includes(w))) continue;
  const dir = join(root, name);
  const s = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
  const logs = join(dir, s.logsDir ?? 'logs');
  for (const [f, iso] of Object.entries(s.mtimes ?? {}))
    utimesSync(join(logs, f), new Date(iso as string), new Date(iso as string));
  const run = await runCli(['analyze', logs, '--json', ...(s.args ?? [])]);
  if (run.code !== (s.exitCode ?? 0)) {
    console.log(`✗ ${name}: exit ${run.code}\n${run.stderr}`);
    continue;
  }
  if (run.code === 2) continue;
  const a = JSON.parse(run.stdout);
  const { sources, ...rest } = s.expect;
  const mm = subsetMismatches(a, rest);
  if (mm.length === 0 && !wanted.length) continue;
  console.log(`${mm.length ? '✗' : '✓'} ${name}\n  why: ${s.why}`);
  for (const m of mm) console.log(`  ${m}`);
  for (const i of a.incidents) {
    console.log(
      `  → ${i.diedAt} ${i.process} pid=${i.pid} ${i.cause}/${i.confidence} within=${JSON.stringify(i.diedWithin)} restart=${i.restartedAt} missing=${i.missing}`,
    );
    for (const e of i.evidence) console.log(`      ${e.source}:${e.line} ${e.says}`);
  }
  for (const k of a.otherOomKills) console.log(`  other: ${k.process} ${k.pid} ${k.at}`);
  for (const src of a.sources)
    if (src.problems.length || src.notes.length)
      console.log(`  src ${src.path} ${src.format}: ${[...src.notes, ...src.problems].join(' | ')}`);
}
