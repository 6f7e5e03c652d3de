import { chinaDay } from '../../core/clock.js';

/**
 * Reports per source address per China day. The per-minute rate limit stops bursts; this stops
 * a patient robot (or a prankster) from filling the dispatchers' queue over a day. Kept in
 * memory: a restart forgets today's counts, which the per-minute limit still bounds.
 */
export class DailyCap {
  private day = '';
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Whether `address` may send another report today (counting it when it may). */
  take(address: string, now: Date): boolean {
    const today = chinaDay(now);
    if (today !== this.day) {
      this.day = today;
      this.counts.clear();
    }
    const used = this.counts.get(address) ?? 0;
    if (used >= this.max) return false;
    this.counts.set(address, used + 1);
    return true;
  }

  /** Gives back a report that was counted but not written (refused by the intake). */
  giveBack(address: string): void {
    const used = this.counts.get(address) ?? 0;
    if (used > 0) this.counts.set(address, used - 1);
  }
}
