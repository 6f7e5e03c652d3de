import type { Store } from './store.js';

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Units of work one commit holds at most; more wait for the next. */
const MAX_GROUP = 256;

/**
 * Group commit: units of work that arrive while the server is busy share one transaction and
 * one fsync. A commit with synchronous=FULL costs the same for one case as for fifty, and
 * SQLite has one writer, so eight clients posting at once would otherwise wait in line for
 * eight fsyncs. The group is one outermost `store.inTransaction`; each unit runs in its own
 * nested one (a savepoint): one that throws rolls back alone and its caller gets the error, the
 * others commit (on PostgreSQL too, where a failed statement aborts the transaction until its
 * savepoint is rolled back: the nested transaction is what catches it). Every caller's promise
 * settles only after the commit that holds its work is durable (and after what it announces with
 * `afterCommit` has run), so a 201 still means stored. With one request at a time a group is
 * that one request: it waits only for the current turn of the event loop to end.
 *
 * A unit may be synchronous (an unconverted repository, which joins the store's transaction on
 * SQLite) or async; an async unit awaits nothing but the store (store.ts's rules).
 */
export class GroupCommit {
  private queue: Queued[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    /** Told when something announced after a commit throws: the group is stored all the same. */
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Runs `work` in the next group's transaction; resolves with its value once committed. */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // after the requests that arrived with this one have been read: they join the group
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const group = this.queue.splice(0, MAX_GROUP);
    this.scheduled = this.queue.length > 0;
    if (this.scheduled) setImmediate(() => void this.flush());
    const { store } = this;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    let committed = false;
    try {
      await store.inTransaction(async () => {
        store.afterCommit(() => (committed = true));
        // one unit after another (nested transactions of one transaction never run at once)
        for (const unit of group) {
          try {
            outcomes.push({ ok: true, value: await store.inTransaction(async () => unit.work()) });
          } catch (err) {
            outcomes.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      if (committed) {
        this.onError(err);
      } else {
        // the commit itself failed (disk full, I/O error, a lost PostgreSQL connection): nothing of the group is stored
        for (const unit of group) unit.reject(err);
        return;
      }
    }
    group.forEach((unit, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.err);
    });
  }
}
