import { describe, expect, it } from 'vitest';
import { maskName, maskPhone } from './masking.js';

describe('masking', () => {
  it('keeps the family name only', () => {
    expect(maskName('王建国')).toBe('王**');
    expect(maskName('李')).toBe('李*');
    expect(maskName('  ')).toBe('');
  });

  it('keeps the first three and last four digits of a phone', () => {
    expect(maskPhone('13905710001')).toBe('139****0001');
    expect(maskPhone('+86 13905710001')).toBe('139****0001');
    expect(maskPhone('0571-87654321')).toBe('057*****4321');
    expect(maskPhone('12345')).toBe('*****');
    // masked by the channel (12345 hotline): shown as given, never as a shorter digit string
    expect(maskPhone('138****1234')).toBe('138****1234');
  });
});
