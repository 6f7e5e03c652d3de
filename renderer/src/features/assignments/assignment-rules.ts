import type { Scope } from '../../../../shared/contracts/auth.js';
import type { RegionNode } from '../../../../shared/contracts/regions.js';

export interface CountyChoice {
  id: string;
  name: string;
}

/**
 * The counties a user may assign cases down to (市级交办), read off the platform's tree: none on a
 * county server; every county for the whole platform of a city or province; else the counties of
 * the cities (or the province) granted to the user. A county's or a town's user gets none: they
 * receive assignments, they do not make them.
 */
export function assignableCounties(root: RegionNode, scope: Scope): CountyChoice[] {
  if (root.level === 'county') return [];
  const out: CountyChoice[] = [];
  const collect = (n: RegionNode) => {
    if (n.level === 'county') out.push({ id: n.id, name: n.name });
    else if (n.level === 'province' || n.level === 'city') n.children?.forEach(collect);
  };
  if (scope.kind === 'county') {
    collect(root);
    return out;
  }
  const granted = new Set(scope.areas);
  const walk = (n: RegionNode) => {
    if ((n.level === 'city' || n.level === 'province') && granted.has(n.id)) collect(n);
    else if (n.level === 'province' || n.level === 'city') n.children?.forEach(walk);
  };
  walk(root);
  return out;
}

/** A place typed as coordinates, "lon, lat" (a comma or a full-width comma, or a space): the city often has no address, only a point. */
export function parsePoint(text: string): { lon: number; lat: number } | null {
  const m = /^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,，\s]\s*(-?\d{1,2}(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  const lon = Number(m[1]);
  const lat = Number(m[2]);
  return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90 ? { lon, lat } : null;
}

/**
 * The deadline field's value (a `datetime-local` in China time, as the county's clocks read) as
 * an ISO instant with its offset; null when it is not a whole time.
 */
export function dueFromLocal(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  return `${value}:00+08:00`;
}

/** `days` whole days after `now` at 18:00 China time, as a `datetime-local` value: the dialog's first deadline. */
export function defaultDueLocal(now: number, days: number): string {
  const china = new Date(now + 8 * 3_600_000 + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${china.getUTCFullYear()}-${pad(china.getUTCMonth() + 1)}-${pad(china.getUTCDate())}T18:00`;
}
