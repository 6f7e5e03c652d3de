import type { LoginThrottleConfig } from '../../config.js';

export type ThrottleVerdict = { ok: true } | { ok: false; by: 'address' | 'username'; retryAfterMs: number };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly config: LoginThrottleConfig) {}

  /** Whether a login from `address` for `username` may be tried now. */
  check(address: string | null, username: string, now: number): ThrottleVerdict {
    for (const [by, key, max] of this.keys(address, username)) {
      const recent = this.recent(key, now);
      if (recent.length >= max) return { ok: false, by, retryAfterMs: recent[0]! + this.config.windowMs - now };
    }
    return { ok: true };
  }

  fail(address: string | null, username: string, now: number): void {
    for (const [, key] of this.keys(address, username)) this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 50_000) this.prune(now);
  }

  /** A successful login clears the username's count (not the address's: it may be guessing others). */
  succeed(username: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
  }

  private keys(address: string | null, username: string): Array<['address' | 'username', string, number]> {
    const keys: Array<['address' | 'username', string, number]> = [['username', `u:${username.toLowerCase()}`, this.config.perUsername]];
    if (address) keys.unshift(['address', `a:${address}`, this.config.perAddress]);
    return keys;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.config.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) if (!times.some((t) => now - t < this.config.windowMs)) this.failures.delete(key);
  }
}
