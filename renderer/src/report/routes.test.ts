import { describe, expect, it } from 'vitest';
import { routeOf, statusPath } from './routes';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz012_-A';

describe('resident page routes', () => {
  it('reads the form, the lookup and a status page from the path', () => {
    expect(routeOf('/report')).toEqual({ screen: 'form' });
    expect(routeOf('/report/')).toEqual({ screen: 'form' });
    expect(routeOf('/report/status')).toEqual({ screen: 'lookup' });
    expect(routeOf(statusPath(TOKEN))).toEqual({ screen: 'status', token: TOKEN });
  });

  it('names a malformed token instead of asking the server', () => {
    expect(routeOf('/report/status/short')).toEqual({ screen: 'badToken', token: 'short' });
  });
});
