import type { AssignmentOutcome } from '../../../../shared/contracts/events.js';
import type { Attachment, TimelineEntry } from '../../../../shared/contracts/workflow.js';
import type { Bus } from '../../core/bus.js';
import type { GroupCommit } from '../../db/group-commit.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditEntry } from '../audit/audit.contract.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { ChangeRow, EventPatch, EventsRepo, NewAssignment, NewEventRow, NewTimelineEntry } from './events.repo.js';

/** A change written with its timeline entry. */
export type WrittenChange = ChangeRow & { entry: TimelineEntry };

/**
 * What follows from written case changes besides the changes themselves: the teams' status and
 * last activity, alerts. `applyChanges` runs inside the transaction that wrote the changes (so
 * everything commits or rolls back together) and returns the announcement to make after commit.
 * The modules above events (teams, alerts) implement it; the composition root hands them in.
 */
export interface ChangeEffects {
  /** May be async (the alerts, on the store): it then awaits nothing but the store. */
  applyChanges(written: readonly WrittenChange[]): (() => void) | Promise<() => void>;
}

/** Stored attachments (photos) as case changes see them. */
export interface AttachmentLinks {
  /** The attachment with its stored name, if the user may attach it to the case: their own upload, or one the case already shows. */
  usable(id: string, userId: string, eventId: string): Promise<Attachment | null>;
  /** Stored (sanitised) names of those of `ids` that are stored. */
  names(ids: readonly string[]): Promise<Map<string, string>>;
  /** Records that change `seq` of the case references the attachments (awaited inside the writer's store transaction). */
  link(ids: readonly string[], eventId: string, seq: number): Promise<void>;
}

export interface CaseWriterDeps {
  /**
   * The transaction boundary of every case write. The events repository (cases, the change log
   * and its seq) is on it; the audit trail is not yet: on SQLite it uses the store's connection
   * and joins its transactions (savepoints, afterCommit).
   */
  store: Store;
  events: EventsRepo;
  audit: AuditRepo;
  bus: Bus;
  attachments: AttachmentLinks;
  /** Applied in this order inside the transaction, announced in this order after commit. */
  effects: readonly ChangeEffects[];
  /** The server's group commit, which `writeGrouped` joins. */
  group: GroupCommit;
}

/**
 * The writes of one unit of work on cases, inside its transaction: case rows, changes with
 * their timeline entries, audit records. It remembers the changes, for the writer to link their
 * attachments, apply their effects and announce them.
 */
export class CaseChanges {
  readonly written: WrittenChange[] = [];

  constructor(private readonly deps: Pick<CaseWriterDeps, 'events' | 'audit' | 'attachments'>) {}

  /** A new case, before its first change. */
  insert(row: NewEventRow): Promise<void> {
    return this.deps.events.insert(row);
  }

  /** Changes fields of a case; the change that records why follows with `append`. */
  update(eventId: string, patch: EventPatch, at: string): Promise<void> {
    return this.deps.events.update(eventId, patch, at);
  }

  /** 市级交办: the city's assignment of a new case, after `insert` and before its first change (whose snapshot then carries it). */
  assign(assignment: NewAssignment): Promise<void> {
    return this.deps.events.insertAssignment(assignment);
  }

  /** The county's outcome of an assigned case, before the change that finishes it (whose snapshot then carries it). */
  async reportAssignment(eventId: string, at: string, outcome: AssignmentOutcome): Promise<void> {
    await this.deps.events.reportAssignment(eventId, at, outcome);
  }

  /** The next change of the log for the case, with its timeline entry. */
  async append(eventId: string, kind: string, at: string, entry: NewTimelineEntry): Promise<WrittenChange> {
    const change = await this.deps.events.appendChange(eventId, kind, at, entry);
    this.written.push(change);
    return change;
  }

  /** An audit record that commits (or rolls back) with the changes. */
  async audit(entry: AuditEntry): Promise<void> {
    await this.deps.audit.append(entry);
  }

  /**
   * The photos an entry may carry: stored already, and the actor's own upload or already on this
   * case (422 naming the index otherwise). Returned under their stored names: the name a client
   * sends beside an id is not trusted, the upload's sanitised name is what a timeline records.
   */
  async attachments(list: readonly { id: string }[] | undefined, userId: string, eventId: string): Promise<Attachment[]> {
    const out: Attachment[] = [];
    for (const [i, a] of (list ?? []).entries()) {
      const stored = await this.deps.attachments.usable(a.id, userId, eventId);
      if (!stored) {
        throw new ApiHttpError(422, 'unknown_attachment', 'error.unknown_attachment', [{ field: `attachments.${i}.id`, code: 'unknown_attachment' }], { id: a.id, position: i + 1 }, { index: i, id: a.id });
      }
      out.push(stored);
    }
    return out;
  }
}

/**
 * The one writer of case changes: intake, actions, merges and the deadline monitor all write
 * through `write`. In one transaction it runs the unit of work, links each entry's attachments
 * to its change and applies the effects (team status, alerts); after commit it announces every
 * change on `case:written` in seq order (the change feed relays it), then what the effects announce. Nothing is announced
 * for work that throws (it rolled back) or wrote no change (an idempotent replay).
 * (A bulk history, the demo seeder's, goes straight to EventsRepo.importHistory: same rows,
 * no effects, nobody to tell.)
 */
export class CaseWriter {
  constructor(private readonly deps: CaseWriterDeps) {}

  /**
   * Runs `work` in one store transaction (a savepoint inside another) and resolves once it is
   * committed and announced. The work awaits nothing but the store (a synchronous repository not
   * on the store yet joins its transaction on SQLite's shared connection).
   */
  write<T>(work: (changes: CaseChanges) => T | Promise<T>): Promise<T> {
    return this.deps.store.inTransaction(() => this.unit(work));
  }

  /**
   * `write`, in a group commit (db/group-commit.ts): with other units of work that arrive at
   * the same time, in one transaction and one fsync. Resolves once the work is durable and
   * announced; rejects with what the work threw (its writes rolled back, the others' kept).
   * The group's savepoint around each unit is the unit's transaction.
   */
  writeGrouped<T>(work: (changes: CaseChanges) => T | Promise<T>): Promise<T> {
    return this.deps.group.run(() => this.unit(work));
  }

  /** The unit of work inside its transaction: the work, its attachments, its effects; the announcement queued for the commit. */
  private async unit<T>(work: (changes: CaseChanges) => T | Promise<T>): Promise<T> {
    const { store, bus, effects } = this.deps;
    const changes = new CaseChanges(this.deps);
    const value = await work(changes);
    const written = changes.written;
    for (const w of written) {
      if (w.entry.attachments.length > 0) await this.deps.attachments.link(w.entry.attachments.map((a) => a.id), w.eventId, w.seq);
    }
    const announcements: Array<() => void> = [];
    // one after another, in their order: each effect sees what the one before it wrote
    if (written.length > 0) for (const e of effects) announcements.push(await e.applyChanges(written));
    // announced once the outermost transaction (this one, or a group's) has committed, in the
    // same synchronous run as the commit: the store runs its hooks right after COMMIT (what the
    // effects register with connection.ts's sync afterCommit inside joins the same list)
    store.afterCommit(() => {
      for (const c of written) bus.publish('case:written', { seq: c.seq, event: c.event, kind: c.kind });
      for (const announce of announcements) announce();
    });
    return value;
  }
}
