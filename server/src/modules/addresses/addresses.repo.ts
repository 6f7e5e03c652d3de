import type { Db } from '../../db/connection.js';
import type { AddressDetail, AddressHit } from '../../../../shared/contracts/addresses.js';
import { OPEN_STATUSES } from '../../../../shared/contracts/events.js';

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

/** Fewest characters a trigram index finds: shorter terms are looked for by a scan (`LIKE`). */
export const TRIGRAM = 3;

interface HitRow {
  code: string;
  address: string;
  micro_grid_id: string;
  grid_id: string;
  village_id: string;
  town_id: string;
  lon: number;
  lat: number;
}

const toHit = (r: HitRow): AddressHit => ({
  code: r.code,
  address: r.address,
  microGridId: r.micro_grid_id,
  gridId: r.grid_id,
  villageId: r.village_id,
  townId: r.town_id,
  location: { lon: r.lon, lat: r.lat },
});

/** A household with the regions above it; `h` is the household, `v` its village (whose parent is the town). */
const HIT_COLUMNS = 'h.address_code AS code, h.address, h.micro_grid_id, g.id AS grid_id, v.id AS village_id, v.parent_id AS town_id, h.lon, h.lat';
const CHAIN = 'JOIN regions m ON m.id = h.micro_grid_id JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id';

/** `LIKE` pattern of a literal text (its own wildcards escaped, `ESCAPE '\\'`). */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
/** One FTS5 phrase: the text quoted, so its characters are never read as query syntax. */
const phrase = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** `town IN (…)` for a scope of towns (on `column`); nothing for the county. */
function inTowns(towns: readonly string[] | null, column: string): { sql: string; args: string[] } {
  if (!towns) return { sql: '', args: [] };
  return { sql: ` AND ${column} IN (${towns.map(() => '?').join(',') || 'NULL'})`, args: [...towns] };
}

/**
 * The reads of unified address search. Addresses come from `households` (the registry) through
 * `address_search` and its trigram index (migration 16), which triggers keep in step. Every read
 * takes the caller's towns (`towns`, null for the county): an address outside them is never read.
 * Searches rank and limit on `address_search` alone (code, address, town) and only then read
 * the few households found with the regions above them.
 */
export class AddressesRepo {
  private readonly hit;

  constructor(private readonly db: Db) {
    this.hit = db.prepare(`SELECT ${HIT_COLUMNS} FROM households h ${CHAIN} WHERE h.address_code = ?`);
  }

  /** The household with this code, exactly, if it lies in the towns. */
  byCode(code: string, towns: readonly string[] | null = null): AddressHit | null {
    const row = this.hit.get(code) as HitRow | undefined;
    return row && (!towns || towns.includes(row.town_id)) ? toHit(row) : null;
  }

  private hits(codes: readonly string[]): AddressHit[] {
    return codes.map((code) => this.byCode(code)).filter((h): h is AddressHit => h !== null);
  }

  /**
   * Households whose code starts with `prefix` (digits), in code order: a range of the primary
   * key (':' sorts right after '9'), so even the county's own 6-digit prefix stops at `limit`.
   */
  byCodePrefix(prefix: string, towns: readonly string[] | null, limit: number): AddressHit[] {
    const scope = inTowns(towns, 'town_id');
    const rows = this.db
      .prepare(`SELECT code FROM address_search WHERE code >= ? AND code < ?${scope.sql} ORDER BY code LIMIT ?`)
      .all(prefix, `${prefix}:`, ...scope.args, limit) as Array<{ code: string }>;
    return this.hits(rows.map((r) => r.code));
  }

  /**
   * Households whose address holds every term, best first: shortest address first (the exact
   * address is the shortest that can hold the text), then in the order they were registered.
   * That order is `address_search`'s id (migration 16), so both paths read matches in order and
   * stop at `limit`. Terms of three or more characters go through the trigram index; shorter
   * ones (新村, 5号) are checked with `LIKE` on the rows it yields or, when every term is short,
   * on a scan of `address_search` in id order (narrow rows: code, address, town).
   */
  byText(terms: readonly string[], towns: readonly string[] | null, limit: number): AddressHit[] {
    const long = terms.filter((t) => [...t].length >= TRIGRAM);
    const short = terms.filter((t) => [...t].length < TRIGRAM);
    const scope = inTowns(towns, 's.town_id');
    const likes = short.map(() => " AND s.address LIKE ? ESCAPE '\\'").join('');
    const likeArgs = short.map((t) => `%${literal(t)}%`);
    const rows = (
      long.length > 0
        ? this.db
            .prepare(
              `SELECT s.code FROM address_search_fts f JOIN address_search s ON s.id = f.rowid
                WHERE address_search_fts MATCH ?${likes}${scope.sql} ORDER BY f.rowid LIMIT ?`,
            )
            .all(long.map(phrase).join(' '), ...likeArgs, ...scope.args, limit)
        : this.db.prepare(`SELECT s.code FROM address_search s WHERE 1${likes}${scope.sql} ORDER BY s.id LIMIT ?`).all(...likeArgs, ...scope.args, limit)
    ) as Array<{ code: string }>;
    return this.hits(rows.map((r) => r.code));
  }

  /**
   * Some households whose address holds `text` (three or more characters), in no set order:
   * the resolver asks for two only to learn whether there is more than one.
   */
  containing(text: string, limit: number): AddressHit[] {
    if ([...text].length < TRIGRAM) return [];
    const rows = this.db
      .prepare('SELECT s.code FROM address_search_fts f JOIN address_search s ON s.id = f.rowid WHERE address_search_fts MATCH ? LIMIT ?')
      .all(phrase(text), limit) as Array<{ code: string }>;
    return this.hits(rows.map((r) => r.code));
  }

  /** A region's name (a village or community, for the resolver's check), or null. */
  regionName(id: string): string | null {
    const row = this.db.prepare('SELECT name FROM regions WHERE id = ?').get(id) as { name: string } | undefined;
    return row?.name ?? null;
  }

  /** Names of a micro-grid and the regions above it. */
  names(microGridId: string): AddressDetail['names'] | null {
    const row = this.db
      .prepare(
        `SELECT m.name AS micro_grid, g.name AS grid, v.name AS village, t.name AS town
           FROM regions m JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
          WHERE m.id = ?`,
      )
      .get(microGridId) as { micro_grid: string; grid: string; village: string; town: string } | undefined;
    return row ? { microGrid: row.micro_grid, grid: row.grid, village: row.village, town: row.town } : null;
  }

  /** Ids of the open cases at a household (its code), newest first. */
  openCaseIds(code: string, limit: number): string[] {
    const rows = this.db
      .prepare(`SELECT id FROM events WHERE address_code = ? AND status IN (${OPEN_LIST}) ORDER BY reported_at DESC, id DESC LIMIT ?`)
      .all(code, limit) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }
}
