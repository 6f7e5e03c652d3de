import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentRecord } from '../../shared/contracts/attachments.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventRecord } from '../../shared/contracts/events.js';
import { api, DEMO_PASSWORD, startTestServer, type TestServer } from './harness.js';
import { act, as, catalogOf, done, manual, pick, pointIn, reported, timelineOf, type Who } from './workflow-driver.js';

let server: TestServer;
let field: Who;
let duty: Who;
let dispatcher: Who;
let townDispatcher: Who;
let otherTownDispatcher: Who;
let sysadmin: Who;
let fieldTown: string;
let jpeg: Buffer;
let png: Buffer;

const LIMIT = 8 * 1024 * 1024;
const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A photo-like JPEG (noise, so it does not compress to nothing) with EXIF, as phones write them. */
async function photo(width: number, height: number, seed = 1): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + seed * 104729) % 251;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { ImageDescription: 'GPS 30.28N 120.15E', Make: 'TestPhone' } })
    .toBuffer();
}

async function upload(who: Who | null, body: Uint8Array | string, type: string, name?: string, extra: RequestInit = {}) {
  const headers: Record<string, string> = { 'content-type': type };
  if (name !== undefined) headers['x-filename'] = name;
  return api<AttachmentRecord & ApiError>(server.url, '/api/v1/attachments', {
    method: 'POST',
    body: body as RequestInit['body'],
    headers,
    ...(who ? { token: who.token } : { anonymous: true }),
    ...extra,
  });
}

async function get(who: Who, path: string) {
  const res = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${who.token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Every file under the data folder, relative to it (the database's own files aside). */
function filesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.filter((f) => !f.startsWith('gridcommand.db')).sort();
}

const rows = async () => (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM attachments'))!.n;

/** Asserts that `fn` stored nothing: no row, no file. */
async function storesNothing<T>(fn: () => Promise<T>): Promise<T> {
  const before = { rows: await rows(), files: filesIn(server.dataDir) };
  const result = await fn();
  expect({ rows: await rows(), files: filesIn(server.dataDir) }).toEqual(before);
  return result;
}

/** A case of the field worker's town, dispatched to their team and accepted and started by them. */
async function caseInProgress(): Promise<EventRecord> {
  const catalog = await catalogOf(server.url);
  const item = pick(catalog, 'verified and dispatched by hand', (i, u) => i.verificationRequired && manual(i, u));
  const event = await reported(server.url, duty, item, await pointIn(server.url, fieldTown), { description: `照片测试 ${Math.random()}` });
  await done(server.url, dispatcher, event.id, { action: 'file' });
  // with a reason: the item may ask for another team type than the field team's
  await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '照片测试：指定网格员队伍' } });
  await done(server.url, field, event.id, { action: 'accept' });
  await done(server.url, field, event.id, { action: 'start' });
  return event;
}

beforeAll(async () => {
  server = await startTestServer();
  [field, duty, dispatcher, townDispatcher, sysadmin] = (await Promise.all(
    ['demo-field', 'demo-duty', 'demo-dispatcher', 'demo-town-dispatcher', 'demo-sysadmin'].map((u) => as(server.url, u)),
  )) as [Who, Who, Who, Who, Who];
  await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", field.teamId);
  fieldTown = field.towns![0]!;
  const otherTown = (await server.store.get<{ id: string }>("SELECT id FROM regions WHERE level = 'town' AND id <> ? ORDER BY code LIMIT 1", fieldTown))!.id;
  await server.handles.auth.createUser(
    null,
    { username: 'other-town-dispatcher', displayName: '另一乡镇调度员', password: DEMO_PASSWORD, roles: ['dispatcher'], scope: server.handles.users.scopeOf([otherTown]) },
    { sourceIp: null, client: 'test' },
  );
  otherTownDispatcher = await as(server.url, 'other-town-dispatcher');
  jpeg = await photo(1600, 1200);
  png = await sharp({ create: { width: 640, height: 400, channels: 4, background: { r: 20, g: 120, b: 60, alpha: 0.6 } } }).png().toBuffer();
});
afterAll(async () => server?.stop());

describe('uploading a photo', () => {
  it('stores a JPEG with its checksum, serves it back byte for byte, and a metadata-free thumbnail', async () => {
    const res = await upload(field, jpeg, 'image/jpeg', encodeURIComponent('处置前 现场.jpg'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const a = res.body;
    expect(a).toMatchObject({ name: '处置前 现场.jpg', type: 'image/jpeg', size: jpeg.length, sha256: sha256(jpeg), width: 1600, height: 1200 });
    expect(a.id).toMatch(/^AT[0-9A-F]{20}$/);
    expect(a.url).toBe(`/api/v1/attachments/${a.id}`);
    expect(a.thumbUrl).toBe(`/api/v1/attachments/${a.id}/thumb`);
    expect(res.headers.get('location')).toBe(a.url);
    // content-addressed on disk
    expect(existsSync(join(server.dataDir, 'attachments', a.sha256.slice(0, 2), a.sha256))).toBe(true);

    const original = await get(field, a.url);
    expect(original.status).toBe(200);
    expect(original.bytes.equals(jpeg)).toBe(true);
    expect(sha256(original.bytes)).toBe(a.sha256);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.headers.get('cache-control')).toMatch(/^private/);
    expect(original.headers.get('content-disposition')).toBe(`inline; filename="______.jpg"; filename*=UTF-8''${encodeURIComponent('处置前 现场.jpg')}`);
    // the original keeps the phone's metadata (evidence)…
    expect((await sharp(original.bytes).metadata()).exif).toBeDefined();

    const thumb = await get(field, a.thumbUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const t = await sharp(thumb.bytes).metadata();
    expect(t).toMatchObject({ format: 'jpeg', width: 480, height: 360 });
    // …the thumbnail carries none
    expect(t.exif).toBeUndefined();
    expect(thumb.bytes.includes(Buffer.from('TestPhone'))).toBe(false);
  });

  it('stores a PNG, and a retried upload of the same bytes once', async () => {
    const first = await upload(field, png, 'image/png', 'map.png');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ type: 'image/png', width: 640, height: 400, name: 'map.png' });
    const files = filesIn(server.dataDir);
    const again = await upload(field, png, 'image/png', 'map.png');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(filesIn(server.dataDir)).toEqual(files);
    expect((await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM attachments WHERE sha256 = ?', sha256(png)))!.n).toBe(1);
    // another user uploading the same bytes gets their own row, the file is still stored once
    const other = await upload(dispatcher, png, 'image/png', 'map.png');
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
    expect(filesIn(server.dataDir)).toEqual(files);
  });

  it('audits the upload', async () => {
    const res = await upload(field, await photo(64, 48, 9), 'image/jpeg', 'a.jpg');
    const row = await server.store.get<{ username: string; result: string; details: string }>("SELECT username, result, details FROM audit_log WHERE action = 'attachment:upload' AND object_id = ?", res.body.id);
    expect(row).toMatchObject({ username: 'demo-field', result: 'success' });
    expect(JSON.parse(row!.details)).toMatchObject({ sha256: res.body.sha256, type: 'image/jpeg', size: res.body.size });
  });
});

describe('bad uploads are refused and store nothing', () => {
  it('refuses a body over the limit with 413 naming it', async () => {
    const big = Buffer.alloc(LIMIT + 1, 0x11);
    big.set(jpeg.subarray(0, 3));
    const res = await storesNothing(() => upload(field, big, 'image/jpeg', 'big.jpg'));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', limit: LIMIT });
    expect(res.body.error.message).toContain(String(LIMIT));
  });

  it('refuses an oversized body sent without a length (chunked) with 413 naming the photo limit', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x22);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 9) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await storesNothing(() =>
      api<ApiError>(server.url, '/api/v1/attachments', {
        method: 'POST',
        body: stream,
        headers: { 'content-type': 'image/jpeg' },
        token: field.token,
        duplex: 'half',
      } as RequestInit & { duplex: 'half'; token: string }),
    );
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain(String(LIMIT));
  });

  it('refuses bytes that are not the declared image type with 400 invalid_image', async () => {
    const cases: Array<[string, Uint8Array | string, string, string]> = [
      ['text as JPEG', 'this is not a photo, just text', 'image/jpeg', 'signature_mismatch'],
      ['PNG declared as JPEG', png, 'image/jpeg', 'signature_mismatch'],
      ['JPEG declared as WebP', jpeg, 'image/webp', 'signature_mismatch'],
      ['truncated JPEG', jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg', 'unreadable'],
      ['JPEG header only', jpeg.subarray(0, 200), 'image/jpeg', 'not_an_image'],
      ['empty body', new Uint8Array(0), 'image/png', 'empty'],
    ];
    for (const [what, body, type, reason] of cases) {
      const res = await storesNothing(() => upload(field, body, type, 'x.jpg'));
      expect(res.status, what).toBe(400);
      expect(res.body.error, what).toMatchObject({ code: 'invalid_image', reason });
    }
  });

  it('refuses other content types with 415', async () => {
    for (const type of ['image/gif', 'image/svg+xml', 'text/plain', 'application/json', 'application/octet-stream']) {
      const res = await storesNothing(() => upload(field, type === 'application/json' ? '{"a":1}' : jpeg, type, 'x.jpg'));
      expect(res.status, type).toBe(415);
      expect(res.body.error, type).toMatchObject({ code: 'unsupported_media_type', allowed: ['image/jpeg', 'image/png', 'image/webp'] });
    }
  });

  it('refuses callers without a session or the permission before reading the body', async () => {
    const anonymous = await storesNothing(() => upload(null, jpeg, 'image/jpeg', 'x.jpg'));
    expect(anonymous.status).toBe(401);
    const admin = await storesNothing(() => upload(sysadmin, jpeg, 'image/jpeg', 'x.jpg'));
    expect(admin.status).toBe(403);
    expect(admin.body.error).toMatchObject({ code: 'forbidden' });
  });

  it('keeps path tricks in the name away from the file system', async () => {
    const before = new Set(filesIn(server.dataDir));
    let seed = 30;
    for (const [header, name] of [
      ['../../etc/passwd', 'passwd.jpg'],
      [encodeURIComponent('..\\..\\..\\boot.ini'), 'boot.ini.jpg'],
      ['%2e%2e%2f%2e%2e%2fevil.jpg', 'evil.jpg'],
      [encodeURIComponent('/abs/path/x\u202Egpj.exe'), 'xgpj.exe.jpg'],
    ] as const) {
      // a new photo each time: the same bytes again would be the earlier upload, with its name
      const res = await upload(field, await photo(120, 80, seed++), 'image/jpeg', header);
      expect(res.status, header).toBeLessThan(300);
      expect(res.body.name, header).toBe(name);
    }
    // every file the uploads stored is <attachments>/<2 hex>/<64 hex>; nothing was written beside the data folder
    const files = filesIn(server.dataDir).filter((f) => !before.has(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(/^attachments\/([0-9a-f]{2})\/\1[0-9a-f]{62}$/);
    // and nothing where the names point, from the data folder or its attachments folder
    for (const base of [join(server.dataDir, 'attachments'), join(server.dataDir, 'attachments', 'ab')]) {
      for (const target of ['../../etc/passwd', '../etc/passwd', '../../../boot.ini', '../../evil.jpg', '../evil.jpg', 'passwd', 'passwd.jpg', 'evil.jpg']) {
        expect(existsSync(join(base, target)), join(base, target)).toBe(false);
      }
    }
  });
});

describe('who may see a photo', () => {
  it('serves an unattached photo only to its uploader', async () => {
    const { body: a } = await upload(field, await photo(200, 100, 4), 'image/jpeg', 'private.jpg');
    expect((await get(field, a.url)).status).toBe(200);
    for (const who of [duty, townDispatcher]) {
      expect((await get(who, a.url)).status).toBe(404);
      expect((await get(who, a.thumbUrl)).status).toBe(404);
    }
    expect((await get(sysadmin, a.url)).status).toBe(403);
    const denied = (await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access:denied' AND object_id = ?", a.id))!;
    expect(denied.n).toBe(4);
    expect((await get(duty, '/api/v1/attachments/AT00000000000000000000')).status).toBe(404);
    expect((await get(duty, '/api/v1/attachments/..%2F..%2Fgridcommand.db')).status).toBe(400);
  });

  it('attached to a case, it is readable by console users in scope, and only them', async () => {
    const event = await caseInProgress();
    const { body: a } = await upload(field, await photo(300, 200, 5), 'image/jpeg', encodeURIComponent('处置后.jpg'));
    const report = await done(server.url, field, event.id, { action: 'report', result: '已清理', attachments: [{ id: a.id, name: '处置后.jpg' }] });
    expect(report.entry.attachments).toEqual([{ id: a.id, name: '处置后.jpg' }]);
    const { body: timeline } = await timelineOf(server.url, townDispatcher, event.id);
    expect(timeline.entries.at(-1)!.attachments).toEqual([{ id: a.id, name: '处置后.jpg' }]);

    for (const who of [townDispatcher, duty, dispatcher]) {
      const thumb = await get(who, a.thumbUrl);
      expect(thumb.status, who.username).toBe(200);
      expect((await sharp(thumb.bytes).metadata()).format).toBe('jpeg');
      expect((await get(who, a.url)).bytes.length).toBe(a.size);
    }
    // a dispatcher of another town may not read the case, so not its photo either
    expect((await get(otherTownDispatcher, a.url)).status).toBe(404);

    // once on the case, others acting on it may reference it again (the verifier, say)
    const verify = await done(server.url, dispatcher, event.id, { action: 'verify', note: '照片与现场一致', attachments: [{ id: a.id, name: '处置后.jpg' }] });
    expect(verify.entry.attachments).toHaveLength(1);
  });

  it('a field worker reports a new event with a photo: the intake entry shows it to the console', async () => {
    const catalog = await catalogOf(server.url);
    const item = pick(catalog, 'dispatched by hand', (i, u) => manual(i, u));
    const { body: a } = await upload(field, await photo(320, 240, 8), 'image/jpeg', encodeURIComponent('现场.jpg'));
    const event = await reported(server.url, field, item, await pointIn(server.url, fieldTown), { description: `现场照片 ${Math.random()}`, attachments: [{ id: a.id, name: '现场.jpg' }] });
    const { body: timeline } = await timelineOf(server.url, dispatcher, event.id);
    expect(timeline.entries[0]).toMatchObject({ action: 'intake', attachments: [{ id: a.id, name: '现场.jpg' }] });
    expect((await get(dispatcher, a.thumbUrl)).status).toBe(200);
    expect((await get(otherTownDispatcher, a.thumbUrl)).status).toBe(404);
  });

  it('refuses an intake naming a photo that is not the reporter\'s, storing nothing', async () => {
    const catalog = await catalogOf(server.url);
    const item = pick(catalog, 'dispatched by hand', (i, u) => manual(i, u));
    const { body: theirs } = await upload(dispatcher, await photo(90, 60, 9), 'image/jpeg', 'theirs.jpg');
    const before = (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM events'))!.n;
    const at = await pointIn(server.url, fieldTown);
    const res = await api<ApiError>(server.url, '/api/v1/events', {
      method: 'POST',
      token: field.token,
      json: { itemCode: item.item.code, urgency: item.urgency, description: '别人的照片', source: 'grid_patrol', location: { lon: at.lon, lat: at.lat }, reporter: { name: '张三', phone: '13900000000' }, attachments: [{ id: theirs.id, name: 'theirs.jpg' }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unknown_attachment');
    expect((await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM events'))!.n).toBe(before);
  });

  it('refuses an action naming an unknown photo, or someone else\'s, with 422 naming the index, changing nothing', async () => {
    const event = await caseInProgress();
    const { body: own } = await upload(field, await photo(90, 60, 6), 'image/jpeg', 'own.jpg');
    const { body: theirs } = await upload(dispatcher, await photo(90, 60, 7), 'image/jpeg', 'theirs.jpg');
    const seq = (await server.store.get<{ seq: number }>('SELECT seq FROM events WHERE id = ?', event.id))!.seq;
    for (const [bad, index] of [
      [{ id: 'AT00000000000000000000', name: 'ghost.jpg' }, 1],
      [{ id: theirs.id, name: 'theirs.jpg' }, 1],
      [{ id: 'photo-after-1', name: '处置后.jpg' }, 1],
    ] as const) {
      const res = await act(server.url, field, event.id, { action: 'report', result: '已处置', attachments: [{ id: own.id, name: 'own.jpg' }, bad] });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'unknown_attachment', index, id: bad.id });
      expect(res.body.error.fields).toEqual([expect.objectContaining({ field: `attachments.${index}.id`, code: 'unknown_attachment' })]);
    }
    expect((await server.store.get<{ seq: number }>('SELECT seq FROM events WHERE id = ?', event.id))!.seq).toBe(seq);
    expect((await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM event_attachments WHERE event_id = ?', event.id))!.n).toBe(0);
  });
});

describe('file names are stored and answered sanitised', () => {
  it('stores the sanitised name of a hostile X-Filename, and answers, audits and serves that', async () => {
    const cjk = encodeURIComponent('长'.repeat(300));
    const cases: Array<[string, string, string]> = [
      ['backslash traversal, not encoded', '..\\..\\evil.exe', 'evil.exe.jpg'],
      ['Windows path, encoded', encodeURIComponent('C:\\Users\\x\\..\\photo.jpg'), 'photo.jpg'],
      ['double-encoded traversal', '%252e%252e%252fx.jpg', '%2e%2e%2fx.jpg'],
      ['bidi override', encodeURIComponent('invoice\u202Egpj.exe'), 'invoicegpj.exe.jpg'],
      ['NUL and line breaks', '%00evil%0D%0A%00.jpg', 'evil.jpg'],
      ['zero-width and isolates', encodeURIComponent('x\u200B\u2066y.png'), 'xy.png.jpg'],
      ['a Windows device name', 'CON.jpg', '_CON.jpg'],
      ['2000 characters', `${'a'.repeat(1996)}.jpg`, `${'a'.repeat(96)}.jpg`],
      ['2000 characters of escapes, cut mid-character', cjk.slice(0, 2000), `${'长'.repeat(96)}.jpg`],
    ];
    let seed = 60;
    for (const [what, header, name] of cases) {
      const res = await upload(field, await photo(40, 30, seed++), 'image/jpeg', header);
      expect(res.status, what).toBe(201);
      expect(res.body.name, what).toBe(name);
      const row = (await server.store.get<{ name: string }>('SELECT name FROM attachments WHERE id = ?', res.body.id))!;
      expect(row.name, what).toBe(name);
      const audit = (await server.store.get<{ details: string }>("SELECT details FROM audit_log WHERE action = 'attachment:upload' AND object_id = ?", res.body.id))!;
      expect(JSON.parse(audit.details).name, what).toBe(name);
      const served = await get(field, res.body.url);
      expect(served.headers.get('content-disposition'), what).toContain(`filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    }
  });

  it('records and shows a photo under its stored name, whatever name an action sends beside its id', async () => {
    const event = await caseInProgress();
    const { body: a } = await upload(field, await photo(80, 60, 90), 'image/jpeg', encodeURIComponent('处置后.jpg'));
    // text the contract lets through (it refuses control characters) but not a name this upload has
    const hostile = '..\\..\\evil.exe';
    const res = await done(server.url, field, event.id, { action: 'report', result: '已清理', attachments: [{ id: a.id, name: hostile }] });
    expect(res.entry.attachments).toEqual([{ id: a.id, name: '处置后.jpg' }]);
    const stored = (await server.store.get<{ attachments: string }>("SELECT attachments FROM event_actions WHERE event_id = ? AND action = 'report'", event.id))!;
    expect(JSON.parse(stored.attachments)).toEqual([{ id: a.id, name: '处置后.jpg' }]);
    const { body: timeline } = await timelineOf(server.url, dispatcher, event.id);
    expect(timeline.entries.at(-1)!.attachments).toEqual([{ id: a.id, name: '处置后.jpg' }]);
  });

  it('shows the stored name for a name recorded as the client sent it (intake, older rows)', async () => {
    const catalog = await catalogOf(server.url);
    const item = pick(catalog, 'dispatched by hand', (i, u) => manual(i, u));
    const { body: a } = await upload(field, await photo(80, 60, 91), 'image/jpeg', 'scene.jpg');
    const event = await reported(server.url, field, item, await pointIn(server.url, fieldTown), { description: `现场 ${Math.random()}`, attachments: [{ id: a.id, name: 'scene.jpg' }] });
    await server.store.run("UPDATE event_actions SET attachments = ? WHERE event_id = ? AND action = 'intake'", JSON.stringify([{ id: a.id, name: '..\\..\\evil\u202Egpj.exe' }]), event.id);
    const { body: timeline } = await timelineOf(server.url, dispatcher, event.id);
    expect(timeline.entries[0]!.attachments).toEqual([{ id: a.id, name: 'scene.jpg' }]);
  });
});
