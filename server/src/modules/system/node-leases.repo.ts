import type { Store } from '../../db/store.js';

/** A lease as its row holds it (times ISO, from the clock of the node that last wrote it). */
export interface Lease {
  name: string;
  holder: string;
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
}

/** What NodeDuties needs of the leases (a fake in the unit tests). */
export interface LeaseClaims {
  /**
   * Takes the lease `name` for `holder` until `now + ttlMs`, or renews it, in one statement:
   * when nobody holds it, when `holder` holds it already, or when its holder let it expire.
   * Returns the lease as written when `holder` holds it now, null when another node does.
   */
  claim(name: string, holder: string, now: Date, ttlMs: number): Promise<Lease | null>;
  /** Gives the lease up if `holder` holds it (another node may take it at once); whether it did. */
  release(name: string, holder: string): Promise<boolean>;
  /** The lease as stored, whoever holds it (expired or not); undefined when nobody ever took it or it was released. */
  get(name: string): Promise<Lease | undefined>;
}

const COLUMNS = 'name, holder, acquired_at AS "acquiredAt", renewed_at AS "renewedAt", expires_at AS "expiresAt"';

/**
 * The `node_leases` table (migration 23) on the async store, the same SQL on SQLite (≥ 3.35 for
 * RETURNING) and PostgreSQL. Acquiring and renewing are one atomic upsert: the conflict's update
 * applies only when the row is ours or has expired, so of two nodes claiming at once exactly one
 * gets a row back. Expiry is compared as ISO text (`toISOString`: fixed width, UTC), which orders
 * as time on both.
 */
export class NodeLeasesRepo implements LeaseClaims {
  constructor(private readonly store: Store) {}

  async claim(name: string, holder: string, now: Date, ttlMs: number): Promise<Lease | null> {
    const at = now.toISOString();
    const expires = new Date(now.getTime() + ttlMs).toISOString();
    const row = await this.store.get<Lease>(
      `INSERT INTO node_leases (name, holder, acquired_at, renewed_at, expires_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET
         acquired_at = CASE WHEN node_leases.holder = excluded.holder THEN node_leases.acquired_at ELSE excluded.acquired_at END,
         holder = excluded.holder,
         renewed_at = excluded.renewed_at,
         expires_at = excluded.expires_at
       WHERE node_leases.holder = excluded.holder OR node_leases.expires_at <= ?
       RETURNING ${COLUMNS}`,
      name,
      holder,
      at,
      at,
      expires,
      at,
    );
    return row ?? null;
  }

  async release(name: string, holder: string): Promise<boolean> {
    const { changes } = await this.store.run('DELETE FROM node_leases WHERE name = ? AND holder = ?', name, holder);
    return changes > 0;
  }

  async get(name: string): Promise<Lease | undefined> {
    return this.store.get<Lease>(`SELECT ${COLUMNS} FROM node_leases WHERE name = ?`, name);
  }
}
