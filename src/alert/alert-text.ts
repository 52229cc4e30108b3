// What a person reads in a chat alert: a title that answers "what died and why", the few facts that matter (when,
// memory figures, restart, what evidence is missing), the deciding log line, and how to see the rest.
import type { Incident } from '../contract/analysis.js';
import { readableLine } from '../report/readable-line.js';
import { formatDuration, formatKb } from '../report/sizes.js';
import { memoryFact, warningHeadline } from '../report/warning-words.js';
import { CAUSE_WORDS, MISSING_WORDS } from '../report/words.js';
import type { AlertDocument, IncidentAlert, SummaryAlert, WarningAlert } from './payload.js';

export interface AlertText {
  readonly title: string;
  /** Plain facts, one per line. */
  readonly facts: readonly string[];
  /** The deciding log line, verbatim (shown as code). */
  readonly evidence: string | null;
  /** Idempotency key and how to see the whole bundle. */
  readonly footer: string;
}

const MAX_EVIDENCE_CHARS = 300;

export function alertText(doc: AlertDocument): AlertText {
  switch (doc.schema) {
    case 'oomsleuth.incident/1':
      return incidentText(doc);
    case 'oomsleuth.summary/1':
      return summaryText(doc);
    case 'oomsleuth.warning/1':
      return warningText(doc);
  }
}

/** Before a death: what may run out and when, where the memory stands, which life, and what to do about it. */
function warningText(doc: WarningAlert): AlertText {
  const w = doc.warning;
  const facts: string[] = [];
  if (w.timeToOomS !== null && w.oomExpectedAt !== null) {
    const band = w.timeToOomBandS;
    facts.push(
      `forecast: out of memory around ${w.oomExpectedAt}${band ? ` (${formatDuration(band[0] * 1000)} to ${formatDuration(band[1] * 1000)} from the warning)` : ''}`,
    );
  }
  facts.push(`memory: ${memoryFact(w)}`);
  facts.push(`pid ${w.pid}, running since ${w.startedAt}`);
  facts.push(
    `warned: ${w.at} by oomsleuth guard (--warn-before ${formatDuration(w.warnBeforeS * 1000)}), once for this life`,
  );
  return {
    title: `oomsleuth: ${warningHeadline(w)} on ${doc.host}`,
    facts,
    evidence: null,
    footer: `id ${doc.id} · act before the OOM killer does: restart it at a quiet moment, or find what grows`,
  };
}

function incidentText(doc: IncidentAlert): AlertText {
  const i = doc.incident;
  const who = doc.kind === 'other' && doc.app ? `${i.process} (not ${doc.app})` : i.process;
  const title = `oomsleuth: ${who} ${CAUSE_WORDS[i.cause]} on ${doc.host}`;
  const facts: string[] = [];
  const when =
    i.diedAt ??
    (i.diedWithin ? `between ${i.diedWithin[0] ?? '?'} and ${i.diedWithin[1] ?? '?'}` : 'unknown');
  facts.push(`died: ${when}${i.pid !== null ? `, pid ${i.pid}` : ''} (${i.confidence})`);
  const memory = memoryFacts(i);
  if (memory) facts.push(`memory: ${memory}`);
  if (doc.guard?.memoryTrend) facts.push(`memory before death: ${doc.guard.memoryTrend}`);
  if (doc.kind === 'app') {
    // The guard restarts the app within a second, often before the logs say so: its word is taken first.
    const restartedAt = doc.guard?.restartedAt ?? i.restartedAt;
    facts.push(restartedAt ? `restarted: ${restartedAt}` : 'restarted: not seen yet');
  }
  if (i.missing.length > 0) facts.push(`missing: ${i.missing.map((m) => MISSING_WORDS[m] ?? m).join('; ')}`);
  // Documents stored before `decisive` existed lead with their deciding line.
  const deciding = i.evidence[doc.decisive ?? 0];
  return {
    title,
    facts,
    // Stored before evidence text was made readable, a document may still hold a raw journal or kmsg record.
    evidence: deciding ? clip(readableLine(deciding.text)) : null,
    footer: `id ${doc.id} · oomsleuth incidents show ${doc.id}`,
  };
}

function summaryText(doc: SummaryAlert): AlertText {
  const causes = Object.entries(doc.causes)
    .map(([cause, n]) => `${cause} ×${n}`)
    .join(', ');
  return {
    title: `oomsleuth: ${doc.process} keeps dying on ${doc.host}: ${doc.count} more death(s)`,
    facts: [
      `between ${doc.from ?? '?'} and ${doc.until ?? '?'}`,
      `causes: ${causes}`,
      'a crash loop: these deaths were held back after the first alert',
    ],
    evidence: null,
    footer: `id ${doc.id} · oomsleuth incidents --since ${doc.from ?? ''}`.trim(),
  };
}

function memoryFacts(i: Incident): string | null {
  const o = i.oom;
  if (!o) return null;
  const parts: string[] = [];
  if (o.anonRssKb !== null) parts.push(`anon-rss ${formatKb(o.anonRssKb)}`);
  if (o.totalVmKb !== null) parts.push(`total-vm ${formatKb(o.totalVmKb)}`);
  if (o.scope) parts.push(o.scope === 'memcg' && o.cgroup ? `memcg ${o.cgroup}` : `${o.scope} OOM`);
  if (o.invokedBy && o.invokedBy !== i.process) parts.push(`triggered by ${o.invokedBy}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

function clip(text: string): string {
  return text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS - 1)}…` : text;
}
