/** The one source of "now"; tests and the simulator pass their own. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** yyyymmdd of an instant in China Standard Time (UTC+8), the county's calendar day. */
export function chinaDay(at: Date): string {
  const cst = new Date(at.getTime() + 8 * 3600_000);
  return cst.toISOString().slice(0, 10).replaceAll('-', '');
}
