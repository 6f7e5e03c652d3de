import type { Db } from '../../db/connection.js';
import { PHONE_DIGITS_SQL, PHONE_TAIL_SQL } from '../../db/migration-search.js';
import { OPEN_STATUSES } from '../../../../shared/contracts/events.js';
import type { RegionKind } from '../../../../shared/contracts/regions.js';
import type { SearchPlace } from '../../../../shared/contracts/search.js';

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

/** `LIKE` patterns of the text as typed: its own wildcards are escaped (`ESCAPE '\\'`). */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const containing = (text: string) => `%${literal(text)}%`;
const startingWith = (text: string) => `${literal(text)}%`;

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
 * repository reads them whole.
 */
export class SearchRepo {
  constructor(private readonly db: Db) {}

  /** Those of `ids` that exist in the towns. */
  existing(ids: readonly string[], towns: readonly string[] | null): string[] {
    if (ids.length === 0) return [];
    const scope = inTowns(towns);
    return (this.db.prepare(`SELECT id FROM events WHERE id IN (${ids.map(() => '?').join(',')})${scope.sql}`).all(...ids, ...scope.args) as Array<{ id: string }>).map(
      (r) => r.id,
    );
  }

  /**
   * Cases whose reporter's phone is `digits` or ends with them: the last four through the index
   * (migration 11), then the rest on those few rows.
   */
  byPhone(digits: string, towns: readonly string[] | null, limit: number): string[] {
    // `+town_id` keeps the planner on the phone index: a town holds thousands of cases, a phone's last four a handful.
    const scope = inTowns(towns, '+town_id');
    const rows = this.db
      .prepare(`SELECT id FROM events WHERE ${PHONE_TAIL_SQL} = ? AND substr(${PHONE_DIGITS_SQL}, ?) = ?${scope.sql} ORDER BY reported_at DESC, id DESC LIMIT ?`)
      .all(digits.slice(-4), -digits.length, digits, ...scope.args, limit) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /**
   * Cases whose address (a household's unified address, or town › village › grid) holds the
   * text. Read newest first along the report-time index, so a common word stops at `limit`.
   */
  byAddress(text: string, towns: readonly string[] | null, limit: number): string[] {
    const scope = inTowns(towns);
    const rows = this.db
      .prepare(`SELECT id FROM events WHERE address LIKE ? ESCAPE '\\'${scope.sql} ORDER BY reported_at DESC, id DESC LIMIT ?`)
      .all(containing(text), ...scope.args, limit) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /**
   * Towns, villages/communities and grids whose name holds the text: the exact name first, then
   * names starting with it, towns before villages before grids.
   */
  places(text: string, towns: readonly string[] | null, limit: number): SearchPlace[] {
    const scope = inTowns(towns, 't.id');
    const rows = this.db
      .prepare(
        `SELECT r.id, r.level, r.kind, r.name, r.min_lon, r.min_lat, r.max_lon, r.max_lat,
                t.id AS town_id, t.name AS town_name, v.name AS village_name
           FROM regions r
           LEFT JOIN regions v ON v.id = CASE r.level WHEN 'village' THEN r.id WHEN 'grid' THEN r.parent_id END
           JOIN regions t ON t.id = CASE r.level WHEN 'town' THEN r.id WHEN 'village' THEN r.parent_id ELSE v.parent_id END
          WHERE r.level IN ('town', 'village', 'grid') AND r.name LIKE ? ESCAPE '\\'${scope.sql}
          ORDER BY CASE WHEN r.name = ? THEN 0 WHEN r.name LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END, ${LEVEL_RANK}, r.code
          LIMIT ?`,
      )
      .all(containing(text), ...scope.args, text, startingWith(text), limit) as PlaceRow[];
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
  openCasesByItem(codes: readonly string[], towns: readonly string[] | null): Map<string, number> {
    if (codes.length === 0) return new Map();
    const scope = inTowns(towns);
    const rows = this.db
      .prepare(`SELECT item_code AS code, COUNT(*) AS n FROM events WHERE item_code IN (${codes.map(() => '?').join(',')}) AND status IN (${OPEN_LIST})${scope.sql} GROUP BY item_code`)
      .all(...codes, ...scope.args) as Array<{ code: string; n: number }>;
    return new Map(rows.map((r) => [r.code, r.n]));
  }
}
