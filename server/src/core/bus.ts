import type { Alert } from '../../../shared/contracts/alerts.js';
import type { EventChangedPayload } from '../../../shared/contracts/socket.js';
import type { TeamMove, TeamSummary } from '../../../shared/contracts/teams.js';
import type { TriageChangedPayload } from '../../../shared/contracts/channels.js';

/** A team's newest position, with the town (or, for a county unit, the county) that decides who may see it. */
export interface TeamMoved extends TeamMove {
  /** The team's town; null for county units (every town of their county sees them). */
  townId: string | null;
  /** The county the team serves (TeamSummary.countyId). */
  countyId: string | null;
}

/**
 * The topics of the server's in-process bus and what each carries. Every topic is published
 * after the transaction that wrote it committed, so a subscriber never hears of something the
 * database lacks. Payloads are unmasked: whoever forwards them outside the process masks.
 */
export interface BusTopics {
  /**
   * One change of a case written by this node (its seq, the case after it, and what happened),
   * in seq order: the case writer tells the change feed (modules/events/change-feed.ts), nobody else.
   */
  'case:written': EventChangedPayload;
  /**
   * One change of a case (its seq, the case after it, and what happened), in seq order, once
   * each: every change of the database, this node's and, with several nodes, the others'.
   */
  'case:changed': EventChangedPayload;
  /** An alert was raised: by a case change (urgent intake, deadline near or passed, returned task) or the alerts sweep (start-up catch-up, silence). */
  'alert:raised': Alert;
  /** An alert was acknowledged by a person. */
  'alert:acked': Alert;
  /** An open alert's cause ended (case finished or moved on, deadline extended, team heard from or free): it left the open list. */
  'alert:cleared': Alert;
  /** A team's summary (status, load) changed. */
  'team:changed': TeamSummary;
  /** A team reported a position that is now its newest (one per report; consumers batch). */
  'team:moved': TeamMoved;
  /** A channel's report was queued for a person (待人工甄别), resolved into a case, or dismissed. */
  'triage:changed': TriageChangedPayload;
}

type Listener<P> = (payload: P) => void;

/**
 * The one bus between services (which publish after commit) and everything that reacts: the
 * socket modules, monitors, and later the wall's aggregates, briefings or a multi-node adapter.
 * Delivery is synchronous, in subscription order; a listener that throws stops the publish, as
 * an EventEmitter would, so listeners keep their own failures to themselves.
 */
export class Bus<Topics extends object = BusTopics> {
  private readonly listeners = new Map<keyof Topics, Set<Listener<never>>>();

  publish<K extends keyof Topics>(topic: K, payload: Topics[K]): void {
    const set = this.listeners.get(topic);
    if (!set) return;
    // a listener that unsubscribes (or subscribes another) mid-publish does not change this round
    for (const listener of [...set] as Array<Listener<Topics[K]>>) listener(payload);
  }

  /** Calls `listener` with every later payload of `topic`; returns the function that stops it. */
  subscribe<K extends keyof Topics>(topic: K, listener: Listener<Topics[K]>): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    const entry = listener as Listener<never>;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }
}
