import { describe, expect, it, vi } from 'vitest';
import { throttleActivity } from './activity';

describe('throttleActivity', () => {
  it('touches at most once per interval, counting from sign-in', () => {
    let now = 1_000;
    const touch = vi.fn();
    const onActivity = throttleActivity(touch, 60_000, () => now);
    now += 59_999;
    onActivity();
    expect(touch).not.toHaveBeenCalled();
    now += 1;
    onActivity();
    onActivity();
    expect(touch).toHaveBeenCalledTimes(1);
    now += 60_000;
    onActivity();
    expect(touch).toHaveBeenCalledTimes(2);
  });
});
