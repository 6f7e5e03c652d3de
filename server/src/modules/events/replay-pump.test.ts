import { describe, expect, it } from 'vitest';
import { ReplayPump, type ReplayStep } from './replay-pump.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ReplayPump', () => {
  it('gives each turn of the event loop at most its time, taking the replays in turn', async () => {
    let clock = 0;
    const log: string[][] = [[]];
    const pump = new ReplayPump(
      8,
      (err) => {
        throw err;
      },
      { now: () => clock },
    );
    // three replays of four steps; each step costs 5 ms of the fake clock: two steps fit a turn
    for (const name of ['a', 'b', 'c']) {
      let left = 4;
      pump.add((): ReplayStep => {
        clock += 5;
        log.at(-1)!.push(name);
        return --left === 0 ? 'done' : 'more';
      });
    }
    while (log.flat().length < 12) {
      await turn();
      log.push([]);
    }
    const turns = log.filter((t) => t.length > 0);
    expect(turns.every((t) => t.length <= 2)).toBe(true);
    expect(turns.flat().join('')).toBe('abcabcabcabc');
  });

  it('rests instead of spinning while every replay waits for its socket to drain', async () => {
    let calls = 0;
    let drained = false;
    const rests: Array<() => void> = [];
    const pump = new ReplayPump(
      8,
      (err) => {
        throw err;
      },
      { rest: (fn) => rests.push(fn) },
    );
    pump.add(() => {
      calls++;
      return drained ? 'done' : 'waiting';
    });
    for (let i = 0; i < 20; i++) await turn();
    // one look, then a rest: not one look per turn of the loop
    expect(calls).toBe(1);
    expect(rests).toHaveLength(1);
    rests.shift()!();
    expect(calls).toBe(2);
    drained = true;
    rests.shift()!();
    expect(calls).toBe(3);
    for (let i = 0; i < 5; i++) await turn();
    expect(calls).toBe(3);
    expect(rests).toHaveLength(0);
  });

  it('drops a replay whose step throws and tells why', async () => {
    const errors: unknown[] = [];
    const pump = new ReplayPump(8, (err) => errors.push(err));
    let other = 0;
    pump.add(() => {
      throw new Error('socket gone');
    });
    pump.add(() => (++other === 3 ? 'done' : 'more'));
    for (let i = 0; i < 10; i++) await turn();
    expect(errors).toHaveLength(1);
    expect(other).toBe(3);
  });
});
