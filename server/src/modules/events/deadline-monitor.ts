import type { Clock } from '../../core/clock.js';
import { oneRunAtATime, Ticker } from '../../core/ticker.js';
import type { CaseChanges, CaseWriter } from './case-writer.js';
import type { EventsRepo } from './events.repo.js';

/** How many cases one transaction announces; a backlog (after downtime) takes several. */
const BATCH = 200;

/**
 * Watches the current step of every open case: once it passes its warning point (80 % of its
 * time) a `deadline-warning` change is written, once it passes its deadline a
 * `deadline-overdue` one, each with a timeline entry by the machine, through the case writer
 * (which raises the overdue alerts with it and announces after commit). The state is stored
 * with the change, so each is announced once per step, across restarts too; a case found past
 * both at once is announced overdue only.
 */
export class DeadlineMonitor {
  private readonly ticker: Ticker;

  constructor(
    private readonly deps: {
      events: EventsRepo;
      writer: CaseWriter;
      clock: Clock;
      intervalMs: number;
      onError: (err: unknown) => void;
    },
  ) {
    // the ticker's task is synchronous: a sweep's failure goes to onError as a throw would, and a
    // tick that finds a sweep still running (on PostgreSQL its writes are real I/O) skips it
    this.ticker = new Ticker(
      oneRunAtATime(() => this.sweep(), deps.onError),
      deps.intervalMs,
      deps.onError,
    );
  }

  /** Sweeps now (catching up on what passed while the server was down), then every interval. */
  start(): void {
    this.ticker.start({ now: true });
  }

  stop(): void {
    this.ticker.stop();
  }

  /** Announces every step that passed its warning point or deadline; returns how many. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const written = await this.deps.writer.write((changes) => this.sweepBatch(changes));
      total += written;
      if (written < BATCH) return total;
    }
  }

  private async sweepBatch(changes: CaseChanges): Promise<number> {
    const { events, clock } = this.deps;
    const now = clock.now().toISOString();
    const due = await events.deadlinesDue(now, BATCH);
    for (const { id, state } of due) {
      const event = (await events.get(id))!;
      await changes.update(event.id, { deadlineState: state }, now);
      const kind = state === 'overdue' ? 'deadline-overdue' : 'deadline-warning';
      await changes.append(event.id, kind, now, {
        action: kind,
        from: event.status,
        to: event.status,
        actor: null,
        teamId: event.teamId,
        auto: true,
        note: null,
        position: null,
        attachments: [],
        details: { step: event.step, stepStartedAt: event.stepStartedAt, warnAt: event.warnAt, deadlineAt: event.deadlineAt },
      });
    }
    return due.length;
  }
}
