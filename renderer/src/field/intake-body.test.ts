import { describe, expect, it } from 'vitest';
import { eventIntakeSchema } from '../../../shared/contracts/events.js';
import { intakeBody } from './field-services';

describe('intakeBody', () => {
  it('sends the photos as the intake contract allows: as references, or named in the description', () => {
    const body = { itemCode: 'A01', description: '路面塌陷', attachments: [{ id: 'AT00000000000000000001', name: 'a.png' }] };
    const out = intakeBody(body);
    if ('attachments' in eventIntakeSchema.shape) expect(out).toEqual(body);
    else expect(out).toEqual({ itemCode: 'A01', description: '路面塌陷（现场照片：AT00000000000000000001）' });
    expect(intakeBody({ itemCode: 'A01', description: 'x', attachments: [] })).toEqual({ itemCode: 'A01', description: 'x' });
  });
});
