import type { Store } from '../../db/store.js';
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
/**
 * `s.address` holding a term of any length as SQLite's short-term `LIKE` reads it: ASCII letters
 * folded (SQLite's LIKE folds them, PostgreSQL's is case-sensitive; `translate` over A–Z on both sides).
 */
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const likeSql = (store: Store) =>
  store.dialect === 'sqlite'
    ? " AND s.address LIKE ? ESCAPE '\\'"
    : ` AND translate(s.address, '${UPPER}', '${UPPER.toLowerCase()}') LIKE translate(?, '${UPPER}', '${UPPER.toLowerCase()}') ESCAPE '\\'`;
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
 *
 * On the async store. The trigram index is the dialects' one difference: FTS5 `MATCH` of quoted
 * phrases on SQLite (the trigram tokenizer folds case), pg_trgm's GIN index on PostgreSQL through
 * `ILIKE '%…%'` (docs/POSTGRES.md). Both read in `address_search.id` order (the rank), which is
 * total, so both answer the same households in the same order (tests/integration/addresses-store.test.ts).
 */
export class AddressesRepo {
  constructor(private readonly store: Store) {}

  /** The household with this code, exactly, if it lies in the towns. */
  async byCode(code: string, towns: readonly string[] | null = null): Promise<AddressHit | null> {
    const row = await this.store.get<HitRow>(`SELECT ${HIT_COLUMNS} FROM households h ${CHAIN} WHERE h.address_code = ?`, code);
    return row && (!towns || towns.includes(row.town_id)) ? toHit(row) : null;
  }

  private async hits(codes: readonly string[]): Promise<AddressHit[]> {
    const found: AddressHit[] = [];
    for (const code of codes) {
      const hit = await this.byCode(code);
      if (hit) found.push(hit);
    }
    return found;
  }

  /**
   * Households whose code starts with `prefix` (digits), in code order: a range of the primary
   * key (':' sorts right after '9'), so even the county's own 6-digit prefix stops at `limit`.
   */
  async byCodePrefix(prefix: string, towns: readonly string[] | null, limit: number): Promise<AddressHit[]> {
    const scope = inTowns(towns, 'town_id');
    const rows = await this.store.all<{ code: string }>(`SELECT code FROM address_search WHERE code >= ? AND code < ?${scope.sql} ORDER BY code LIMIT ?`, prefix, `${prefix}:`, ...scope.args, limit);
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
  async byText(terms: readonly string[], towns: readonly string[] | null, limit: number): Promise<AddressHit[]> {
    const long = terms.filter((t) => [...t].length >= TRIGRAM);
    const short = terms.filter((t) => [...t].length < TRIGRAM);
    const scope = inTowns(towns, 's.town_id');
    const likes = short.map(() => likeSql(this.store)).join('');
    const likeArgs = short.map((t) => `%${literal(t)}%`);
    let rows: Array<{ code: string }>;
    if (long.length === 0) {
      rows = await this.store.all(`SELECT s.code FROM address_search s WHERE TRUE${likes}${scope.sql} ORDER BY s.id LIMIT ?`, ...likeArgs, ...scope.args, limit);
    } else if (this.store.dialect === 'sqlite') {
      rows = await this.store.all(
        `SELECT s.code FROM address_search_fts f JOIN address_search s ON s.id = f.rowid
          WHERE address_search_fts MATCH ?${likes}${scope.sql} ORDER BY f.rowid LIMIT ?`,
        long.map(phrase).join(' '),
        ...likeArgs,
        ...scope.args,
        limit,
      );
    } else {
      // pg_trgm's GIN index serves ILIKE of three or more characters, case folded as FTS5's trigrams are
      const trigrams = long.map(() => " AND s.address ILIKE ? ESCAPE '\\'").join('');
      rows = await this.store.all(
        `SELECT s.code FROM address_search s WHERE TRUE${trigrams}${likes}${scope.sql} ORDER BY s.id LIMIT ?`,
        ...long.map((t) => `%${literal(t)}%`),
        ...likeArgs,
        ...scope.args,
        limit,
      );
    }
    return this.hits(rows.map((r) => r.code));
  }

  /**
   * Some households whose address holds `text` (three or more characters), in no set order:
   * the resolver asks for two only to learn whether there is more than one.
   */
  async containing(text: string, limit: number): Promise<AddressHit[]> {
    if ([...text].length < TRIGRAM) return [];
    const rows =
      this.store.dialect === 'sqlite'
        ? await this.store.all<{ code: string }>(
            'SELECT s.code FROM address_search_fts f JOIN address_search s ON s.id = f.rowid WHERE address_search_fts MATCH ? ORDER BY f.rowid LIMIT ?',
            phrase(text),
            limit,
          )
        : await this.store.all<{ code: string }>("SELECT s.code FROM address_search s WHERE s.address ILIKE ? ESCAPE '\\' ORDER BY s.id LIMIT ?", `%${literal(text)}%`, limit);
    return this.hits(rows.map((r) => r.code));
  }

  /** A region's name (a village or community, for the resolver's check), or null. */
  async regionName(id: string): Promise<string | null> {
    const row = await this.store.get<{ name: string }>('SELECT name FROM regions WHERE id = ?', id);
    return row?.name ?? null;
  }

  /** Names of a micro-grid and the regions above it. */
  async names(microGridId: string): Promise<AddressDetail['names'] | null> {
    const row = await this.store.get<{ micro_grid: string; grid: string; village: string; town: string }>(
        `SELECT m.name AS micro_grid, g.name AS grid, v.name AS village, t.name AS town
           FROM regions m JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
          WHERE m.id = ?`,
      microGridId,
    );
    return row ? { microGrid: row.micro_grid, grid: row.grid, village: row.village, town: row.town } : null;
  }

  /** Ids of the open cases at a household (its code), newest first. */
  async openCaseIds(code: string, limit: number): Promise<string[]> {
    const rows = await this.store.all<{ id: string }>(`SELECT id FROM events WHERE address_code = ? AND status IN (${OPEN_LIST}) ORDER BY reported_at DESC, id DESC LIMIT ?`, code, limit);
    return rows.map((r) => r.id);
  }
}
