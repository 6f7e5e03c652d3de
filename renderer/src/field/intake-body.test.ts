import { describe, expect, it } from 'vitest';
import { eventIntakeSchema } from '../../../shared/contracts/events.js';
import { intakeBody } from './field-services';

const intake = {
  itemCode: 'A01',
  description: '路面塌陷',
  location: { lon: 120.1, lat: 30.2 },
  source: 'grid_patrol',
  urgency: 'P2',
  reporter: { name: '网格员', phone: '13905710001' },
};

describe('intakeBody', () => {
  it('sends the uploaded photos as references the intake contract accepts', () => {
    const body = { ...intake, attachments: [{ id: 'AT00000000000000000001', name: 'a.png' }] };
    expect(intakeBody(body)).toEqual(body);
    expect(eventIntakeSchema.parse(intakeBody(body))).toMatchObject({ attachments: [{ id: 'AT00000000000000000001', name: 'a.png' }] });
  });

  it('leaves out an empty list of photos', () => {
    expect(intakeBody({ ...intake, attachments: [] })).toEqual(intake);
    expect(intakeBody(intake)).toEqual(intake);
  });
});
