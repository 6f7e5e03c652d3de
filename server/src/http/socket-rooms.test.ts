import { describe, expect, it } from 'vitest';
import { audienceRooms, viewerRooms } from './socket-rooms.js';

describe('socket rooms', () => {
  it('puts a socket in its towns’ rooms, or the county’s, in its view', () => {
    expect(viewerRooms({ kind: 'county' }, 'full')).toEqual(['county']);
    expect(viewerRooms({ kind: 'towns', towns: ['330101', '330102'], counties: ['330100'], areas: ['330101', '330102'] }, 'masked')).toEqual(['town:330101:masked', 'town:330102:masked']);
  });

  it('sends a push to the county and the towns it concerns, one view at a time', () => {
    expect(audienceRooms(['330101'], 'full')).toEqual(['county', 'town:330101']);
    expect(audienceRooms(['330101'], 'masked')).toEqual(['county:masked', 'town:330101:masked']);
    expect(audienceRooms([], 'masked')).toEqual(['county:masked']);
  });
});
