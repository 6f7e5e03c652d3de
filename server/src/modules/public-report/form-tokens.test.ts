import { describe, expect, it } from 'vitest';
import { FormTokens, MAX_UPLOADS_PER_FORM } from './form-tokens.js';

const T0 = new Date('2026-11-23T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('signed form tokens', () => {
  const limits = { minFillMs: 8_000, maxAgeMs: 3_600_000 };

  it('takes a report after the minimum fill time, once', () => {
    const forms = new FormTokens(limits);
    const token = forms.issue(T0);
    expect(forms.forReport(token, [], at(7_999))).toEqual({ problem: 'form_too_fast' });
    const ok = forms.forReport(token, [], at(8_000));
    expect(ok).toEqual({ nonce: expect.any(String), foreign: [] });
    forms.use((ok as { nonce: string }).nonce);
    expect(forms.forReport(token, [], at(9_000))).toEqual({ problem: 'form_used' });
  });

  it('refuses a token it did not sign, or signed by another start (another key), or too old', () => {
    const forms = new FormTokens(limits);
    const token = forms.issue(T0);
    const [issued, nonce] = token.split('.');
    expect(forms.forReport(`${issued}.${nonce}.${'x'.repeat(43)}`, [], at(10_000))).toEqual({ problem: 'form_invalid' });
    expect(forms.forReport(`${(T0.getTime() - 60_000).toString(36)}.${nonce}.${token.split('.')[2]}`, [], at(10_000))).toEqual({ problem: 'form_invalid' });
    expect(new FormTokens(limits).forReport(token, [], at(10_000))).toEqual({ problem: 'form_invalid' });
    expect(forms.forReport(token, [], at(3_600_001))).toEqual({ problem: 'form_expired' });
    expect(forms.forReport('junk', [], at(10_000))).toEqual({ problem: 'form_invalid' });
  });

  it('binds photos to the form they were uploaded under', () => {
    const forms = new FormTokens(limits);
    const mine = forms.issue(T0);
    const other = forms.issue(T0);
    const upload = forms.forUpload(mine, at(1_000));
    forms.attach((upload as { nonce: string }).nonce, 'AT1');
    expect(forms.forReport(mine, ['AT1'], at(10_000))).toMatchObject({ foreign: [] });
    expect(forms.forReport(other, ['AT1', 'AT2'], at(10_000))).toMatchObject({ foreign: ['AT1', 'AT2'] });
  });

  it('takes a bounded number of photos per form', () => {
    const forms = new FormTokens(limits);
    const token = forms.issue(T0);
    for (let i = 0; i < MAX_UPLOADS_PER_FORM; i++) forms.attach((forms.forUpload(token, at(1_000)) as { nonce: string }).nonce, `AT${i}`);
    expect(forms.forUpload(token, at(1_000))).toEqual({ problem: 'form_used' });
  });
});
