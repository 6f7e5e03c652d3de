import type { ActionResult } from '../../../../shared/contracts/workflow.js';
import type { Store } from '../../db/store.js';

/** An Idempotency-Key of `POST /api/v1/events/{id}/actions` and the answer it was first given. */
export interface ActionKey {
  requestHash: string;
  eventId: string;
  userId: string;
  seq: number;
  response: ActionResult;
}

/** Idempotency keys of case actions (table `action_idempotency`). Read and written inside the action's store transaction. */
export class ActionKeysRepo {
  constructor(private readonly store: Store) {}

  /**
   * The answer a key was first given; read in the writers' turn (Store.takeWriterTurn), so a retry
   * racing the first request on another connection (PostgreSQL) waits for its commit and replays
   * it, instead of acting twice or failing on the key.
   */
  async get(key: string): Promise<ActionKey | null> {
    await this.store.takeWriterTurn();
    const row = await this.store.get<{ request_hash: string; event_id: string; user_id: string; seq: number; response: string }>(
      'SELECT request_hash, event_id, user_id, seq, response FROM action_idempotency WHERE key = ?',
      key,
    );
    return row ? { requestHash: row.request_hash, eventId: row.event_id, userId: row.user_id, seq: row.seq, response: JSON.parse(row.response) as ActionResult } : null;
  }

  async save(key: string, value: ActionKey, at: string): Promise<void> {
    await this.store.run(
      'INSERT INTO action_idempotency (key, request_hash, event_id, user_id, seq, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      key,
      value.requestHash,
      value.eventId,
      value.userId,
      value.seq,
      JSON.stringify(value.response),
      at,
    );
  }
}
