import { describe, expect, it } from 'vitest';
import { homeScreen, resolveScreen, screensFor } from './screens';

describe('screens by role', () => {
  it('lands each role on its own screen', () => {
    expect(homeScreen(['shift_lead'])).toBe('shift');
    expect(homeScreen(['wall'])).toBe('wall');
    expect(homeScreen(['dispatcher'])).toBe('console');
    expect(homeScreen(['duty_officer'])).toBe('console');
  });
  it('offers figures screens only to roles that read figures', () => {
    expect(screensFor(['dispatcher'])).toEqual(['shift', 'console', 'analysis', 'evaluation', 'hotline-import', 'wall']);
    expect(screensFor(['shift_lead'])).toContain('hotline-import');
    expect(screensFor(['field_worker'])).toEqual(['console']);
    expect(screensFor(['wall'])).toEqual(['wall']);
  });
  it('sends a screen the role may not open back to its home', () => {
    expect(resolveScreen('analysis', ['field_worker'])).toBe('console');
    expect(resolveScreen('hotline-import', ['field_worker'])).toBe('console');
    expect(resolveScreen('hotline-import', ['wall'])).toBe('wall');
    expect(resolveScreen('briefing', ['wall'])).toBe('wall');
    expect(resolveScreen('briefing', ['shift_lead'])).toBe('briefing');
    expect(resolveScreen('briefing', ['duty_officer'])).toBe('briefing');
    expect(resolveScreen('briefing', ['field_worker'])).toBe('console');
    expect(resolveScreen('agenda', ['dispatcher'])).toBe('agenda');
    expect(resolveScreen(null, ['shift_lead'])).toBe('shift');
    expect(resolveScreen('console', ['shift_lead'])).toBe('console');
  });
});
