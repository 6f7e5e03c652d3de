import { publicTokenSchema } from '../../../shared/contracts/public-report.js';

/** The resident page's screens, by path: the form at `/report`, a status at `/report/status/{token}`, the lookup at `/report/status`. */
export type ReportRoute = { screen: 'form' } | { screen: 'lookup' } | { screen: 'status'; token: string } | { screen: 'badToken'; token: string };

export function routeOf(pathname: string): ReportRoute {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/report/status') return { screen: 'lookup' };
  const m = /^\/report\/status\/([^/]+)$/.exec(path);
  if (m) {
    const token = decodeURIComponent(m[1]!);
    return publicTokenSchema.safeParse(token).success ? { screen: 'status', token } : { screen: 'badToken', token };
  }
  return { screen: 'form' };
}

/** The bookmarkable page of a report's status. */
export const statusPath = (token: string) => `/report/status/${encodeURIComponent(token)}`;
