// What a person reads in a chat alert: a title that answers "what died and why", the few facts that matter (when,
// memory figures, restart, what evidence is missing), the deciding log line, and how to see the rest. In the language
// of `--lang` (else the locale's): the words come from alert-words.ts and report/; the document itself never changes.
import type { Cause, Incident } from '../contract/analysis.js';
import { clip } from '../report/clip.js';
import { diagnosisAlertLine } from '../report/diagnosis-words.js';
import type { Language } from '../report/language.js';
import { readableLine } from '../report/readable-line.js';
import { formatDuration, formatKb } from '../report/sizes.js';
import { memoryFact, warningHeadline } from '../report/warning-words.js';
import { WORDS } from '../report/words.js';
import { ALERT_WORDS, type AlertWords } from './alert-words.js';
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

export function alertText(doc: AlertDocument, language: Language): AlertText {
  switch (doc.schema) {
    case 'oomsleuth.incident/1':
      return incidentText(doc, language);
    case 'oomsleuth.summary/1':
      return summaryText(doc, ALERT_WORDS[language]);
    case 'oomsleuth.warning/1':
      return warningText(doc, language);
  }
}

/** Before a death: what may run out and when, where the memory stands, which life, and what to do about it. */
function warningText(doc: WarningAlert, language: Language): AlertText {
  const words = ALERT_WORDS[language];
  const w = doc.warning;
  const facts: string[] = [];
  if (w.timeToOomS !== null && w.oomExpectedAt !== null) {
    const band = w.timeToOomBandS;
    facts.push(
      words.forecast(
        w.oomExpectedAt,
        band ? [formatDuration(band[0] * 1000), formatDuration(band[1] * 1000)] : null,
      ),
    );
  }
  facts.push(words.memory(memoryFact(w, language)));
  facts.push(words.warningPid(w.pid, w.startedAt));
  facts.push(words.warned(w.at, formatDuration(w.warnBeforeS * 1000)));
  return {
    title: words.title(warningHeadline(w, language), doc.host),
    facts,
    evidence: null,
    footer: words.warningFooter(doc.id),
  };
}

function incidentText(doc: IncidentAlert, language: Language): AlertText {
  const words = ALERT_WORDS[language];
  const deathWords = WORDS[language];
  const i = doc.incident;
  const who = doc.kind === 'other' && doc.app ? words.notTheApp(i.process, doc.app) : i.process;
  // `anqicms killed by the kernel OOM killer` / `anqicms 被内核 OOM killer 杀死`
  const title = words.title(`${who} ${deathWords.cause[i.cause]}`, doc.host);
  const facts: string[] = [];
  const when =
    i.diedAt ??
    (i.diedWithin ? words.between(i.diedWithin[0] ?? '?', i.diedWithin[1] ?? '?') : words.unknownTime);
  facts.push(words.died(when, i.pid, words.confidence[i.confidence]));
  const memory = memoryFacts(i, words);
  if (memory) facts.push(words.memory(memory));
  // The guard's phrase (as its check.log says it): figures and units, few words.
  if (doc.guard?.memoryTrend) facts.push(words.memoryBeforeDeath(doc.guard.memoryTrend));
  // Why memory ran out, in one line: the advice is in `oomsleuth incidents show`.
  if (i.diagnosis) facts.push(diagnosisAlertLine(i.diagnosis, language));
  if (doc.kind === 'app') {
    // The guard restarts the app within a second, often before the logs say so: its word is taken first.
    const restartedAt = doc.guard?.restartedAt ?? i.restartedAt;
    facts.push(restartedAt ? words.restarted(restartedAt) : words.notRestarted);
  }
  // A stored document may name a missing source this version has no words for: shown as its code.
  if (i.missing.length > 0) facts.push(words.missing(i.missing.map((m) => deathWords.missing[m] ?? m)));
  // Documents stored before `decisive` existed lead with their deciding line.
  const deciding = i.evidence[doc.decisive ?? 0];
  return {
    title,
    facts,
    // Stored before evidence text was made readable, a document may still hold a raw journal or kmsg record.
    evidence: deciding ? clip(readableLine(deciding.text), MAX_EVIDENCE_CHARS) : null,
    footer: words.incidentFooter(doc.id),
  };
}

function summaryText(doc: SummaryAlert, words: AlertWords): AlertText {
  const causes = Object.entries(doc.causes) as [Cause, number][];
  return {
    title: words.summaryTitle(doc.process, doc.host, doc.count),
    facts: [
      words.summaryBetween(doc.from ?? '?', doc.until ?? '?'),
      words.summaryCauses(causes),
      words.summaryWhy,
    ],
    evidence: null,
    footer: words.summaryFooter(doc.id, doc.from ?? ''),
  };
}

function memoryFacts(i: Incident, words: AlertWords): string | null {
  const o = i.oom;
  if (!o) return null;
  const parts: string[] = [];
  if (o.anonRssKb !== null) parts.push(`anon-rss ${formatKb(o.anonRssKb)}`);
  if (o.totalVmKb !== null) parts.push(`total-vm ${formatKb(o.totalVmKb)}`);
  if (o.scope) parts.push(o.scope === 'memcg' && o.cgroup ? `memcg ${o.cgroup}` : `${o.scope} OOM`);
  if (o.invokedBy && o.invokedBy !== i.process) parts.push(words.triggeredBy(o.invokedBy));
  return parts.length > 0 ? parts.join(words.listSeparator) : null;
}
