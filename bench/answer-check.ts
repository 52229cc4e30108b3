// Is oomsleuth's answer right? A fast wrong answer is a failure, so every run's JSON is compared with the kills the
// generator planted (or, for the bundled example, with examples/anqicms-vps.expected.json) and each difference
// is spelled out.
import { readFile } from 'node:fs/promises';
import type { Expectation, ExpectedKill } from './inputs.js';

/** Kill times must agree to the second; the slack covers stamps without sub-second precision. */
const TIME_SLACK_MS = 1500;

interface ReportedIncident {
  process?: unknown;
  pid?: unknown;
  diedAt?: unknown;
  cause?: unknown;
  confidence?: unknown;
}

interface ReportedKill {
  process?: unknown;
  pid?: unknown;
  at?: unknown;
}

/** Problems with the answer; empty when it is right. */
export async function checkAnswer(stdout: string, expect: Expectation): Promise<string[]> {
  let doc: { incidents?: unknown; otherOomKills?: unknown; app?: unknown };
  try {
    doc = JSON.parse(stdout) as typeof doc;
  } catch (error) {
    return [
      `stdout is not JSON (${(error as Error).message}); first bytes: ${JSON.stringify(stdout.slice(0, 200))}`,
    ];
  }
  if (!Array.isArray(doc.incidents) || !Array.isArray(doc.otherOomKills)) {
    return ['the document has no incidents/otherOomKills arrays'];
  }
  if (expect.kind === 'example') return checkExample(doc, expect.expectedFile);
  const problems: string[] = [];
  const incidents = doc.incidents as ReportedIncident[];
  compareKills(
    'incidents',
    expect.incidents,
    incidents.map((i) => ({ process: i.process, pid: i.pid, at: i.diedAt })),
    problems,
  );
  for (const incident of incidents) {
    const who = `${String(incident.process)} pid ${String(incident.pid)}`;
    if (incident.cause !== 'oom-killer')
      problems.push(`incident ${who}: cause ${String(incident.cause)}, want oom-killer`);
    if (expect.requireConfirmed && incident.confidence !== 'confirmed') {
      problems.push(`incident ${who}: confidence ${String(incident.confidence)}, want confirmed`);
    }
  }
  compareKills('otherOomKills', expect.otherOomKills, doc.otherOomKills as ReportedKill[], problems);
  return problems;
}

const keyOf = (process: unknown, pid: unknown): string => `${String(process)} pid ${String(pid)}`;

function compareKills(
  list: string,
  expected: ExpectedKill[],
  reported: ReportedKill[],
  problems: string[],
): void {
  const want = new Map(expected.map((k) => [keyOf(k.process, k.pid), k]));
  const seen = new Set<string>();
  for (const kill of reported) {
    const key = keyOf(kill.process, kill.pid);
    const planted = want.get(key);
    if (planted === undefined) {
      problems.push(`${list}: unexpected ${key} at ${String(kill.at)} (nothing like it was planted)`);
      continue;
    }
    if (seen.has(key)) problems.push(`${list}: ${key} reported twice`);
    seen.add(key);
    const at = typeof kill.at === 'string' ? Date.parse(kill.at) : Number.NaN;
    if (!(Math.abs(at - Date.parse(planted.at)) <= TIME_SLACK_MS)) {
      problems.push(`${list}: ${key} at ${String(kill.at)}, planted at ${planted.at}`);
    }
  }
  for (const [key, kill] of want) {
    if (!seen.has(key)) problems.push(`${list}: missing ${key} (planted at ${kill.at})`);
  }
}

/** The example's expectations list only the fields that matter; each listed field must match exactly. */
async function checkExample(doc: Record<string, unknown>, expectedFile: string): Promise<string[]> {
  const expected = JSON.parse(await readFile(expectedFile, 'utf8')) as { expect: Record<string, unknown> };
  const problems: string[] = [];
  for (const field of ['app', 'incidents', 'otherOomKills']) {
    matchPartially(expected.expect[field], doc[field], field, problems);
  }
  return problems;
}

function matchPartially(want: unknown, got: unknown, path: string, problems: string[]): void {
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) {
      problems.push(
        `${path}: want ${want.length} entries, got ${Array.isArray(got) ? got.length : typeof got}`,
      );
      return;
    }
    want.forEach((item, i) => {
      matchPartially(item, got[i], `${path}[${i}]`, problems);
    });
  } else if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object') {
      problems.push(`${path}: want an object, got ${JSON.stringify(got)}`);
      return;
    }
    for (const [key, value] of Object.entries(want)) {
      matchPartially(value, (got as Record<string, unknown>)[key], `${path}.${key}`, problems);
    }
  } else if (want !== got) {
    problems.push(`${path}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
}
