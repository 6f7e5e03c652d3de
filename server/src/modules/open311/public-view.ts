import type { EventRecord, EventStatus } from '../../../../shared/contracts/events.js';
import type { PublicReportStep, PublicStep } from '../../../../shared/contracts/public-report.js';
import type { TimelineEntry } from '../../../../shared/contracts/workflow.js';

// Mainland mobiles (also masked ones as the hotline hands them on), landlines with an area code,
// resident identity numbers: whatever the text says, a number that reaches a person stays private.
const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?1\d{2}(?:\d{4}|\*{4})\d{4}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g;

/**
 * Text fit for the public: the numbers of people (phones, identity numbers) and the given names
 * (the reporter's, the staff who acted) replaced by `*`. Free text is what residents and teams
 * typed; this is the one place it is cleaned before anyone outside may read it.
 */
export function publicText(text: string, names: readonly string[]): string {
  let out = text.replace(ID_NUMBER, '***').replace(MOBILE, '***').replace(LANDLINE, '***');
  // longest first, so 张三丰 is not left as 张三 + 丰
  for (const name of [...new Set(names)].filter((n) => n.trim().length >= 2).sort((a, b) => b.length - a.length)) {
    out = out.split(name).join('*'.repeat(Math.min(name.length, 3)));
  }
  return out;
}

/** The names a case's public text must not show: its reporter's and everyone who acted on it. */
export function namesOf(event: Pick<EventRecord, 'reporter'>, entries: readonly TimelineEntry[]): string[] {
  return [event.reporter.name, ...entries.flatMap((e) => (e.actor ? [e.actor.displayName, e.actor.username] : []))];
}

const IN_PROGRESS: readonly EventStatus[] = ['dispatched', 'accepted', 'in_progress', 'handled', 'verified'];

/**
 * The public steps of a case, oldest first, from its timeline: received; filed, or not admitted
 * (not in the list, not filed, or voided) with the receiving body; in progress (once, however
 * many dispatches, returns and reworks follow); closed with the result. Everything else of the
 * loop (who, which team, deadlines, supervision, extensions, notes) is internal. A case merged
 * into another follows its master's steps from then on.
 */
export function publicSteps(event: EventRecord, entries: readonly TimelineEntry[], master: { event: EventRecord; entries: readonly TimelineEntry[] } | null): PublicReportStep[] {
  const names = namesOf(event, entries);
  const steps: PublicReportStep[] = [];
  const seen = new Set<PublicStep>();
  const add = (step: PublicReportStep) => {
    // a matter is received once, filed once, in progress once, closed once; not admitted once
    if (seen.has(step.step)) return;
    seen.add(step.step);
    steps.push(step);
  };
  const walk = (list: readonly TimelineEntry[], refusal: EventRecord['refusal'], result: string | null, textNames: string[]) => {
    for (const e of list) {
      if (e.action === 'intake' || e.action === 'not-admitted') add({ step: 'received', at: e.at });
      if (e.to === 'not_admitted' || e.to === 'rejected' || e.to === 'void') {
        const body = typeof e.details.receivingBody === 'string' ? e.details.receivingBody : refusal?.receivingBody;
        add({ step: 'not_admitted', at: e.at, ...(body ? { receivingBody: body } : {}) });
      }
      if (e.to === 'filed') add({ step: 'filed', at: e.at });
      if (IN_PROGRESS.includes(e.to)) {
        if (!seen.has('filed')) add({ step: 'filed', at: e.at });
        add({ step: 'in_progress', at: e.at });
      }
      if (e.to === 'closed') {
        const text = typeof e.details.result === 'string' ? e.details.result : result;
        add({ step: 'closed', at: e.at, ...(text ? { result: publicText(text, textNames) } : {}) });
      }
    }
  };
  walk(entries, event.refusal, event.result, names);
  if (master) {
    // the master's steps before the merge count from the merge: that is when this report joined them
    const mergedAt = entries.findLast((e) => e.to === 'merged')?.at ?? entries.at(-1)?.at ?? '';
    const joined = master.entries.filter((e) => e.action !== 'intake').map((e) => (e.at < mergedAt ? { ...e, at: mergedAt } : e));
    walk(joined, master.event.refusal, master.event.result, [...names, ...namesOf(master.event, master.entries)]);
  }
  return steps;
}

/** The step a resident sees as the report's state now: the last public step. */
export function publicStatus(steps: readonly PublicReportStep[]): PublicStep {
  return steps.at(-1)?.step ?? 'received';
}
