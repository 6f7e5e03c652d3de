import { z } from 'zod';
import type { AlertPayload } from './alerts.js';
import type { TriageChangedPayload } from './channels.js';
import type { EventRecord } from './events.js';
import type { TeamChangedPayload, TeamMovedPayload, TeamPositionAck, TeamPositionCommand } from './teams.js';

/** Handshake `auth` of the console's and field app's socket. */
export const socketAuthSchema = z
  .object({
    /** The session token from `POST /api/v1/auth/login`; required. */
    token: z.string().min(20).max(200).optional(),
    /** The last change sequence the client holds; the server replays everything after it. */
    lastSeq: z.number().int().min(0).optional(),
  })
  .strict();
export type SocketAuth = z.infer<typeof socketAuthSchema>;

export interface EventChangedPayload {
  seq: number;
  event: EventRecord;
  /**
   * What happened: `reported`, an action name (`file`, `dispatch`…), `auto-dispatch`,
   * `deadline-warning`, `deadline-overdue`, `master-updated`. Consoles raise warnings on it.
   */
  kind?: string;
}

export interface SyncResetPayload {
  /** Current high-water mark; the client must refetch its snapshot, then continue from here. */
  seq: number;
  reason: 'replay_window_exceeded' | 'ahead_of_server';
}

export interface SyncReadyPayload {
  /** Highest sequence the server has sent to this client once replay is done. */
  seq: number;
  replayed: number;
}

/** Pushes from the server. Names are `area:verb`, past tense. */
export interface ServerToClientEvents {
  'event:changed': (payload: EventChangedPayload) => void;
  'sync:reset': (payload: SyncResetPayload) => void;
  'sync:ready': (payload: SyncReadyPayload) => void;
  'session:ended': (payload: { reason: 'logout' | 'disabled' | 'expired' }) => void;
  /** Latest positions of the teams that moved, batched: at most one per second per client. */
  'team:moved': (payload: TeamMovedPayload) => void;
  /** A team's status changed (by an action on a case, or set by the team or a dispatcher). */
  'team:changed': (payload: TeamChangedPayload) => void;
  'alert:raised': (payload: AlertPayload) => void;
  'alert:acked': (payload: AlertPayload) => void;
  /** An open alert's cause ended; it carries `cleared` (when and why). */
  'alert:cleared': (payload: AlertPayload) => void;
  /** A channel's report was queued for a person, resolved or dismissed: refetch `GET /api/v1/triage`. */
  'triage:changed': (payload: TriageChangedPayload) => void;
}

/** Requests from clients (imperative). */
export interface ClientToServerEvents {
  'sync:ping': (ack: (payload: { seq: number; serverTime: string }) => void) => void;
  /** A field device reports its team's position (as `POST /api/v1/teams/{id}/position`). */
  'team:position': (payload: TeamPositionCommand, ack: (result: TeamPositionAck) => void) => void;
}
