import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../shared/contracts/auth.js';
import type { Clock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { PUBLIC_ACCOUNT_ID } from '../../server/src/db/migration-open311.js';
import { Store } from '../../server/src/db/store.js';
import { AttachmentStore } from '../../server/src/modules/attachments/attachment-store.js';
import { AttachmentsRepo, type StoredAttachment } from '../../server/src/modules/attachments/attachments.repo.js';
import { AttachmentsService } from '../../server/src/modules/attachments/attachments.service.js';
import type { AuditEntry } from '../../server/src/modules/audit/audit.contract.js';
import type { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import type { Principal } from '../../server/src/modules/auth/auth.service.js';
import type { UserRecord } from '../../server/src/modules/auth/users.repo.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { postgresCopy, usePostgres } from './postgres.js';
import { TestClock } from './workflow-driver.js';

/**
 * The attachments repository and service answer and write the same on both dialects: a seeded
 * county copied from SQLite to PostgreSQL; then insert, get, sameUpload, link (twice: the second
 * changes nothing, ON CONFLICT DO NOTHING for SQLite's INSERT OR IGNORE), townsReferencing, and
 * the service's upload (a new photo, the same bytes again, another user's) and readable (the
 * uploader, a reader in scope, one out of scope, one without events:read) run on both with the
 * same arguments; answers, the attachment rows, the links and the audit entries must agree.
 * `usable` and `names` stay on the SQLite connection (the case writer's synchronous units):
 * they agree with the store's rows there and refuse on PostgreSQL.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

interface Side {
  store: Store;
  repo: AttachmentsRepo;
  service: AttachmentsService;
  audit: AuditEntry[];
}

function side(store: Store, files: AttachmentStore, clock: Clock): Side {
  const audit: AuditEntry[] = [];
  // the audit repository stays on SQLite for now: both sides record the entries instead
  const sink = { append: (e: AuditEntry) => void audit.push(e), record: (e: AuditEntry) => void audit.push(e) } as unknown as AuditRepo;
  const repo = new AttachmentsRepo(store);
  return { store, repo, audit, service: new AttachmentsService({ database: store, repo, store: files, audit: sink, clock }) };
}

const principalOf = (id: string, roles: string[], scope: Scope): Principal =>
  ({ user: { id, username: id, roles, scope } as unknown as UserRecord, session: null, mustChangePassword: false, apiKey: false, apiKeyId: null, apiKeyChannel: null }) as Principal;

describe('AttachmentsRepo and AttachmentsService on SQLite and PostgreSQL', () => {
  it('answer, write and leave the same rows', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'attachments.sqlite'));
    later(() => db.close());
    seedDemo(db, SMALL_COUNTY);
    // two accounts: the built-in one and a copy of it under another id
    const builtin = db.prepare('SELECT * FROM users WHERE id = ?').get(PUBLIC_ACCOUNT_ID) as Record<string, unknown>;
    const columns = Object.keys(builtin);
    db.prepare(`INSERT INTO users (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(
      ...columns.map((c) => (c === 'id' ? 'u-attachments-test' : c === 'username' ? 'attachments-test' : builtin[c])),
    );
    const uploader = 'u-attachments-test';
    const other = PUBLIC_ACCOUNT_ID;
    const changes = db
      .prepare('SELECT c.seq, c.event_id, e.town_id FROM event_changes c JOIN events e ON e.id = c.event_id ORDER BY c.seq LIMIT 400')
      .all() as Array<{ seq: number; event_id: string; town_id: string }>;
    const byTown = new Map<string, { seq: number; event_id: string }>();
    for (const c of changes) if (!byTown.has(c.town_id)) byTown.set(c.town_id, c);
    expect(byTown.size, 'changes in two towns at least').toBeGreaterThan(1);
    const [[townA, changeA], [townB, changeB]] = [...byTown.entries()] as [[string, { seq: number; event_id: string }], [string, { seq: number; event_id: string }]];
    const post = await postgresCopy(pg.cluster, db, later);

    const clock = new TestClock(Date.parse('2026-11-20T09:00:00+08:00'));
    mkdirSync(join(dir, 'files'));
    const files = new AttachmentStore(join(dir, 'files'));
    const sides = [side(Store.onSqlite(db), files, clock), side(post, files, clock)] as const;
    const same = async <T>(what: string, fn: (s: Side) => Promise<T>): Promise<T> => {
      const a = await fn(sides[0]);
      const b = await fn(sides[1]);
      expect(b, what).toEqual(a);
      return a;
    };
    const rows = () =>
      same('rows', async (s) => ({
        attachments: await s.store.all('SELECT * FROM attachments ORDER BY id'),
        links: await s.store.all('SELECT * FROM event_attachments ORDER BY attachment_id, event_id, seq'),
      }));

    // the repository: insert, get, sameUpload (the earlier of two uploads of the same bytes)
    const stored = (id: string, n: number, by: string, at: string): StoredAttachment => ({
      id,
      sha256: sha(`bytes ${n}`),
      type: 'image/jpeg',
      size: 1000 + n,
      name: `现场照片 ${n}.jpg`,
      width: 640,
      height: 480,
      createdAt: at,
      createdBy: by,
      thumbSha256: sha(`thumb ${n}`),
    });
    const one = stored('AT00000000000000000001', 1, uploader, '2026-11-20T01:00:00.000Z');
    const again = { ...stored('AT00000000000000000002', 1, uploader, '2026-11-20T01:05:00.000Z') };
    const theirs = stored('AT00000000000000000003', 2, other, '2026-11-20T01:02:00.000Z');
    for (const a of [one, again, theirs]) await same(`insert ${a.id}`, (s) => s.store.inTransaction(() => s.repo.insert(a)));
    await rows();
    expect(await same('get', (s) => s.repo.get(one.id))).toEqual(one);
    await same('get unknown', (s) => s.repo.get('AT0000000000000000000F'));
    expect(await same('same upload', (s) => s.repo.sameUpload(one.sha256, uploader))).toEqual(one);
    await same('same upload of another user', (s) => s.repo.sameUpload(one.sha256, other));
    await same('same upload unknown', (s) => s.repo.sameUpload(sha('nothing'), uploader));

    // links, inside a store transaction as the case writer makes them; a second link changes nothing
    await same('link', (s) => s.store.inTransaction(() => s.repo.link([one.id, theirs.id], changeA.event_id, changeA.seq)));
    await same('link again', (s) => s.store.inTransaction(() => s.repo.link([one.id], changeA.event_id, changeA.seq)));
    await same('link in another town', (s) => s.store.inTransaction(() => s.repo.link([one.id], changeB.event_id, changeB.seq)));
    const { links } = await rows();
    expect(links).toHaveLength(3);
    expect(await same('towns referencing', (s) => s.repo.townsReferencing(one.id))).toEqual([townA, townB].sort());
    await same('towns referencing one link', (s) => s.repo.townsReferencing(theirs.id));
    await same('towns referencing none', (s) => s.repo.townsReferencing(again.id));

    // the reads of the case write path: a photo the user may attach, the stored names of a timeline's
    expect(await same('usable through the case', (s) => s.repo.usable(theirs.id, uploader, changeA.event_id))).toEqual({ id: theirs.id, name: theirs.name });
    expect(await same('usable elsewhere', (s) => s.repo.usable(theirs.id, uploader, changeB.event_id))).toBeNull();
    expect(await same('names', async (s) => [...(await s.repo.names([one.id, 'AT0000000000000000000F', theirs.id]))])).toEqual([
      [one.id, one.name],
      [theirs.id, theirs.name],
    ]);

    // the service: a real photo uploaded, the same bytes again (stored once), by another user
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } })
      .jpeg()
      .toBuffer();
    const county = { kind: 'county' } as Scope;
    const actor = (id: string) => ({ principal: principalOf(id, ['dispatcher'], county), ctx: { sourceIp: '10.0.0.4', client: 'attachments-store.test' } });
    // the ids are random: compare everything else, and keep each side's ids
    const ids: Array<Record<string, string>> = [{}, {}];
    const upload = (label: string, who: string) =>
      same(`upload ${label}`, async (s) => {
        const r = await s.service.upload(photo, 'image/jpeg', 'site%20photo.jpg', actor(who));
        ids[sides.indexOf(s as never)]![label] = r.record.id;
        return { created: r.created, record: { ...r.record, id: '', url: '', thumbUrl: '' } };
      });
    expect((await upload('first', uploader)).created).toBe(true);
    expect((await upload('again', uploader)).created).toBe(false);
    expect((await upload('theirs', other)).created).toBe(true);
    expect(ids[0]!.again).toBe(ids[0]!.first);
    await same('audit entries', async (s) => s.audit.map((e) => ({ ...e, objectId: null })));
    await same('uploaded rows', async (s) =>
      (await s.store.all<Record<string, unknown>>('SELECT * FROM attachments WHERE id NOT LIKE ? ORDER BY created_by, id', 'AT000000%')).map((r) => ({ ...r, id: null })),
    );

    // readable: the uploader, a reader in scope and out of it, a role that reads no cases
    const inA = { kind: 'towns', towns: [townA], counties: [], areas: [] } as Scope;
    const elsewhere = { kind: 'towns', towns: ['000000000'], counties: [], areas: [] } as Scope;
    const readers: Array<[string, Principal]> = [
      ['uploader', principalOf(uploader, ['dispatcher'], elsewhere)],
      ['reader in scope', principalOf('someone', ['dispatcher'], inA)],
      ['reader out of scope', principalOf('someone', ['dispatcher'], elsewhere)],
      ['no events:read', principalOf('someone', ['sysadmin'], county)],
    ];
    for (const id of [one.id, theirs.id, again.id, 'AT0000000000000000000F']) {
      for (const [name, p] of readers) await same(`readable ${id} by ${name}`, (s) => s.service.readable(id, p));
    }
    expect(await sides[0].service.readable(one.id, readers[1]![1])).toEqual(one);
    // the uploads' ids are random: every row but its id, in a fixed order
    await same('rows at the end', async (s) => ({
      attachments: (await s.store.all<Record<string, unknown>>('SELECT * FROM attachments ORDER BY created_by, created_at, sha256')).map((r) =>
        String(r.id).startsWith('AT000000') ? r : { ...r, id: null },
      ),
      links: await s.store.all('SELECT * FROM event_attachments ORDER BY attachment_id, event_id, seq'),
    }));
  });
});
