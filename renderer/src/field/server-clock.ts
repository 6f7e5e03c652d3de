/**
 * The server's time as the phone estimates it, for the `madeAt` of what the worker does. A
 * phone's own clock may be minutes off (set by hand, no network time), and the server refuses a
 * `madeAt` more than two minutes ahead of its own: so every answer's `Date` header tells the phone
 * how far its clock is from the server's, and `now()` is the phone's clock corrected by that.
 * Before any answer (a phone that starts offline) the phone's own clock is all there is.
 */
export class ServerClock {
  private offsetMs = 0;

  constructor(private readonly local: () => number = () => Date.now()) {}

  /**
   * An answer came with this `Date` header, received at the phone's `receivedAt`. The header has
   * whole seconds, so the server's time was within the second after it: its middle is the estimate.
   */
  observe(dateHeader: string | null, receivedAt: number = this.local()): void {
    if (!dateHeader) return;
    const server = Date.parse(dateHeader);
    if (!Number.isFinite(server)) return;
    this.offsetMs = server + 500 - receivedAt;
  }

  /** How far the server's clock is ahead of the phone's (ms; negative: behind). */
  offset(): number {
    return this.offsetMs;
  }

  now(): number {
    return this.local() + this.offsetMs;
  }
}
