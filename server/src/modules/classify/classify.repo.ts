import type { Store } from '../../db/store.js';

/** A closed case as the classifier learns it: what was said, and what it turned out to be. */
export interface ClosedCase {
  id: string;
  itemCode: string;
  description: string;
  closedAt: string;
}

/** The closed cases the item suggestion trains on (read-only; cases are written by the events module). */
export class ClassifyRepo {
  constructor(private readonly store: Store) {}

  /** Every closed case, oldest closing first; `before` (ISO time) keeps only those closed earlier. */
  async closedCases(before?: string): Promise<ClosedCase[]> {
    return this.store.all<ClosedCase>(
      `SELECT id, item_code AS "itemCode", description, closed_at AS "closedAt" FROM events
       WHERE status = 'closed' AND closed_at IS NOT NULL ${before ? 'AND closed_at < ?' : ''} ORDER BY closed_at, id`,
      ...(before ? [before] : []),
    );
  }
}
