import type { ChangeBus } from '../../core/change-bus.js';
import type { Clock } from '../../core/clock.js';
import { inTransaction, type Db } from '../../db/connection.js';
import type { ChangeEffects } from '../alerts/case-effects.js';
import type { ChangeRow, EventsRepo } from './events.repo.js';

/** How many cases one transaction announces; a backlog (after downtime) takes several. */
const BATCH = 200;

/**
 * Watches the current step of every open case: once it passes its warning point (80 % of its
 * time) a `deadline-warning` change is written, once it passes its deadline a
 * `deadline-overdue` one, each with a timeline entry by the machine, then pushed. The state is
 * stored with the change, so each is announced once per step, across restarts too; a case
 * found past both at once is announced overdue only.
 */
export class DeadlineMonitor {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: {
      db: Db;
      events: EventsRepo;
      bus: ChangeBus;
      clock: Clock;
      intervalMs: number;
      onError: (err: unknown) => void;
      /** Alerts of overdue steps, raised in the same transaction (none: no alerts). */
      effects?: ChangeEffects;
    },
  ) {}

  /** Sweeps now (catching up on what passed while the server was down), then every interval. */
  start(): void {
    if (this.timer) return;
    this.safeSweep();
    this.timer = setInterval(() => this.safeSweep(), this.deps.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Announces every step that passed its warning point or deadline; returns how many. */
  sweep(): number {
    let total = 0;
    for (;;) {
      const { written, announce } = this.sweepBatch();
      for (const c of written) this.deps.bus.publish({ seq: c.seq, event: c.event, kind: c.kind });
      announce();
      total += written.length;
      if (written.length < BATCH) return total;
    }
  }

  private sweepBatch(): { written: ChangeRow[]; announce: () => void } {
    const { db, events, clock, effects } = this.deps;
    return inTransaction(db, () => {
      const now = clock.now().toISOString();
      const written: Array<ReturnType<EventsRepo['appendChange']>> = [];
      for (const due of events.deadlinesDue(now, BATCH)) {
        const event = events.get(due.id)!;
        events.update(event.id, { deadlineState: due.state }, now);
        const kind = due.state === 'overdue' ? 'deadline-overdue' : 'deadline-warning';
        written.push(
          events.appendChange(event.id, kind, now, {
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
          }),
        );
      }
      return { written, announce: effects?.apply(written) ?? (() => undefined) };
    });
  }

  private safeSweep(): void {
    try {
      this.sweep();
    } catch (err) {
      // A busy or failing database must not stop the monitor: the next sweep tries again.
      this.deps.onError(err);
    }
  }
}
