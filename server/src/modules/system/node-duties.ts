import type { Clock } from '../../core/clock.js';
import type { AuditEntry } from '../audit/audit.contract.js';
import type { Lease, LeaseClaims } from './node-leases.repo.js';

/**
 * A timed job that must run on one node of a database at a time: it catches up on what it missed
 * when started (each of the server's timers sweeps once at start) and stops its timer when stopped.
 */
export interface Duty {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface NodeDutiesDeps {
  leases: LeaseClaims;
  /** The lease's name (one row for the whole set of duties). */
  lease: string;
  /** This node's name: the holder written in the lease and the audit trail. */
  nodeId: string;
  clock: Clock;
  /** How long a claim or renewal holds the lease, ms of the clock. */
  ttlMs: number;
  /** How often the lease is renewed (or, by a node without it, tried), ms of the wall clock's timer. */
  renewMs: number;
  /** Started in this order when the lease is gained, stopped in the reverse order when it is lost. */
  duties: readonly Duty[];
  audit: { record(entry: AuditEntry): unknown };
  onError: (err: unknown) => void;
}

/** Why a node stopped running the duties (the audit record's reason). */
export type DutiesEnd = 'released' | 'lease_lost' | 'lease_expired' | 'renew_failed';

/**
 * Several server nodes on one database (config.changeFeed.mode `tail`): the timed duties run on
 * the one node holding their lease. Every `renewMs` each node claims it (NodeLeasesRepo.claim: one
 * atomic upsert that succeeds for its holder, or for anyone once it expired). The node that gets
 * it starts the duties, which catch up on start; a node that holds it and whose renewal finds
 * another holder, fails (the database cannot be reached), or comes after the lease's expiry
 * stops them at once, before trying again. A clean close stops the duties and deletes the row,
 * so another node takes over at its next try instead of after the TTL. Gaining and giving up
 * the duties are audited (`system:duty_take`, `system:duty_yield`).
 *
 * A dead node stops renewing: its lease expires `ttlMs` after its last renewal and another node
 * takes over within `renewMs` more. What a lease cannot rule out (a node frozen longer than the
 * TTL that wakes and ticks once before its renewal) is covered by the duties themselves: each
 * stores what it did (a step's deadline state, an alert's cause key, a briefing's file), so a
 * second run finds nothing to do. Lease times come from each node's clock: the nodes' clocks
 * must agree to well within the TTL (NTP).
 */
export class NodeDuties {
  private timer: NodeJS.Timeout | null = null;
  /** The lease while this node holds it (as last written), else null. */
  private held: Lease | null = null;
  private runningDuties: string[] = [];
  private ticking: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: NodeDutiesDeps) {}

  get nodeId(): string {
    return this.deps.nodeId;
  }

  /** Whether this node holds the lease (as of its last claim). */
  get holding(): boolean {
    return this.held !== null;
  }

  /** The duties running on this node now, in start order (empty on the nodes without the lease). */
  get running(): readonly string[] {
    return this.runningDuties;
  }

  /** Claims the lease now (starting the duties if this node gets it), then every `renewMs`. */
  async start(): Promise<void> {
    if (this.timer || this.closed) return;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.deps.renewMs);
    this.timer.unref();
  }

  /**
   * One round: renews or claims the lease, and starts or stops the duties by the outcome. Rounds
   * never overlap (a round called during another waits for it and returns).
   */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.round()
      .catch((err: unknown) => this.deps.onError(err))
      .finally(() => (this.ticking = null));
    return this.ticking;
  }

  /**
   * A clean stop: no more rounds; the duties stop and the lease is deleted, so another node takes
   * over at its next try.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stopTimer();
    while (this.ticking) await this.ticking;
    if (!this.held) return;
    await this.give('released');
    try {
      await this.deps.leases.release(this.deps.lease, this.deps.nodeId);
    } catch (err) {
      // it expires on its own after the TTL
      this.deps.onError(err);
    }
  }

  /**
   * Stops renewing and the duties without releasing the lease, as a node that died would (tests:
   * another node takes over once the lease expires). Nothing is audited: a dead node writes nothing.
   */
  async abandon(): Promise<void> {
    this.closed = true;
    this.stopTimer();
    while (this.ticking) await this.ticking;
    await this.stopDuties();
    this.held = null;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async round(): Promise<void> {
    if (this.closed) return;
    const { leases, lease, nodeId, clock, ttlMs } = this.deps;
    const now = clock.now();
    // never keep running past the lease as we know it: a renewal that comes late may find it taken
    if (this.held && now.toISOString() >= this.held.expiresAt) await this.give('lease_expired');
    // the holder before our claim, for the audit record of a takeover (read only while we hold nothing)
    const before = this.held ? null : await leases.get(lease).catch(() => undefined);
    let claimed: Lease | null;
    try {
      claimed = await leases.claim(lease, nodeId, now, ttlMs);
    } catch (err) {
      if (this.held) await this.give('renew_failed', err);
      throw err;
    }
    if (this.closed) {
      // closed while the claim was under way: hand it back at once
      if (claimed && !this.held) await leases.release(lease, nodeId);
      return;
    }
    if (!claimed) {
      if (this.held) await this.give('lease_lost');
      return;
    }
    const gained = !this.held;
    this.held = claimed;
    if (gained) this.auditTake(claimed, before && before.holder !== nodeId ? before : null);
    await this.startMissing();
  }

  private auditTake(lease: Lease, previous: Lease | undefined | null): void {
    this.record({
      action: 'system:duty_take',
      result: 'success',
      reason: previous ? 'lease_expired' : null,
      details: { lease: lease.name, duties: this.deps.duties.map((d) => d.name), expiresAt: lease.expiresAt, ...(previous ? { from: previous.holder, fromExpiredAt: previous.expiresAt } : {}) },
    });
  }

  /** Starts, in order, the duties not running yet: all under a lease just gained; one that failed to start, again at each renewal. */
  private async startMissing(): Promise<void> {
    for (const duty of this.deps.duties) {
      if (this.runningDuties.includes(duty.name)) continue;
      try {
        await duty.start();
        this.runningDuties = [...this.runningDuties, duty.name];
      } catch (err) {
        // the others still run; this one is tried again at the next renewal
        this.deps.onError(err);
      }
    }
  }

  /** Stops the duties (reverse order) and forgets the lease; audits why. */
  private async give(why: DutiesEnd, err?: unknown): Promise<void> {
    const lease = this.held;
    this.held = null;
    await this.stopDuties();
    this.record({
      action: 'system:duty_yield',
      result: why === 'released' ? 'success' : 'failure',
      reason: why,
      details: { lease: this.deps.lease, duties: this.deps.duties.map((d) => d.name), expiresAt: lease?.expiresAt ?? null, ...(err ? { error: err instanceof Error ? err.message : String(err) } : {}) },
    });
  }

  private async stopDuties(): Promise<void> {
    for (const duty of [...this.deps.duties].reverse()) {
      if (!this.runningDuties.includes(duty.name)) continue;
      try {
        await duty.stop();
      } catch (err) {
        this.deps.onError(err);
      }
      this.runningDuties = this.runningDuties.filter((n) => n !== duty.name);
    }
  }

  /** An audit record of this node; a database that cannot be reached (why the lease was lost) is logged instead. */
  private record(entry: { action: 'system:duty_take' | 'system:duty_yield'; result: 'success' | 'failure'; reason: string | null; details: Record<string, unknown> }): void {
    try {
      this.deps.audit.record({ username: 'system', objectType: 'node', objectId: this.deps.nodeId, ...entry });
    } catch (err) {
      this.deps.onError(err);
    }
  }
}
