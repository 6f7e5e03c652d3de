import type { EventIntake } from '../../../shared/contracts/events.js';
import type { Prng } from './prng.js';
import { sleep } from './prng.js';

/** What the description of a test intake carries, so the database can be searched for each one. */
export const markerOf = (key: string) => `[intake ${key}]`;

export interface IntakeOutcome {
  eventId: string;
  /** The answer said `Idempotent-Replayed: true`: an earlier attempt had been stored. */
  replayed: boolean;
  /** Attempts before the acknowledged one (refused connections, cut responses, 5xx, 429). */
  retries: number;
  /** Date.now() when the acknowledged attempt was sent, and when its answer came. */
  sentAt: number;
  ackedAt: number;
}

/**
 * A client that reports intakes one after another, each with its own Idempotency-Key, and
 * retries every request that was not acknowledged with the same key and the same body until it
 * is, as the field app's queue does. An answer it cannot retry (another 4xx) is kept as a
 * failure for the test to show.
 */
export class IntakeClient {
  readonly acked = new Map<string, IntakeOutcome>();
  /** Every key sent, acknowledged or not yet. */
  readonly sent = new Set<string>();
  readonly failures: string[] = [];
  private stopping = false;
  private abandoned = false;
  private done: Promise<void> | null = null;
  inFlight: string | null = null;

  constructor(
    private readonly opts: {
      name: string;
      /** The server's current address; null while it is down (the client waits). */
      url: () => string | null;
      token: string;
      body: (key: string) => EventIntake;
      rng: Prng;
      /** Pause between two intakes, ms: keeps each session under the server's per-minute limit. */
      paceMs: [number, number];
    },
  ) {}

  start(): void {
    this.done = this.loop();
  }

  /** Sends no new intake; resolves once the one in flight is acknowledged (or failed for good). */
  async finish(): Promise<void> {
    this.stopping = true;
    await this.done;
  }

  /** Stops at once, the request in flight unacknowledged: for the clean-up of a failed test. */
  abandon(): void {
    this.stopping = true;
    this.abandoned = true;
  }

  private async loop(): Promise<void> {
    for (let n = 1; !this.stopping; n++) {
      const key = `${this.opts.name}-${n}`;
      this.inFlight = key;
      this.sent.add(key);
      const outcome = await this.deliver(key, this.opts.body(key));
      this.inFlight = null;
      if (outcome) this.acked.set(key, outcome);
      await sleep(this.opts.rng.range(...this.opts.paceMs));
    }
  }

  private async deliver(key: string, body: EventIntake): Promise<IntakeOutcome | null> {
    let retries = 0;
    /** Not acknowledged: wait a moment and send the same request again. */
    const again = async (ms = this.opts.rng.range(10, 60)) => {
      retries++;
      await sleep(ms);
    };
    while (!this.abandoned) {
      const url = this.opts.url();
      if (url === null) {
        await sleep(20);
        continue;
      }
      let status: number;
      let text: string;
      let replayed: boolean;
      const sentAt = Date.now();
      try {
        const res = await fetch(new URL('/api/v1/events', url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.opts.token}`, 'idempotency-key': key },
          body: JSON.stringify(body),
        });
        status = res.status;
        replayed = res.headers.get('idempotent-replayed') === 'true';
        text = await res.text();
      } catch {
        // refused, or cut before the whole answer arrived
        await again();
        continue;
      }
      if (status === 201 || status === 200) {
        const { event } = JSON.parse(text) as { event: { id: string } };
        return { eventId: event.id, replayed, retries, sentAt, ackedAt: Date.now() };
      }
      if (status >= 500 || status === 429) {
        await again(status === 429 ? 1000 : undefined);
        continue;
      }
      this.failures.push(`${key}: ${status} ${text.slice(0, 300)}`);
      return null;
    }
    return null;
  }
}
