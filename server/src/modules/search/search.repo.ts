import { PHONE_DIGITS_SQL, PHONE_TAIL_SQL } from '../../db/migration-search.js';
import { PHONE_TAIL_SQL_POSTGRES } from '../../db/postgres-schema.js';
import type { Store } from '../../db/store.js';
import { OPEN_STATUSES } from '../../../../shared/contracts/events.js';
import type { RegionKind } from '../../../../shared/contracts/regions.js';
import type { SearchPlace } from '../../../../shared/contracts/search.js';

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

/** `LIKE` patterns of the text as typed: its own wildcards are escaped (`ESCAPE '\\'`). */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const containing = (text: string) => `%${literal(text)}%`;
const startingWith = (text: string) => `${literal(text)}%`;

/**
 * `column LIKE ? ESCAPE '\\'` as SQLite reads it on both dialects: SQLite's LIKE folds ASCII letters
 * only, PostgreSQL's is case-sensitive (and ILIKE would fold every script), so on PostgreSQL both
 * sides are folded with `translate` over A–Z. Only scans use it (the events' address, region names).
 */
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const asciiLike = (store: Store, column: string) =>
  store.dialect === 'sqlite'
    ? `${column} LIKE ? ESCAPE '\\'`
    : `translate(${column}, '${UPPER}', '${UPPER.toLowerCase()}') LIKE translate(?, '${UPPER}', '${UPPER.toLowerCase()}') ESCAPE '\\'`;

/** `town_id IN (…)` for a scope of towns; nothing at all for the county. */
function inTowns(towns: readonly string[] | null, column = 'town_id'): { sql: string; args: string[] } {
  if (!towns) return { sql: '', args: [] };
  return { sql: ` AND ${column} IN (${towns.map(() => '?').join(',') || 'NULL'})`, args: [...towns] };
}

interface PlaceRow {
  id: string;
  level: SearchPlace['level'];
  kind: string;
  name: string;
  town_id: string;
  town_name: string;
  village_name: string | null;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
}

const LEVEL_RANK = "CASE r.level WHEN 'town' THEN 0 WHEN 'village' THEN 1 ELSE 2 END";

/**
 * The reads of the search box: case ids by id, phone and address, places by name, open cases per
 * item. Every read is limited to the caller's towns (`towns`, null for the county), so a case or
 * place outside them is never even counted. Cases come back as ids, newest first; the events
 * repository reads them whole. On the async store, both dialects; every order is total (ids
 * last), so both answer the same rows in the same order (tests/integration/search-store.test.ts).
 */
export class SearchRepo {
  constructor(private readonly store: Store) {}

  /** Those of `ids` that exist in the towns. */
  async existing(ids: readonly string[], towns: readonly string[] | null): Promise<string[]> {
    if (ids.length === 0) return [];
    const scope = inTowns(towns);
    const rows = await this.store.all<{ id: string }>(`SELECT id FROM events WHERE id IN (${ids.map(() => '?').join(',')})${scope.sql} ORDER BY id`, ...ids, ...scope.args);
    return rows.map((r) => r.id);
  }

  /**
   * Cases whose reporter's phone is `digits` or ends with them: the last four through the index
   * (migration 11), then the rest on those few rows.
   */
  async byPhone(digits: string, towns: readonly string[] | null, limit: number): Promise<string[]> {
    const sqlite = this.store.dialect === 'sqlite';
    // `+town_id` keeps SQLite's planner on the phone index: a town holds thousands of cases, a phone's last four a handful.
    const scope = inTowns(towns, sqlite ? '+town_id' : 'town_id');
    // the tail expressions are the indexed ones of each dialect (PostgreSQL's substr(x, -n) is not SQLite's: right(x, n))
    const [tail, last] = sqlite ? [PHONE_TAIL_SQL, `substr(${PHONE_DIGITS_SQL}, ?)`] : [PHONE_TAIL_SQL_POSTGRES, `right(${PHONE_DIGITS_SQL}, ?)`];
    const rows = await this.store.all<{ id: string }>(
      `SELECT id FROM events WHERE ${tail} = ? AND ${last} = ?${scope.sql} ORDER BY reported_at DESC, id DESC LIMIT ?`,
      digits.slice(-4),
      sqlite ? -digits.length : digits.length,
      digits,
      ...scope.args,
      limit,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Cases whose address (a household's unified address, or town › village › grid) holds the
   * text. Read newest first along the report-time index, so a common word stops at `limit`.
   */
  async byAddress(text: string, towns: readonly string[] | null, limit: number): Promise<string[]> {
    const scope = inTowns(towns);
    const rows = await this.store.all<{ id: string }>(
      `SELECT id FROM events WHERE ${asciiLike(this.store, 'address')}${scope.sql} ORDER BY reported_at DESC, id DESC LIMIT ?`,
      containing(text),
      ...scope.args,
      limit,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Towns, villages/communities and grids whose name holds the text: the exact name first, then
   * names starting with it, towns before villages before grids.
   */
  async places(text: string, towns: readonly string[] | null, limit: number): Promise<SearchPlace[]> {
    const scope = inTowns(towns, 't.id');
    const rows = await this.store.all<PlaceRow>(
        `SELECT r.id, r.level, r.kind, r.name, r.min_lon, r.min_lat, r.max_lon, r.max_lat,
                t.id AS town_id, t.name AS town_name, v.name AS village_name
           FROM regions r
           LEFT JOIN regions v ON v.id = CASE r.level WHEN 'village' THEN r.id WHEN 'grid' THEN r.parent_id END
           JOIN regions t ON t.id = CASE r.level WHEN 'town' THEN r.id WHEN 'village' THEN r.parent_id ELSE v.parent_id END
          WHERE r.level IN ('town', 'village', 'grid') AND ${asciiLike(this.store, 'r.name')}${scope.sql}
          ORDER BY CASE WHEN r.name = ? THEN 0 WHEN ${asciiLike(this.store, 'r.name')} THEN 1 ELSE 2 END, ${LEVEL_RANK}, r.code, r.id
          LIMIT ?`,
      containing(text),
      ...scope.args,
      text,
      startingWith(text),
      limit,
    );
    return rows.map((r) => ({
      id: r.id,
      level: r.level,
      kind: r.kind as RegionKind,
      name: r.name,
      path: r.level === 'town' ? '' : r.level === 'village' ? r.town_name : `${r.town_name} › ${r.village_name ?? ''}`,
      townId: r.town_id,
      bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
    }));
  }

  /** Open cases of each of these items in the towns. */
  async openCasesByItem(codes: readonly string[], towns: readonly string[] | null): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const scope = inTowns(towns);
    const rows = await this.store.all<{ code: string; n: number }>(
      `SELECT item_code AS code, COUNT(*) AS n FROM events WHERE item_code IN (${codes.map(() => '?').join(',')}) AND status IN (${OPEN_LIST})${scope.sql} GROUP BY item_code ORDER BY item_code`,
      ...codes,
      ...scope.args,
    );
    return new Map(rows.map((r) => [r.code, r.n]));
  }
}
