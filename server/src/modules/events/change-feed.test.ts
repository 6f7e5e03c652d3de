import { describe, expect, it } from 'vitest';
import type { EventChangedPayload } from '../../../../shared/contracts/socket.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { Bus } from '../../core/bus.js';
import type { ChangeFeedMode } from '../../config.js';
import { ChangeFeed, type ChangeLog } from './change-feed.js';

/** A change log in memory, as several nodes write it: appended to in seq order, read after a seq. */
class MemoryLog implements ChangeLog {
  readonly rows: Array<EventChangedPayload & { eventId: string }> = [];
  reads: number[] = [];
  failNext = false;

  append(n: number): EventChangedPayload[] {
    const out: EventChangedPayload[] = [];
    for (let i = 0; i < n; i++) {
      const seq = this.rows.length + 1;
      const change = { seq, eventId: `e${seq}`, kind: 'reported', event: { id: `e${seq}` } as EventRecord };
      this.rows.push(change);
      out.push(change);
    }
    return out;
  }

  async changesAfter(afterSeq: number, limit: number) {
    this.reads.push(afterSeq);
    await Promise.resolve();
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database is locked');
    }
    return this.rows.filter((r) => r.seq > afterSeq).slice(0, limit);
  }

  lastSeq() {
    return this.rows.length;
  }
}

async function feedOf(mode: ChangeFeedMode, log: MemoryLog, batch = 100) {
  const bus = new Bus();
  const errors: unknown[] = [];
  const heard: EventChangedPayload[] = [];
  bus.subscribe('case:changed', (c) => void heard.push(c));
  // a poll that never comes during a test: the tests nudge
  const feed = await ChangeFeed.open({ mode, bus, log, batch, pollMs: 3_600_000, onError: (err) => void errors.push(err) });
  return { bus, feed, heard, errors, seqs: () => heard.map((c) => c.seq) };
}

describe('ChangeFeed', () => {
  it('push: relays each commit of this node as it is written, once, from the seq it opened at', async () => {
    const log = new MemoryLog();
    log.append(3);
    const { bus, feed, heard, seqs } = await feedOf('push', log);
    expect(feed.lastRelayed).toBe(3);
    for (const c of log.append(2)) bus.publish('case:written', c);
    bus.publish('case:written', log.rows[4]!);
    expect(seqs()).toEqual([4, 5]);
    expect(log.reads).toEqual([]);
    expect(heard[0]).toEqual({ seq: 4, event: { id: 'e4' }, kind: 'reported' });
    feed.stop();
  });

  it("tail: relays every node's commits from the log, in seq order, once each, only what the feed carries", async () => {
    const log = new MemoryLog();
    log.append(2);
    const { bus, feed, heard, seqs } = await feedOf('tail', log);
    log.append(3); // another node's commits
    const own = log.append(1)[0]!;
    bus.publish('case:written', own); // this node's: a nudge, not a relay
    expect(seqs()).toEqual([]);
    await feed.settle();
    expect(seqs()).toEqual([3, 4, 5, 6]);
    expect(heard.every((c) => !('eventId' in c))).toBe(true);
    feed.nudge();
    await feed.settle();
    expect(seqs()).toEqual([3, 4, 5, 6]);
    feed.stop();
  });

  it('tail: reads a long stretch a batch at a time, each read after the last relayed seq', async () => {
    const log = new MemoryLog();
    const { feed, seqs } = await feedOf('tail', log, 100);
    log.append(250);
    feed.nudge();
    await feed.settle();
    expect(seqs()).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(log.reads.slice(0, 3)).toEqual([0, 100, 200]);
    feed.stop();
  });

  it('tail: a nudge during a read reads again after it, so a commit made meanwhile is not left waiting for the poll', async () => {
    const log = new MemoryLog();
    const { feed, seqs } = await feedOf('tail', log);
    log.append(1);
    // the first read has taken its rows when the next commit lands and nudges
    log.changesAfter = (async (after: number, limit: number) => {
      const rows = log.rows.filter((r) => r.seq > after).slice(0, limit);
      await Promise.resolve();
      if (log.rows.length === 1) {
        log.append(1);
        feed.nudge();
      }
      return rows;
    }) as MemoryLog['changesAfter'];
    feed.nudge();
    // not settle(), which would look once more itself: the feed must read again on its own
    for (let i = 0; i < 5; i++) await new Promise((done) => setImmediate(done));
    expect(seqs()).toEqual([1, 2]);
    feed.stop();
  });

  it('tail: a failed read is reported and the next nudge goes on from the last relayed seq', async () => {
    const log = new MemoryLog();
    const { feed, seqs, errors } = await feedOf('tail', log);
    log.append(2);
    log.failNext = true;
    feed.nudge();
    await feed.settle();
    expect(errors).toHaveLength(1);
    log.append(1);
    feed.nudge();
    await feed.settle();
    expect(seqs()).toEqual([1, 2, 3]);
    feed.stop();
  });

  it('tail: relays nothing more once stopped', async () => {
    const log = new MemoryLog();
    const { bus, feed, seqs } = await feedOf('tail', log);
    feed.stop();
    bus.publish('case:written', log.append(1)[0]!);
    feed.nudge();
    await feed.settle();
    expect(seqs()).toEqual([]);
  });
});
