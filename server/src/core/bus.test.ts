import { describe, expect, it } from 'vitest';
import { Bus } from './bus.js';

interface Topics {
  'a:done': number;
  'b:done': string;
}

describe('Bus', () => {
  it('delivers a topic to its subscribers only, in subscription order', () => {
    const bus = new Bus<Topics>();
    const heard: string[] = [];
    bus.subscribe('a:done', (n) => heard.push(`first ${n}`));
    bus.subscribe('b:done', (s) => heard.push(`other ${s}`));
    bus.subscribe('a:done', (n) => heard.push(`second ${n}`));
    bus.publish('a:done', 1);
    expect(heard).toEqual(['first 1', 'second 1']);
  });

  it('stops delivering after unsubscribe, also when a listener unsubscribes mid-publish', () => {
    const bus = new Bus<Topics>();
    const heard: number[] = [];
    const stopSelf: () => void = bus.subscribe('a:done', (n) => {
      heard.push(n);
      stopSelf();
    });
    const stop = bus.subscribe('a:done', (n) => heard.push(n * 10));
    bus.publish('a:done', 1);
    stop();
    bus.publish('a:done', 2);
    expect(heard).toEqual([1, 10]);
  });

  it('publishes to nobody without error', () => {
    expect(() => new Bus<Topics>().publish('b:done', 'x')).not.toThrow();
  });
});
