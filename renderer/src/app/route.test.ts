import { describe, expect, it } from 'vitest';
import { pathOfScreen, screenOfAddress, screenOfPath } from './route';

describe('screen paths', () => {
  it('names each screen by its path, with or without a trailing slash', () => {
    expect(screenOfPath('/wall')).toBe('wall');
    expect(screenOfPath('/analysis/')).toBe('analysis');
    expect(screenOfPath('/')).toBeNull();
    expect(screenOfPath('/nowhere')).toBeNull();
  });
  it('writes a path with its query, leaving out empty values', () => {
    expect(pathOfScreen('briefing', { from: '2026-12-01T00:00:00.000Z', to: undefined, town: '' })).toBe('/briefing?from=2026-12-01T00%3A00%3A00.000Z');
    expect(pathOfScreen('console')).toBe('/console');
  });
  it('reads ?screen= where the path cannot name the screen (the packaged console)', () => {
    expect(screenOfAddress('/index.html', 'screen=wall')).toBe('wall');
    expect(screenOfAddress('/analysis', 'screen=wall')).toBe('analysis');
    expect(screenOfAddress('/', 'screen=nothing')).toBeNull();
  });
});
