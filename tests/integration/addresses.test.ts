import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressDetail, AddressHit, AddressSearchResponse } from '../../shared/contracts/addresses.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import { databaseFile } from '../../server/src/config.js';
import { migrate, openDatabase } from '../../server/src/db/connection.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { api, cleanupAfterAll, intakeAt, SMALL_COUNTY, startTestServer, type TestServer } from './harness.js';
import { as, catalogOf, manual, pick, report, TestClock, type Who } from './workflow-driver.js';

/**
 * Unified address search (统一地址) through the real server and SQLite: households found by any
 * part of their Chinese address (two, three, many characters, from the middle) and by code or its
 * first digits; best matches first; only in the caller's towns; the trigram index kept in step
 * with `households` by triggers whoever writes it; bad queries refused in both languages; the
 * place card; and the resolver that intake channels read address text with.
 */

const clock = new TestClock(Date.parse('2027-03-01T09:00:00+08:00'));
const cleanup = cleanupAfterAll();

interface Household {
  code: string;
  address: string;
  microGridId: string;
  townId: string;
  village: string;
}

let server: TestServer;
let dispatcher: Who;
let townUser: Who;
let wall: Who;
let townA: string;
let townB: string;
/** The first household of town A and of town B, in code order. */
let inA: Household;
let inB: Household;

const HOUSEHOLDS = `SELECT h.address_code AS code, h.address, h.micro_grid_id AS "microGridId", v.parent_id AS "townId", v.name AS village
  FROM households h JOIN regions m ON m.id = h.micro_grid_id JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id`;

const search = (who: Who, query: string, lang?: string) =>
  api<AddressSearchResponse & ApiError>(server.url, `/api/v1/addresses?${query}`, { token: who.token, ...(lang ? { headers: { 'accept-language': lang } } : {}) });
const find = async (who: Who, q: string, limit?: number): Promise<AddressHit[]> => {
  const { status, body } = await search(who, `q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`);
  expect(status, `${q}: ${JSON.stringify(body)}`).toBe(200);
  return body.items;
};
const codes = (hits: ReadonlyArray<{ code: string }>) => hits.map((h) => h.code);
/** Every household whose address holds all of `parts`, straight from the table (what the index must agree with). */
const holding = async (...parts: string[]): Promise<Household[]> =>
  (await server.store.all<Household>(`${HOUSEHOLDS} ORDER BY h.address_code`)).filter((h) => parts.every((p) => h.address.includes(p)));
const addHousehold = (code: string, microGridId: string, address: string) =>
  server.store.run('INSERT INTO households (address_code, micro_grid_id, address, head_name, members, lon, lat) VALUES (?, ?, ?, ?, 2, 120.0, 29.0)', code, microGridId, address, '测试户');
const one = async (sql: string, ...args: unknown[]): Promise<string> => Object.values((await server.store.get<Record<string, string>>(sql, ...args))!)[0]!;
const column = async (sql: string, ...args: unknown[]): Promise<string[]> => (await server.store.all<Record<string, string>>(sql, ...args)).map((r) => Object.values(r)[0]!);

beforeAll(async () => {
  server = await startTestServer({ clock });
  [dispatcher, townUser, wall] = (await Promise.all(['demo-dispatcher', 'demo-town-dispatcher', 'demo-wall'].map((u) => as(server.url, u)))) as [Who, Who, Who];
  townA = townUser.towns![0]!;
  townB = (await server.store.get<{ id: string }>("SELECT id FROM regions WHERE level = 'town' AND id <> ? ORDER BY code LIMIT 1", townA))!.id;
  const first = async (town: string) => (await server.store.get<Household>(`${HOUSEHOLDS} WHERE v.parent_id = ? ORDER BY h.address_code LIMIT 1`, town))!;
  inA = await first(townA);
  inB = await first(townB);
});
afterAll(async () => server?.stop());

describe('GET /api/v1/addresses: any part of the address', () => {
  it('finds by two characters, three, many, and from the middle of the address, each hit holding the text', async () => {
    const village = inB.village;
    const tail = inB.address.slice(inB.address.indexOf(village) + village.length); // e.g. "1组2号"
    const cases = [
      village.slice(0, 2), // two characters: below the trigram's three, found by the scan
      village.slice(0, 3),
      inB.address.slice(3), // many: the address without the county's name
      `${village.slice(1)}${tail.slice(0, 2)}`, // the middle: the end of the village's name and the start of the group
      tail, // the house alone: "1组2号"
    ];
    for (const q of cases) {
      const hits = await find(dispatcher, q, 50);
      const expected = await holding(q);
      expect(hits.length, q).toBe(Math.min(50, expected.length));
      expect(hits.length, q).toBeGreaterThan(0);
      for (const h of hits) expect(h.address, q).toContain(q);
      if (expected.length <= 50) expect(codes(hits).sort(), q).toEqual(codes(expected));
    }
    // the household itself is among what a fragment of its own address finds
    expect(codes(await find(dispatcher, `${village}${tail}`))).toEqual([inB.code]);
  });

  it('answers every field of the interface, the location in WGS84 and the regions above the household', async () => {
    const [hit] = await find(dispatcher, inB.address);
    const chain = (await server.store.get<{ lon: number; lat: number; grid: string; village: string }>(
      'SELECT h.lon, h.lat, m.parent_id AS grid, g.parent_id AS village FROM households h JOIN regions m ON m.id = h.micro_grid_id JOIN regions g ON g.id = m.parent_id WHERE h.address_code = ?',
      inB.code,
    ))!;
    expect(hit).toEqual({
      code: inB.code,
      address: inB.address,
      microGridId: inB.microGridId,
      gridId: chain.grid,
      villageId: chain.village,
      townId: townB,
      location: { lon: chain.lon, lat: chain.lat },
    });
  });

  it('takes words separated by spaces as all required, and full-width digits as typed by Chinese input methods', async () => {
    const village = inB.village;
    const number = inB.address.match(/(\d+号)$/)![1]!;
    const hits = await find(dispatcher, `${village.slice(0, 2)} ${number}`, 50);
    const expected = await holding(village.slice(0, 2), number);
    expect(hits.length).toBe(Math.min(50, expected.length));
    expect(codes(expected)).toEqual(expect.arrayContaining(codes(hits)));
    const fullWidth = inB.address.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    expect(codes(await find(dispatcher, fullWidth))).toEqual([inB.code]);
  });

  it('finds nothing for text no address holds, and takes FTS syntax as plain text', async () => {
    expect(await find(dispatcher, '不存在的路')).toEqual([]);
    expect(await find(dispatcher, '"OR*')).toEqual([]);
    expect(await find(dispatcher, '%')).toEqual([]);
  });
});

describe('GET /api/v1/addresses: codes', () => {
  it('finds a household by its whole code, and by the first digits of codes in code order', async () => {
    expect(codes(await find(dispatcher, inB.code))).toEqual([inB.code]);
    const prefix = inB.microGridId; // the micro-grid's code: its households
    const inMicroGrid = await column('SELECT address_code FROM households WHERE micro_grid_id = ? ORDER BY address_code', prefix);
    expect(codes(await find(dispatcher, prefix))).toEqual(inMicroGrid.slice(0, 20));
    // a short prefix (the county's) stops at the limit
    expect(codes(await find(dispatcher, inB.code.slice(0, 6), 5))).toEqual(await column('SELECT address_code FROM households ORDER BY address_code LIMIT 5'));
  });
});

describe('GET /api/v1/addresses: ranking and limit', () => {
  it('puts the exact address first, then shorter addresses before longer ones, also after an address changes', async () => {
    const micro = inA.microGridId;
    await addHousehold(`${micro}9001`, micro, 'T县排序路8号3幢1单元101室');
    await addHousehold(`${micro}9002`, micro, 'T县排序路8号');
    await addHousehold(`${micro}9003`, micro, 'T县排序路8号2幢');
    await addHousehold(`${micro}9004`, micro, 'T县东排序路8号');
    try {
      expect((await find(dispatcher, '排序路8号')).map((h) => h.address)).toEqual(['T县排序路8号', 'T县东排序路8号', 'T县排序路8号2幢', 'T县排序路8号3幢1单元101室']);
      expect((await find(dispatcher, 'T县排序路8号2幢')).map((h) => h.address)).toEqual(['T县排序路8号2幢']);
      // the exact address before longer ones that hold it
      expect((await find(dispatcher, 'T县排序路8号')).map((h) => h.address)).toEqual(['T县排序路8号', 'T县排序路8号2幢', 'T县排序路8号3幢1单元101室']);
      // renamed shorter, the longest moves up: its place follows its new text (after the one of
      // the same length registered before it)
      await server.store.run('UPDATE households SET address = ? WHERE address_code = ?', 'T县排序路8号1', `${micro}9001`);
      expect((await find(dispatcher, '排序路8号')).map((h) => h.address)).toEqual(['T县排序路8号', 'T县东排序路8号', 'T县排序路8号1', 'T县排序路8号2幢']);
    } finally {
      await server.store.run("DELETE FROM households WHERE address_code LIKE '%900_' AND address LIKE 'T县排序路%'");
    }
  });

  it('returns 20 by default and at most `limit`', async () => {
    expect((await holding('T县')).length).toBeGreaterThan(50);
    expect(await find(dispatcher, 'T县')).toHaveLength(20);
    expect(await find(dispatcher, 'T县', 50)).toHaveLength(50);
    expect(await find(dispatcher, 'T县', 1)).toHaveLength(1);
  });
});

describe('GET /api/v1/addresses: only the caller\'s towns', () => {
  it('never shows a town-scoped user an address of another town, by text or by code', async () => {
    for (const q of ['T县', inB.village, inB.address, inB.code, inB.code.slice(0, 6)]) {
      const hits = await find(townUser, q, 50);
      for (const h of hits) expect(h.townId, q).toBe(townA);
      expect(codes(hits), q).not.toContain(inB.code);
    }
    // the county dispatcher sees it
    expect(codes(await find(dispatcher, inB.code))).toEqual([inB.code]);
    // the town's own addresses are found, all of them
    const ownTown = (await holding('T县')).filter((h) => h.townId === townA);
    expect((await find(townUser, 'T县', 50)).length).toBe(Math.min(50, ownTown.length));
  });

  it('answers 404 for the place card of another town, as for an unknown code', async () => {
    const other = await api<ApiError>(server.url, `/api/v1/addresses/${inB.code}`, { token: townUser.token });
    const unknown = await api<ApiError>(server.url, `/api/v1/addresses/${inA.microGridId}9999`, { token: townUser.token });
    expect([other.status, unknown.status]).toEqual([404, 404]);
    expect(other.body.error.code).toBe('not_found');
  });
});

describe('the index follows households (triggers)', () => {
  it('finds a household once inserted, by its new words once updated, in its new town once moved, and never once deleted', async () => {
    const code = `${inA.microGridId}8001`;
    await addHousehold(code, inA.microGridId, 'T县触发器测试路1号');
    expect(codes(await find(dispatcher, '触发器测试'))).toEqual([code]);
    expect(codes(await find(dispatcher, '触发'))).toEqual([code]); // two characters: the scan path
    expect(codes(await find(townUser, '触发器测试'))).toEqual([code]);

    await server.store.run('UPDATE households SET address = ? WHERE address_code = ?', 'T县换了名字巷2号', code);
    expect(await find(dispatcher, '触发器测试')).toEqual([]);
    expect(codes(await find(dispatcher, '换了名字巷'))).toEqual([code]);

    // moved to a micro-grid of another town: the town-scoped user no longer sees it
    await server.store.run('UPDATE households SET micro_grid_id = ? WHERE address_code = ?', inB.microGridId, code);
    expect((await find(dispatcher, '换了名字巷'))[0]!.townId).toBe(townB);
    expect(await find(townUser, '换了名字巷')).toEqual([]);

    await server.store.run('DELETE FROM households WHERE address_code = ?', code);
    expect(await find(dispatcher, '换了名字巷')).toEqual([]);
    expect(await find(dispatcher, code)).toEqual([]);
    // SQLite only: FTS5's own integrity check of its index (PostgreSQL has no FTS5 table)
    if (server.store.dialect === 'sqlite') expect(() => server.db.prepare("INSERT INTO address_search_fts (address_search_fts) VALUES ('integrity-check')").run()).not.toThrow();
    expect(await one('SELECT COUNT(*) AS n FROM address_search')).toBe(await one('SELECT COUNT(*) AS n FROM households'));
  });

  // SQLite only: migration 16 over a SQLite file set back to version 15 (PRAGMA user_version, the FTS5 tables)
  it('indexes the households of a county seeded before the index existed (migration 16 over version 15)', async () => {
    const dir = cleanup.tempDir();
    const db = openDatabase(databaseFile(dir));
    try {
      seedDemo(db, SMALL_COUNTY);
      const before = db.prepare('SELECT code, town_id FROM address_search ORDER BY id').all();
      db.exec(`DROP TABLE address_search_fts; DROP TABLE address_search; DROP INDEX events_address_code;`);
      db.pragma('user_version = 15');
      migrate(db);
      expect(db.prepare('SELECT code, town_id FROM address_search ORDER BY id').all()).toEqual(before);
      expect(db.prepare("SELECT COUNT(*) FROM address_search_fts WHERE address_search_fts MATCH ?").pluck().get(`"${inB.village}"`)).toBe((await holding(inB.village)).length);
      // and run again over itself (a database set back to an older version keeps the index): nothing doubles
      db.pragma('user_version = 15');
      migrate(db);
      expect(db.prepare('SELECT code, town_id FROM address_search ORDER BY id').all()).toEqual(before);
      expect(() => db.prepare("INSERT INTO address_search_fts (address_search_fts) VALUES ('integrity-check')").run()).not.toThrow();
    } finally {
      db.close();
    }
  });

  it('moves the households of a grid to another town when the grid is moved to a village there (a GIS import)', async () => {
    const grid = await one('SELECT parent_id FROM regions WHERE id = ?', inB.microGridId);
    const fromVillage = await one('SELECT parent_id FROM regions WHERE id = ?', grid);
    const villageInA = await one("SELECT id FROM regions WHERE level = 'village' AND parent_id = ? ORDER BY code LIMIT 1", townA);
    await server.store.run('UPDATE regions SET parent_id = ? WHERE id = ?', villageInA, grid);
    try {
      expect(codes(await find(townUser, inB.code))).toEqual([inB.code]);
    } finally {
      await server.store.run('UPDATE regions SET parent_id = ? WHERE id = ?', fromVillage, grid);
    }
    expect(await find(townUser, inB.code)).toEqual([]);
  });
});

describe('GET /api/v1/addresses: bad queries', () => {
  it('refuses a missing, empty, too long or unknown parameter and a limit out of range, naming the field in both languages', async () => {
    const bad: Array<[string, string]> = [
      ['', 'q'],
      ['q=', 'q'],
      ['q=%20%20', 'q'],
      [`q=${'村'.repeat(101)}`, 'q'],
      ['q=%E6%9D%91%00', 'q'],
      ['q=村&limit=0', 'limit'],
      ['q=村&limit=51', 'limit'],
      ['q=村&limit=abc', 'limit'],
      ['q=村&sort=code', 'sort'],
    ];
    for (const [query, field] of bad) {
      const zh = await search(dispatcher, query, 'zh-CN');
      const en = await search(dispatcher, query, 'en');
      expect(zh.status, query).toBe(400);
      expect(zh.body.error.code, query).toBe('invalid_query');
      expect(zh.body.error.fields?.map((f) => f.field), query).toContain(field);
      expect(zh.body.error.message, query).toMatch(/查询参数/);
      expect(en.body.error.message, query).toMatch(/query parameters/);
    }
    expect((await search(dispatcher, `q=${'村'.repeat(100)}`)).status).toBe(200);
    const badCode = await api<ApiError>(server.url, '/api/v1/addresses/12ab', { token: dispatcher.token });
    expect(badCode.status).toBe(400);
  });
});

describe('GET /api/v1/addresses/{code}: the place card', () => {
  it('shows the regions, the roster, the teams serving the address and its open cases; masked for the wall', async () => {
    const catalog = await catalogOf(server.url, dispatcher);
    const item = pick(catalog, 'waiting for a dispatcher', manual);
    const created = await report(server.url, dispatcher, intakeAt(item.item.code, { addressCode: inA.code }, { urgency: item.urgency }));
    expect(created.status).toBe(201);
    const { status, body } = await api<AddressDetail>(server.url, `/api/v1/addresses/${inA.code}`, { token: townUser.token });
    expect(status).toBe(200);
    expect(body.address.code).toBe(inA.code);
    expect(body.names.village).toBe(inA.village);
    expect(Object.values(body.names).every((n) => n.length > 0)).toBe(true);
    const five = await column('SELECT role FROM micro_grid_roster WHERE micro_grid_id = ?', inA.microGridId);
    expect(body.roster.map((c) => c.role)).toEqual(expect.arrayContaining(five));
    expect(body.roster[0]!.role).toBe('grid_worker');
    expect(body.teams.length).toBeGreaterThan(0);
    expect(body.teams.map((t) => t.homeLevel)).toEqual([...body.teams.map((t) => t.homeLevel)].sort((a, b) => ['village', 'town', 'county'].indexOf(a) - ['village', 'town', 'county'].indexOf(b)));
    expect(body.openCases.map((c) => c.id)).toContain(created.body.event.id);
    expect(body.openCases.every((c) => c.addressCode === inA.code)).toBe(true);
    expect(body.roster[0]!.phone).toMatch(/^\d{11}$/);

    const masked = await api<AddressDetail>(server.url, `/api/v1/addresses/${inA.code}`, { token: wall.token });
    expect(masked.status).toBe(200);
    expect(masked.body.roster[0]!.phone).toMatch(/\*{4}/);
    expect(masked.body.openCases[0]!.reporter.phone).toMatch(/\*{4}/);
  });
});

describe('AddressResolver: an address text read as one household', () => {
  it('reads the whole address, the address with words around it, and a code', async () => {
    const r = server.handles.addressResolver;
    expect((await r.resolve(inB.address))?.code).toBe(inB.code);
    expect((await r.resolve(`浙江省金华市${inB.address}门口`))?.code).toBe(inB.code);
    expect((await r.resolve(` ${inB.address.slice(3)} 附近 `))?.code).toBe(inB.code);
    expect((await r.resolve(inB.code))?.code).toBe(inB.code);
    expect((await r.byCode(inB.code))?.address).toBe(inB.address);
    expect(await r.byCode('000')).toBeNull();
  });

  it('answers null when it cannot tell: a village alone, a house number without its village, nothing known', async () => {
    const r = server.handles.addressResolver;
    const tail = inB.address.slice(inB.address.indexOf(inB.village) + inB.village.length);
    expect((await holding(tail)).length).toBeGreaterThan(1);
    expect(await r.resolve(inB.village)).toBeNull();
    expect(await r.resolve(tail)).toBeNull();
    expect(await r.resolve('不存在的地址')).toBeNull();
    expect(await r.resolve('  ')).toBeNull();
    expect(await r.resolve('12')).toBeNull();
  });
});
