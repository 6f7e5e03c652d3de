import type { ActionResult } from '../../../../shared/contracts/workflow.js';
import type { Db } from '../../db/connection.js';

/** An Idempotency-Key of `POST /api/v1/events/{id}/actions` and the answer it was first given. */
export interface ActionKey {
  requestHash: string;
  eventId: string;
  userId: string;
  seq: number;
  response: ActionResult;
}

/** Idempotency keys of case actions (table `action_idempotency`). Writes run inside the action's transaction. */
export class ActionKeysRepo {
  constructor(private readonly db: Db) {}

  get(key: string): ActionKey | null {
    const row = this.db.prepare('SELECT request_hash, event_id, user_id, seq, response FROM action_idempotency WHERE key = ?').get(key) as
      | { request_hash: string; event_id: string; user_id: string; seq: number; response: string }
      | undefined;
    return row ? { requestHash: row.request_hash, eventId: row.event_id, userId: row.user_id, seq: row.seq, response: JSON.parse(row.response) as ActionResult } : null;
  }

  save(key: string, value: ActionKey, at: string): void {
    this.db
      .prepare('INSERT INTO action_idempotency (key, request_hash, event_id, user_id, seq, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(key, value.requestHash, value.eventId, value.userId, value.seq, JSON.stringify(value.response), at);
  }
}
