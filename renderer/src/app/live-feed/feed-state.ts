import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { EventChangedPayload } from '../../../../shared/contracts/socket.js';
import { isOpen } from '../../../../shared/domain/case-state.js';

/** Recently reported events stay in view this long even once finished ("new today" needs them). */
export const RECENT_WINDOW_MS = 24 * 3_600_000;

/**
 * The console's copy of the events: every open event plus those reported in the last 24 h.
 * Immutable: an unchanged event keeps its object identity across updates, which the map diff
 * and React memoisation rely on.
 */
export interface FeedState {
  events: ReadonlyMap<string, EventRecord>;
  /** Highest change sequence applied; a change at or below it is a duplicate. */
  seq: number;
}

export const EMPTY_FEED: FeedState = { events: new Map(), seq: 0 };

/** Whether the console keeps an event in view. */
export function belongsInView(event: EventRecord, now: number): boolean {
  if (isOpen(event)) return true;
  const reported = Date.parse(event.reportedAt);
  return !Number.isNaN(reported) && now - reported <= RECENT_WINDOW_MS;
}

/** A fresh state from a REST snapshot whose pages were all read at or after `seq`. */
export function fromSnapshot(items: readonly EventRecord[], seq: number, now: number): FeedState {
  const events = new Map<string, EventRecord>();
  for (const event of items) {
    if (!belongsInView(event, now)) continue;
    const held = events.get(event.id);
    // The open-events and last-24-h lists overlap, and pages read at different moments can
    // disagree: keep the newer version of each event.
    if (!held || held.seq < event.seq) events.set(event.id, event);
  }
  return { events, seq };
}

export interface ApplyResult {
  state: FeedState;
  /** Changes that moved the state forward (not duplicates or stale versions). */
  applied: number;
  /**
   * Changes not seen before (seq above the highest applied), in seq order, even when the event
   * version they carry was already held (the acting console applied its own action's answer).
   */
  fresh: EventChangedPayload[];
}

/**
 * Applies pushed changes in sequence order. A change whose seq is not above the highest
 * applied is a duplicate (replay overlapping the snapshot or a reconnect) and is dropped; an
 * event version older than the one held is ignored, though its seq still counts as seen.
 */
export function applyChanges(state: FeedState, changes: readonly EventChangedPayload[], now: number): ApplyResult {
  const ordered = [...changes].sort((a, b) => a.seq - b.seq);
  let events: Map<string, EventRecord> | null = null;
  let seq = state.seq;
  let applied = 0;
  const fresh: EventChangedPayload[] = [];
  for (const change of ordered) {
    if (!(change.seq > seq)) continue;
    seq = change.seq;
    fresh.push(change);
    const current: ReadonlyMap<string, EventRecord> = events ?? state.events;
    const held = current.get(change.event.id);
    if (held && held.seq >= change.event.seq) continue;
    const keep = belongsInView(change.event, now);
    if (!keep && !held) continue;
    events ??= new Map(state.events);
    if (keep) events.set(change.event.id, change.event);
    else events.delete(change.event.id);
    applied += 1;
  }
  if (seq === state.seq && !events) return { state, applied: 0, fresh };
  return { state: { events: events ?? state.events, seq }, applied, fresh };
}

/**
 * Applies the case an action of this console answered with, before its push arrives. The
 * feed's seq stays where it is: changes of other cases committed earlier may still be on their
 * way, and a reconnect must replay them. The push of this change then finds the version held
 * and is not applied twice.
 */
export function applyOwn(state: FeedState, event: EventRecord, now: number): FeedState {
  const held = state.events.get(event.id);
  if (held && held.seq >= event.seq) return state;
  const keep = belongsInView(event, now);
  if (!keep && !held) return state;
  const events = new Map(state.events);
  if (keep) events.set(event.id, event);
  else events.delete(event.id);
  return { events, seq: state.seq };
}

/** Drops finished events that have aged out of the 24-hour window. */
export function pruneExpired(state: FeedState, now: number): FeedState {
  let events: Map<string, EventRecord> | null = null;
  for (const [id, event] of state.events) {
    if (belongsInView(event, now)) continue;
    events ??= new Map(state.events);
    events.delete(id);
  }
  return events ? { events, seq: state.seq } : state;
}
