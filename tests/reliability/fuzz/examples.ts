import sharp from 'sharp';
import { api, loginAs, pointInCounty, someItemCode } from '../../integration/harness.js';
import type { FuzzServer } from './server.js';
import { Store } from '../../../server/src/db/store.js';
import { EventsRepo } from '../../../server/src/modules/events/events.repo.js';
import { ForwardedRepo } from '../../../server/src/modules/forwarding/forwarded.repo.js';
import type { JsonSchema, RouteOp } from './routes.js';

/**
 * One valid request per route (or a few, where a route has kinds: case actions, channels): the
 * fuzz mutates one part of it at a time, which reaches the code behind validation. Ids come from
 * the running county (fixtures), and a builder may make what it needs first (a draft to approve,
 * a key to revoke, a form token old enough): a builder runs before the case's "before" snapshot.
 */
export interface Example {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** The JSON body (or, for a raw upload, the value `RawUpload.encode` turns into bytes). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Made as this principal (by name) instead of one of the route's permitted ones. */
  principal?: string;
}

type Builder = () => Example | Promise<Example>;

/** A file upload: its body is bytes of its own content types, fuzzed as bytes (or as the JSON the file holds). */
export interface RawUpload {
  types: string[];
  /** A valid file and how it becomes bytes: JSON files are mutated as JSON, others byte by byte. */
  kind: 'json-file' | 'bytes';
}

export interface RouteSpec {
  variants: Builder[];
  /** Principals to fuzz as (by name); by default every principal the route's access check lets in. */
  principals?: string[];
  /** Accepts form bodies too (Open311). */
  form?: boolean;
  raw?: RawUpload;
  /** Waits for what the request started in the background (an import's validation job), so its trouble is this case's. */
  settle?: (status: number, text: string) => Promise<void>;
  /** Tables this route may write when it refuses, beyond REFUSAL_MAY_WRITE, and why. */
  refusalMayWrite?: Record<string, string>;
  /** Told what each case sent and whether it was accepted (state the next valid example depends on). */
  after?: (accepted: boolean, sent: Example) => void;
}

export interface Fixtures {
  eventId: string;
  closedEventId: string | null;
  teamId: string;
  fieldTeamId: string;
  alertId: string;
  itemCode: string;
  point: { lon: number; lat: number };
  townId: string;
  addressCode: string;
  attachmentId: string;
  catalog: unknown;
  cameraId: string;
  videoAlertType: string;
  hotlineCategory: string;
  triageId: string;
  publicToken: string;
  open311Id: string;
  open311Token: string;
  targetUserId: string;
  integrationUserId: string;
  importId: string;
  townLayer: unknown;
  png: Buffer;
}

type Json = Record<string, unknown>;

/** Drops what a JSON Schema does not allow (a GET answer's extra fields), so GET → PUT is a valid body. */
export function pickBySchema(value: unknown, schema: JsonSchema | undefined): unknown {
  if (!schema || value === null || typeof value !== 'object') return value;
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (options) return pickBySchema(value, options.find((o) => o.type === (Array.isArray(value) ? 'array' : 'object')) ?? options[0]);
  if (Array.isArray(value)) return value.map((v) => pickBySchema(v, schema.items as JsonSchema | undefined));
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props) return value;
  return Object.fromEntries(Object.entries(value as Json).filter(([k]) => k in props).map(([k, v]) => [k, pickBySchema(v, props[k])]));
}

const as = (fz: FuzzServer, name: string) => ({ headers: fz.byName(name).headers });

async function must<T>(what: string, res: Promise<{ status: number; body: T }>): Promise<T> {
  const r = await res;
  if (r.status >= 300) throw new Error(`fixture ${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
  return r.body;
}

/** The password of the account the login fuzz logs in as (its own: lockouts hit nobody else). */
const LOGIN_PASSWORD = 'Fz#Login-2026-grid';
/** fuzz-password's password as the change-password fuzz last saw it accepted. */
const passwords = { current: 'Fz#Passwd-2026-grid' };

/** What the examples refer to, read from (or made in) the running county before the fuzz starts. */
export async function gatherFixtures(fz: FuzzServer): Promise<Fixtures> {
  const url = fz.server.url;
  const events = await must('events', api<{ items: Array<{ id: string; status: string; townId: string }> }>(url, '/api/v1/events?pageSize=100', as(fz, 'demo-dispatcher')));
  const open = events.items.find((e) => e.status !== 'closed' && e.status !== 'voided') ?? events.items[0]!;
  const teams = await must('teams', api<{ items: Array<{ id: string; townId: string | null }> }>(url, '/api/v1/teams', as(fz, 'demo-dispatcher')));
  const me = await must('me', api<{ teamId: string | null }>(url, '/api/v1/auth/me', as(fz, 'demo-field')));
  const alerts = await must('alerts', api<{ items: Array<{ id: string }> }>(url, '/api/v1/alerts', as(fz, 'demo-dispatcher')));
  const point = await pointInCounty(url);
  const itemCode = await someItemCode(url);
  const addresses = await must('addresses', api<{ items: Array<{ code: string; townId: string }> }>(url, '/api/v1/addresses?q=1', as(fz, 'demo-dispatcher')));
  const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#c03020' } }).png().toBuffer();
  const attachment = await must(
    'attachment',
    api<{ id: string }>(url, '/api/v1/attachments', { method: 'POST', body: png, headers: { ...fz.byName('demo-dispatcher').headers, 'content-type': 'image/png', 'x-filename': 'fuzz.png' } }),
  );
  const catalog = await must('catalog', api<{ version: number }>(url, '/api/v1/catalog/versions/1', as(fz, 'demo-dispatcher')));
  const mappings = await must('mappings', api<{ video: Array<{ alertType: string }>; hotline: Array<{ categoryText: string }>; cameras: Array<{ id: string }> }>(url, '/api/v1/intake/mappings', as(fz, 'demo-dispatcher')));
  const triage = await must(
    'triage item',
    api<{ triageId: string }>(url, '/api/v1/intake/hotline', {
      method: 'POST',
      json: { channelId: 'FUZZ-TRIAGE-1', itemText: '无法归类的诉求', description: '来电人反映的情况无法归入任何事项', address: '不存在的地址一百号' },
      headers: fz.byName('key:hotline').headers,
    }),
  );
  const form = await must('form', api<{ formToken: string }>(url, '/api/v1/public/form', { anonymous: true }));
  fz.clock.advance(60_000);
  const report = await must(
    'public report',
    api<{ token: string }>(url, '/api/v1/public/reports', { method: 'POST', anonymous: true, json: { formToken: form.formToken, itemCode, description: '路边垃圾堆积多日无人清理', location: { lon: point.lon, lat: point.lat } } }),
  );
  const o311 = await must(
    'open311 request',
    api<Array<{ service_request_id: string; token: string }>>(url, '/open311/v2/requests.json', {
      method: 'POST',
      anonymous: true,
      json: { service_code: itemCode, description: '小区门口路灯不亮', lat: point.lat, long: point.lon },
      headers: fz.byName('key:open311').headers,
    }),
  );
  const target = await must(
    'target user',
    api<{ id: string }>(url, '/api/v1/users', { method: 'POST', json: { username: 'fuzz-target', displayName: '模糊测试·目标账号', password: 'Fz#Target-2026-grid', roles: ['dispatcher'] }, ...as(fz, 'demo-secadmin') }),
  );
  const integration = await must(
    'integration user',
    api<{ id: string }>(url, '/api/v1/users', { method: 'POST', json: { username: 'fuzz-integration', displayName: '模糊测试·对接账号', password: 'Fz#Integr-2026-grid', roles: ['integration'] }, ...as(fz, 'demo-secadmin') }),
  );
  await must('password user', api(url, '/api/v1/users', { method: 'POST', json: { username: 'fuzz-password', displayName: '模糊测试·改密账号', password: passwords.current, roles: ['wall'] }, ...as(fz, 'demo-secadmin') }));
  await must('login user', api(url, '/api/v1/users', { method: 'POST', json: { username: 'fuzz-login', displayName: '模糊测试·登录账号', password: LOGIN_PASSWORD, roles: ['wall'] }, ...as(fz, 'demo-secadmin') }));
  const townLayer = await must('town layer', api<unknown>(url, '/api/v1/geo/town', as(fz, 'demo-dispatcher')));
  const preview = await must(
    'import preview',
    api<{ id: string }>(url, '/api/v1/imports/grids?level=town', { method: 'POST', body: JSON.stringify(townLayer), headers: { ...fz.byName('demo-sysadmin').headers, 'content-type': 'application/geo+json' } }),
  );
  return {
    eventId: open.id,
    closedEventId: events.items.find((e) => e.status === 'closed')?.id ?? null,
    teamId: teams.items[0]!.id,
    fieldTeamId: me.teamId ?? teams.items[0]!.id,
    alertId: alerts.items[0]?.id ?? 'AL00000001',
    itemCode,
    point: { lon: point.lon, lat: point.lat },
    townId: addresses.items[0]!.townId,
    addressCode: addresses.items[0]!.code,
    attachmentId: attachment.id,
    catalog,
    cameraId: mappings.cameras[0]!.id,
    videoAlertType: mappings.video[0]!.alertType,
    hotlineCategory: mappings.hotline[0]!.categoryText,
    triageId: triage.triageId,
    publicToken: report.token,
    open311Id: o311[0]!.service_request_id,
    open311Token: o311[0]!.token,
    targetUserId: target.id,
    integrationUserId: integration.id,
    importId: preview.id,
    townLayer,
    png,
  };
}


/** Query values a route's parameters take by name, when no spec gives them (dates inside the seeded days). */
function defaultQueryValue(name: string, schema: JsonSchema, f: Fixtures): string | undefined {
  const enumOf = (s: JsonSchema): unknown[] | undefined => (s.enum as unknown[] | undefined) ?? ((s.anyOf as JsonSchema[] | undefined)?.map(enumOf).find(Boolean) as unknown[] | undefined);
  const e = enumOf(schema);
  if (e && e.length > 0) return String(e[0]);
  const byName: Record<string, string> = {
    from: '2026-11-18',
    to: '2026-11-20',
    since: '2026-11-19T00:00:00+08:00',
    date: '2026-11-19',
    town: f.townId,
    q: '垃圾',
    page: '1',
    pageSize: '20',
    limit: '10',
    min: '2',
    start_date: '2026-11-18T00:00:00+08:00',
    end_date: '2026-11-21T00:00:00+08:00',
    service_request_id: f.open311Id,
    service_code: f.itemCode,
    item: f.itemCode,
    team: f.teamId,
    user: 'demo-dispatcher',
    objectId: f.eventId,
  };
  return byName[name];
}

/** The valid query of an operation: its parameters' defaults, then the spec's own. */
export function defaultQuery(op: RouteOp, f: Fixtures): Record<string, string> {
  const q: Record<string, string> = {};
  for (const p of op.queryParams) {
    const v = defaultQueryValue(p.name, p.schema, f);
    if (v !== undefined) q[p.name] = v;
  }
  return q;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${(++counter).toString(36).padStart(4, '0')}`;

/**
 * The examples by operation (`METHOD /path`). An operation without an entry gets its query's
 * defaults and no body; the inventory test fails when such an operation has a body or path
 * parameters, so every one of those has a valid example here.
 */
export function routeSpecs(fz: FuzzServer, f: Fixtures, schemaOf: (name: string) => JsonSchema | null): Record<string, RouteSpec> {
  const url = fz.server.url;
  const one = (e: Example | (() => Example | Promise<Example>)): RouteSpec => ({ variants: [typeof e === 'function' ? e : () => e] });
  /** A forwarding key of the fuzz's county (an integration account scoped to it), made once. */
  let forwardKeyMade: Promise<string> | null = null;
  const forwardKey = () =>
    (forwardKeyMade ??= (async () => {
      const county = fz.server.db.prepare("SELECT id FROM regions WHERE level = 'county' ORDER BY id LIMIT 1").pluck().get() as string;
      const user = await api<{ id: string }>(url, '/api/v1/users', {
        method: 'POST',
        json: { username: 'fuzz-forwarder', displayName: '模糊测试·县级上传', password: 'Fz#Forward-2026-grid', roles: ['integration'], towns: [county] },
        ...as(fz, 'demo-secadmin'),
      });
      if (user.status !== 201) throw new Error(`fixture forwarding user: ${user.status} ${JSON.stringify(user.body)}`);
      const made = await api<{ key: string }>(url, `/api/v1/users/${user.body.id}/api-keys`, { method: 'POST', json: { name: '模糊测试·县级上传' }, ...as(fz, 'demo-secadmin') });
      if (made.status !== 201) throw new Error(`fixture forwarding key: ${made.status} ${JSON.stringify(made.body)}`);
      return made.body.key;
    })());
  const ev = { id: f.eventId };
  /** A worker of the fixture's town still serving: an attendee or certificate holder a town's grid office may record. */
  const trainee = () =>
    fz.server.db
      .prepare("SELECT w.id FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id WHERE v.parent_id = ? AND w.status <> 'left' ORDER BY w.id LIMIT 1")
      .pluck()
      .get(f.townId) as string;
  /** A grid of the fuzz's county holding the fixtures' point, and a deliberation day of it (made once; published on request). */
  const fuzzGrid = () => fz.server.db.prepare("SELECT grid_id FROM events ORDER BY id LIMIT 1").pluck().get() as string;
  const deliberationTask = () => ({ title: '东门增设分类垃圾桶', itemCode: f.itemCode, description: '议事决定：东门增设两组分类垃圾桶' });
  const deliberationBody = () => ({
    gridId: fuzzGrid(),
    heldOn: '2026-11-19',
    place: '村委会二楼会议室',
    host: '张书记',
    participants: [{ name: '李网格', role: '专职网格员' }],
    agenda: [{ title: '东门垃圾桶满溢', source: 'hot_spot', ref: `${f.itemCode}×3` }],
    decisions: ['增设两组分类垃圾桶'],
    tasks: [deliberationTask()],
  });
  let meetingMade: Promise<string> | null = null;
  const fuzzMeeting = async (published = false) => {
    const id = await (meetingMade ??= must('deliberation day', api<{ id: string }>(url, '/api/v1/deliberation/meetings', { method: 'POST', json: deliberationBody(), ...as(fz, 'demo-gridoffice') })).then((m) => m.id));
    if (published) await must('deliberation notice', api(url, `/api/v1/deliberation/meetings/${id}/notice`, { method: 'POST', json: { notice: '议事公告' }, ...as(fz, 'demo-gridoffice') }));
    return id;
  };
  const firstWorker = () => fz.server.db.prepare('SELECT id FROM workers ORDER BY id LIMIT 1').pluck().get() as string;
  /**
   * The assessment (issue 16 part 4): an open period (2025-Q1), one to close (2025-Q3) and a closed one (2025-Q2) whose first
   * town's first worker is proposed for the reward list by the town's grid office (decided by the
   * county's); each made once. A new period for the create example: one quarter of a year of its own.
   */
  const firstTownWorker = () =>
    fz.server.db
      .prepare("SELECT w.id FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id WHERE v.parent_id = (SELECT id FROM regions WHERE level = 'town' ORDER BY code LIMIT 1) ORDER BY w.id LIMIT 1")
      .pluck()
      .get() as string;
  let openPeriod: Promise<string> | null = null;
  const assessmentOpen = () => (openPeriod ??= must('assessment period', api<{ id: string }>(url, '/api/v1/assessment/periods', { method: 'POST', json: { startsOn: '2025-01-01', endsOn: '2025-03-31' }, ...as(fz, 'demo-gridoffice') })).then((p) => p.id));
  let toClose: Promise<string> | null = null;
  const assessmentToClose = () => (toClose ??= must('assessment period', api<{ id: string }>(url, '/api/v1/assessment/periods', { method: 'POST', json: { startsOn: '2025-07-01', endsOn: '2025-09-30' }, ...as(fz, 'demo-gridoffice') })).then((p) => p.id));
  let closedPeriod: Promise<string> | null = null;
  const assessmentClosed = () =>
    (closedPeriod ??= (async () => {
      const { id } = await must('assessment period', api<{ id: string }>(url, '/api/v1/assessment/periods', { method: 'POST', json: { startsOn: '2025-04-01', endsOn: '2025-06-30' }, ...as(fz, 'demo-gridoffice') }));
      await must('assessment close', api(url, `/api/v1/assessment/periods/${id}/close`, { method: 'POST', ...as(fz, 'demo-gridoffice') }));
      // proposed by the first town's grid office (not one of the fuzz's principals), decided by the county's
      const town = await loginAs(url, 'demo-town-gridoffice');
      await must('assessment proposal', api(url, `/api/v1/assessment/periods/${id}/proposals`, { method: 'POST', json: { workerId: firstTownWorker(), list: 'reward', proposal: '模糊测试提名' }, token: town }));
      return id;
    })());
  let assessmentYear = 1990;
  /** The grid office's workers import (issue 16): a roster CSV of one worker, a job made once to read and write, and its settle. */
  const workersCsv = () =>
    Buffer.from(`工号,姓名,性别,出生年份,学历,手机,专兼职,网格编码,等级,状态\nW99001,王建国,男,1975,高中,13905719901,兼职,${fz.server.db.prepare("SELECT code FROM regions WHERE level = 'grid' ORDER BY code LIMIT 1").pluck().get() as string},2,在岗\n`, 'utf8');
  const workersSettled = async (status: number, text: string) => {
    if (status !== 202) return;
    const { id } = JSON.parse(text) as { id: string };
    for (;;) {
      const job = await api<{ state: string }>(url, `/api/v1/imports/workers/${id}`, as(fz, 'demo-gridoffice'));
      if (job.body.state !== 'validating') return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const workersJob = async () => {
    const started = await must('workers import', api<{ id: string }>(url, '/api/v1/imports/workers', { method: 'POST', body: workersCsv(), headers: { ...as(fz, 'demo-gridoffice').headers, 'content-type': 'text/csv' } }));
    await workersSettled(202, JSON.stringify(started));
    return started.id;
  };
  const open311Post = (): Example => ({
    body: { service_code: f.itemCode, description: '小区门口路灯不亮已三天', lat: f.point.lat, long: f.point.lon, first_name: '李', phone: '13905710001', attribute: { urgency: 'P2' } },
    principal: 'key:open311',
  });
  const settings = (path: string) =>
    one(async () => {
      const current = await api<unknown>(url, path, as(fz, 'demo-sysadmin'));
      return { body: current.body };
    });
  /** A draft catalog version to approve or reject: the pending one, or a new one copied from the active. */
  const draft = async (): Promise<number> => {
    const list = await api<{ items: Array<{ version: number; status: string }> }>(url, '/api/v1/catalog/versions', as(fz, 'demo-lead'));
    const pending = list.body.items.find((v) => v.status === 'draft' || v.status === 'pending');
    if (pending) return pending.version;
    const made = await api<{ version: number }>(url, '/api/v1/catalog/versions', { method: 'POST', json: catalogDraft(), ...as(fz, 'demo-lead') });
    return made.body.version;
  };
  /** An import answers 202 and validates in the background: wait for the job to end. */
  const importSettled = async (status: number, text: string) => {
    if (status !== 202) return;
    const { id } = JSON.parse(text) as { id: string };
    for (;;) {
      const job = await api<{ state: string }>(url, `/api/v1/imports/${id}`, as(fz, 'demo-sysadmin'));
      if (job.body.state !== 'validating') return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const catalogDraft = () => ({ note: `模糊测试草稿 ${unique('')}`, items: pickBySchema((f.catalog as { items: unknown[] }).items, (schemaOf('POST /api/v1/catalog/versions')?.properties as Record<string, JsonSchema>).items) });
  /** A fresh triage item (a hotline case whose item and place cannot be decided), for resolve and dismiss. */
  const triageItem = async () =>
    (
      await api<{ triageId: string }>(url, '/api/v1/intake/hotline', {
        method: 'POST',
        json: { channelId: unique('FZ-TRIAGE-'), itemText: '无法归类的诉求', description: '来电人反映的情况无法归入任何事项', address: '不存在的地址一百号' },
        headers: fz.byName('key:hotline').headers,
      })
    ).body.triageId;
  return {
    'POST /api/v1/catalog/versions': one(() => ({ body: catalogDraft() })),
    'GET /api/v1/catalog/versions/{version}': one({ params: { version: '1' } }),
    'GET /api/v1/catalog/versions/{version}/diff': one({ params: { version: '1' }, query: { against: '1' } }),
    'POST /api/v1/catalog/versions/{version}/approve': { variants: [async () => ({ params: { version: String(await draft()) } })], principals: ['demo-approver'] },
    'POST /api/v1/catalog/versions/{version}/reject': { variants: [async () => ({ params: { version: String(await draft()) }, body: { reason: '事项时限与上级文件不一致' } })], principals: ['demo-approver'] },
    'PUT /api/v1/settings/workflow': settings('/api/v1/settings/workflow'),
    'PUT /api/v1/settings/shifts': settings('/api/v1/settings/shifts'),
    'PUT /api/v1/settings/retention': settings('/api/v1/settings/retention'),
    'GET /api/v1/geo/{level}': { variants: ['town', 'village', 'grid', 'microgrid'].map((level) => () => ({ params: { level } })) },
    // the tile over the fixture's point at a zoom where each layer has features (and one of the county's at z8)
    'GET /api/v1/tiles/{layer}/{z}/{x}/{y}.mvt': {
      variants: (
        [
          ['county', 8],
          ['town', 10],
          ['village', 11],
          ['grid', 12],
          ['microgrid', 14],
        ] as const
      ).map(([layer, z]) => () => ({ params: { layer, ...tileOf(f.point, z) } })),
    },
    'GET /api/v1/events': one({ query: { status: 'filed', town: f.townId, from: '2026-11-18', to: '2026-11-21', item: f.itemCode, page: '1', pageSize: '20' } }),
    'POST /api/v1/events': {
      variants: [
        () => ({ body: { itemCode: f.itemCode, description: '小区东门垃圾桶满溢，暴露垃圾约两平方米', location: f.point, source: 'grid_patrol', urgency: 'P2', reporter: { name: '王建国', phone: '13905710001' } }, headers: { 'idempotency-key': unique('fz-intake-') } }),
        () => ({ body: { itemCode: f.itemCode, description: '网格员巡查发现并当场处置', location: { addressCode: f.addressCode }, source: 'grid_patrol', selfHandled: true, result: '已当场清理', attachments: [{ id: f.attachmentId, name: 'fuzz.png' }] }, principal: 'demo-field' }),
      ],
    },
    // 市级交办: the fuzz's server is one county, which has no city to assign from (409 after the body is checked)
    'POST /api/v1/assignments': {
      variants: [
        () => ({
          body: { countyId: '330899', itemCode: f.itemCode, description: '市级交办：核实处置道路积水', location: f.point, urgency: 'P2', dueAt: '2026-12-31T18:00:00+08:00', note: '请三日内办结并反馈' },
          headers: { 'idempotency-key': unique('fz-assign-') },
          principal: 'demo-dispatcher',
        }),
      ],
    },
    'GET /api/v1/assignments': one({ query: { state: 'open', page: '1', pageSize: '20' } }),
    // a county server forwarding to the city: the fuzz's county forwards its own first changes to itself, with a key
    // whose scope is its county (the first valid one applies them, the rest are re-sends); as a channel key → 403
    'GET /api/v1/forwarded/cursor': { variants: [async () => ({ headers: { 'x-api-key': await forwardKey() } }), () => ({})], principals: ['key:hotline'] },
    'POST /api/v1/forwarded/changes': {
      principals: ['key:hotline'],
      variants: [true, false].map((keyed) => async () => {
        const changes = await new EventsRepo(Store.onSqlite(fz.server.db)).changesAfter(0, 2);
        const entries = await new ForwardedRepo(Store.onSqlite(fz.server.db)).entries(1, 2);
        const body = { changes: changes.map((c) => ({ seq: c.seq, kind: c.kind, at: c.at, event: c.event, entry: entries.get(c.seq) ?? null })) };
        return keyed ? { body, headers: { 'x-api-key': await forwardKey() } } : { body };
      }),
    },
    'GET /api/v1/events/{id}': one({ params: ev }),
    'GET /api/v1/events/{id}/timeline': one({ params: ev }),
    'GET /api/v1/events/{id}/recommendations': one({ params: ev }),
    'POST /api/v1/events/{id}/actions': {
      variants: [
        () => ({ params: ev, body: { action: 'supervise', note: '请加快处置进度', position: { ...f.point, accuracy: 12 } }, principal: 'demo-lead' }),
        () => ({ params: ev, body: { action: 'dispatch', teamId: f.teamId, note: '请即刻前往' }, headers: { 'idempotency-key': unique('fz-act-') }, principal: 'demo-dispatcher' }),
        () => ({ params: ev, body: { action: 'request-extension', reason: '需等待配件', extension: { value: 2, unit: 'work_days' } }, principal: 'demo-field' }),
        () => ({ params: ev, body: { action: 'report', result: '已处置完毕', attachments: [{ id: f.attachmentId, name: 'fuzz.png' }], madeAt: '2026-11-20T08:00:00+08:00' }, principal: 'demo-field' }),
        () => ({ params: ev, body: { action: 'merge', intoId: f.closedEventId ?? f.eventId }, principal: 'demo-dispatcher' }),
        () => ({ params: ev, body: { action: 'reject', reason: '不属于本级受理范围', receivingBody: '县住建局' }, principal: 'demo-dispatcher' }),
      ],
    },
    'GET /api/v1/teams': one({ query: { status: 'available', type: 'grid_worker', town: f.townId } }),
    'POST /api/v1/teams/{id}/position': {
      variants: [
        () => ({ params: { id: f.teamId }, body: { ...f.point, accuracy: 8, at: '2026-11-20T09:00:00+08:00' }, principal: 'demo-gateway' }),
        () => ({ params: { id: f.fieldTeamId }, body: { ...f.point, crs: 'gcj02' }, principal: 'demo-field' }),
      ],
    },
    'GET /api/v1/teams/{id}/trail': one({ params: { id: f.teamId }, query: { since: '2026-11-19T00:00:00+08:00' } }),
    // 网格议事日 (issue 16 part 6): the county's grid office records; a meeting made once for the routes that need one
    'GET /api/v1/deliberation/agenda-draft': one(() => ({ query: { gridId: fuzzGrid(), asOf: '2026-11-20T09:00:00+08:00' }, principal: 'demo-gridoffice' })),
    'POST /api/v1/deliberation/meetings': one(() => ({ body: deliberationBody(), headers: { 'idempotency-key': unique('fz-delib-') }, principal: 'demo-gridoffice' })),
    'POST /api/v1/deliberation/meetings/{id}/tasks': one(async () => ({ params: { id: await fuzzMeeting() }, body: deliberationTask(), principal: 'demo-gridoffice' })),
    'POST /api/v1/deliberation/meetings/{id}/notice': one(async () => ({ params: { id: await fuzzMeeting() }, body: { notice: '本次议事日议定事项如下，欢迎居民监督。' }, principal: 'demo-gridoffice' })),
    'GET /api/v1/deliberation/meetings': one({ query: { from: '2026-11-01', to: '2026-11-20', page: '1', pageSize: '20' }, principal: 'demo-gridoffice' }),
    'GET /api/v1/deliberation/meetings/{id}': one(async () => ({ params: { id: await fuzzMeeting() }, principal: 'demo-gridoffice' })),
    'GET /public/deliberation/{id}': one(async () => ({ params: { id: await fuzzMeeting(true) }, principal: 'anonymous' })),
    // workload and activity (issue 16 part 2): the shift lead reads workforce in the whole county
    'GET /api/v1/workforce/activity': one({ query: { from: '2026-11-18', to: '2026-11-19' }, principal: 'demo-lead' }),
    'GET /api/v1/workforce/workers/{id}/activity': one(() => ({ params: { id: firstWorker() }, query: { from: '2026-11-18', to: '2026-11-19T12:00:00+08:00' }, principal: 'demo-lead' })),
    'GET /api/v1/workforce/workers/{id}/coverage': one(() => ({ params: { id: firstWorker() }, query: { from: '2026-11-18' }, principal: 'demo-lead' })),
    // grid workers' records (issue 16 part 1): the grid office keeps them, a field worker reads their own
    'GET /api/v1/workforce/workers': one({ query: { town: f.townId, status: 'active', employment: 'part_time', grade: '1', q: 'W', page: '1', pageSize: '20' }, principal: 'demo-gridoffice' }),
    'GET /api/v1/workforce/workers/export': one({ query: { town: f.townId, status: 'active', format: 'csv' }, principal: 'demo-gridoffice' }),
    'GET /api/v1/workforce/workers/{id}': one(() => ({ params: { id: firstWorker() }, principal: 'demo-gridoffice' })),
    'PATCH /api/v1/workforce/workers/{id}': one(() => ({ params: { id: firstWorker() }, body: { grade: 2, employment: 'part_time', reason: '年度定档' }, principal: 'demo-gridoffice' })),
    'GET /api/v1/workforce/me': one({ principal: 'demo-field' }),
    // the assessment (德能勤绩, issue 16 part 4)
    'GET /api/v1/assessment/me': one({ principal: 'demo-field' }),
    'GET /api/v1/assessment/periods': one({ principal: 'demo-gridoffice' }),
    'POST /api/v1/assessment/periods': one(() => ({ body: { startsOn: `${++assessmentYear}-01-01`, endsOn: `${assessmentYear}-03-31`, weights: { de: 20, neng: 20, qin: 30, ji: 30 } }, principal: 'demo-gridoffice' })),
    'GET /api/v1/assessment/periods/{id}': one(async () => ({ params: { id: await assessmentOpen() }, query: { town: f.townId }, principal: 'demo-gridoffice' })),
    'PUT /api/v1/assessment/periods/{id}/reviews': one(async () => ({ params: { id: await assessmentOpen() }, body: { reviews: [{ workerId: firstWorker(), de: 85, neng: 80.5, comment: '工作认真，群众评价好' }] }, principal: 'demo-gridoffice' })),
    'POST /api/v1/assessment/periods/{id}/close': one(async () => ({ params: { id: await assessmentToClose() }, principal: 'demo-gridoffice' })),
    'POST /api/v1/assessment/periods/{id}/proposals': one(async () => ({ params: { id: await assessmentClosed() }, body: { workerId: firstWorker(), list: 'exit_review', proposal: '连续两期不合格' }, principal: 'demo-gridoffice' })),
    'POST /api/v1/assessment/periods/{id}/proposals/{workerId}/{list}/decision': one(async () => ({
      params: { id: await assessmentClosed(), workerId: firstTownWorker(), list: 'reward' },
      body: { decision: 'approved', reason: '经审定同意' },
      principal: 'demo-gridoffice',
    })),
    'GET /api/v1/assessment/periods/{id}/export.xlsx': one(async () => ({ params: { id: await assessmentOpen() }, query: { town: f.townId, lang: 'zh-CN' }, principal: 'demo-gridoffice' })),
    'GET /api/v1/assessment/periods/{id}/print': one(async () => ({ params: { id: await assessmentClosed() }, principal: 'demo-gridoffice' })),
    'POST /api/v1/imports/workers': {
      variants: [() => ({ body: workersCsv(), headers: { 'content-type': 'text/csv' }, principal: 'demo-gridoffice' })],
      raw: { types: ['text/csv', 'application/octet-stream', 'application/vnd.ms-excel'], kind: 'bytes' },
      settle: workersSettled,
    },
    'GET /api/v1/imports/workers/{id}': one(async () => ({ params: { id: await workersJob() }, principal: 'demo-gridoffice' })),
    'POST /api/v1/imports/workers/{id}/write': one(async () => ({ params: { id: await workersJob() }, principal: 'demo-gridoffice' })),
    'POST /api/v1/teams/{id}/status': one({ params: { id: f.fieldTeamId }, body: { status: 'busy' }, principal: 'demo-field' }),
    'POST /api/v1/alerts/{id}/ack': one({ params: { id: f.alertId }, body: { note: '已电话联系责任人' } }),
    'POST /api/v1/alerts/ack': one({ body: { ids: [f.alertId], reason: '批量确认：台风期间集中处置' } }),
    'GET /api/v1/addresses/{code}': one({ params: { code: f.addressCode } }),
    'POST /api/v1/classify': one({ body: { text: '小区门口垃圾堆积无人清理' } }),
    'GET /api/v1/public/map/{level}': { variants: ['town', 'village', 'grid'].map((level) => () => ({ params: { level } })) },
    'POST /api/v1/public/classify': one({ body: { text: '路灯不亮' } }),
    'POST /api/v1/public/reports': one(async () => {
      const form = await api<{ formToken: string }>(url, '/api/v1/public/form', { anonymous: true });
      // a person needs longer than minFillSeconds to fill the form
      fz.clock.advance(30_000);
      return { body: { formToken: form.body.formToken, itemCode: f.itemCode, description: '路边垃圾堆积多日无人清理', location: { lon: f.point.lon, lat: f.point.lat }, reporter: { name: '赵女士', phone: '13905710002' } }, principal: 'anonymous' };
    }),
    'GET /api/v1/public/reports/{token}': one({ params: { token: f.publicToken }, principal: 'anonymous' }),
    'POST /api/v1/intake/{channel}': {
      variants: [
        () => ({
          params: { channel: 'video' },
          body: { channelId: unique('VA-'), cameraId: f.cameraId, alertType: f.videoAlertType, confidence: 0.93, occurredAt: '2026-11-20T08:59:00+08:00', snapshot: { base64: f.png.toString('base64') } },
          principal: 'key:video',
        }),
        () => ({
          params: { channel: 'hotline' },
          body: { channelId: unique('HL-'), caller: { name: '陈先生', phone: '138****1234' }, address: '城北街道聚贤社区江滨大道236号', itemText: f.hotlineCategory, description: '门口占道经营影响通行', urgency: 'P2', receivedAt: '2026-11-20T08:30:00+08:00' },
          principal: 'key:hotline',
        }),
        () => ({
          params: { channel: 'miniprogram' },
          body: { channelId: unique('MP-'), reporterRef: 'a'.repeat(64), location: { ...f.point, crs: 'wgs84' }, photos: [{ attachmentId: 'AT' + '0'.repeat(20) }], itemCode: f.itemCode, description: '井盖缺失' },
          principal: 'key:miniprogram',
        }),
      ],
    },
    'PUT /api/v1/intake/mappings/video/{alertType}': one(() => ({ params: { alertType: f.videoAlertType }, body: { itemCode: f.itemCode, urgency: 'P1', minConfidence: 0.6, label: '模糊测试映射' } })),
    'DELETE /api/v1/intake/mappings/video/{alertType}': one(async () => {
      const alertType = unique('fuzz_tmp_');
      await api(url, `/api/v1/intake/mappings/video/${alertType}`, { method: 'PUT', json: { itemCode: f.itemCode, minConfidence: 0.5, label: '临时' }, ...as(fz, 'demo-lead') });
      return { params: { alertType } };
    }),
    'PUT /api/v1/intake/mappings/hotline': one({ body: { categoryText: f.hotlineCategory, itemCode: f.itemCode, urgency: null } }),
    'DELETE /api/v1/intake/mappings/hotline': one(async () => {
      const categoryText = unique('模糊测试/临时分类');
      await api(url, '/api/v1/intake/mappings/hotline', { method: 'PUT', json: { categoryText, itemCode: f.itemCode }, ...as(fz, 'demo-lead') });
      return { query: { categoryText } };
    }),
    'PUT /api/v1/intake/cameras/{id}': one({ params: { id: f.cameraId }, body: { name: '模糊测试摄像头', lon: f.point.lon, lat: f.point.lat } }),
    'GET /api/v1/triage': one({ query: { status: 'pending', limit: '20' } }),
    'GET /api/v1/triage/{id}': one({ params: { id: f.triageId } }),
    'POST /api/v1/triage/{id}/resolve': one(async () => ({ params: { id: await triageItem() }, body: { itemCode: f.itemCode, location: { lon: f.point.lon, lat: f.point.lat }, urgency: 'P2' } })),
    'POST /api/v1/triage/{id}/dismiss': one(async () => ({ params: { id: await triageItem() }, body: { reason: '重复来电' } })),
    'GET /api/v1/imports/{id}': one({ params: { id: f.importId } }),
    'POST /api/v1/imports/{id}/write': one({ params: { id: f.importId } }),
    'POST /api/v1/imports/grids': { variants: [() => ({ query: { level: 'town', keepMissing: 'true', overlapToleranceM2: '10' }, body: f.townLayer, headers: { 'content-type': 'application/geo+json' } })], raw: { types: ['application/geo+json', 'application/json', 'application/octet-stream'], kind: 'json-file' }, settle: importSettled },
    'POST /api/v1/imports/roster': {
      variants: [() => ({ query: { kind: 'workers' }, body: Buffer.from('姓名,手机,网格编码\n王建国,13905710001,330899001001001\n', 'utf8'), headers: { 'content-type': 'text/csv' } })],
      raw: { types: ['text/csv', 'application/octet-stream', 'application/vnd.ms-excel'], kind: 'bytes' },
      settle: importSettled,
    },
    'GET /api/v1/hotline-imports': one({ query: { limit: '10' } }),
    'POST /api/v1/hotline-imports': {
      variants: [
        () => ({
          query: { mode: 'row', dryRun: 'true', progress: unique('fuzzprogress') },
          body: Buffer.from(`工单编号,来电时间,事发地址,诉求分类,诉求内容\n${unique('FZ')},2026-11-20 08:00,城北街道聚贤社区江滨大道236号,${f.hotlineCategory},门口占道经营\n`, 'utf8'),
          headers: { 'content-type': 'text/csv' },
        }),
      ],
      raw: { types: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], kind: 'bytes' },
    },
    'GET /api/v1/hotline-imports/progress/{key}': one({ params: { key: 'fuzzprogress0001' } }),
    'GET /api/v1/hotline-imports/{id}': one({ params: { id: 'HI1' } }),
    'GET /api/v1/hotline-imports/{id}/report': one({ params: { id: 'HI1' }, query: { format: 'csv' } }),
    'POST /api/v1/auth/login': {
      ...one({ body: { username: 'fuzz-login', password: LOGIN_PASSWORD }, principal: 'anonymous' }),
      refusalMayWrite: { users: 'a wrong password counts toward the account lockout (failed attempts, locked until)' },
    },
    'POST /api/v1/auth/change-password': {
      variants: [
        async () => {
          // an account and a session of its own: a change that goes through ends the session (each case logs in)
          const login = await api<{ token: string }>(url, '/api/v1/auth/login', { method: 'POST', anonymous: true, json: { username: 'fuzz-password', password: passwords.current } });
          return { body: { currentPassword: passwords.current, newPassword: unique('Fz#Changed-2026-') }, headers: { authorization: `Bearer ${login.body.token}` }, principal: 'anonymous' };
        },
      ],
      refusalMayWrite: { users: 'a wrong current password counts toward the account lockout, as a failed login does' },
      after: (accepted, sent) => {
        const next = (sent.body as { newPassword?: unknown } | undefined)?.newPassword;
        if (accepted && typeof next === 'string') passwords.current = next;
      },
    },
    'GET /api/v1/audit': one({ query: { from: '2026-11-18T00:00:00+08:00', to: '2026-11-21T00:00:00+08:00', user: 'demo-dispatcher', action: 'auth:login', result: 'success', page: '1', pageSize: '50' } }),
    'GET /api/v1/audit/export': one({ query: { from: '2026-11-18T00:00:00+08:00', to: '2026-11-21T00:00:00+08:00', action: 'auth:login' } }),
    'POST /api/v1/users': one(() => ({ body: { username: unique('fuzz-u-'), displayName: '模糊测试·新账号', password: 'Fz#NewUser-2026-grid', roles: ['field_worker'], teamId: f.fieldTeamId } })),
    'POST /api/v1/users/{id}/disable': one({ params: { id: f.targetUserId } }),
    'POST /api/v1/users/{id}/enable': one({ params: { id: f.targetUserId } }),
    'POST /api/v1/users/{id}/roles': one({ params: { id: f.targetUserId }, body: { roles: ['dispatcher'], towns: [f.townId] } }),
    'POST /api/v1/users/{id}/totp': one({ params: { id: f.integrationUserId } }),
    'GET /api/v1/users/{id}/api-keys': one({ params: { id: f.integrationUserId } }),
    'POST /api/v1/users/{id}/api-keys': one({ params: { id: f.integrationUserId }, body: { name: '模糊测试密钥', channel: 'open311', expiresAt: '2027-11-20T00:00:00+08:00' } }),
    'POST /api/v1/api-keys/{keyId}/revoke': one(async () => {
      const made = await api<{ apiKey: { keyId: string } }>(url, `/api/v1/users/${f.integrationUserId}/api-keys`, { method: 'POST', json: { name: unique('待吊销') }, ...as(fz, 'demo-secadmin') });
      return { params: { keyId: made.body.apiKey.keyId }, body: { reason: '密钥泄露' } };
    }),
    'POST /api/v1/attachments': {
      variants: [() => ({ body: f.png, headers: { 'content-type': 'image/png', 'x-filename': encodeURIComponent('现场照片.png') } })],
      raw: { types: ['image/png', 'image/jpeg', 'image/webp'], kind: 'bytes' },
    },
    'POST /api/v1/public/attachments': {
      variants: [
        async () => {
          const form = await api<{ formToken: string }>(url, '/api/v1/public/form', { anonymous: true });
          fz.clock.advance(30_000);
          return { body: f.png, headers: { 'content-type': 'image/png', 'x-form-token': form.body.formToken }, principal: 'anonymous' };
        },
      ],
      raw: { types: ['image/png', 'image/jpeg', 'image/webp'], kind: 'bytes' },
    },
    'GET /api/v1/attachments/{id}': one({ params: { id: f.attachmentId } }),
    'GET /api/v1/attachments/{id}/thumb': one({ params: { id: f.attachmentId } }),
    // grid workers' training (issue 16 part 3) and the composition dashboard (part 5): the demo's courses and county session, a worker of the fixture's town
    'PUT /api/v1/training/settings': { variants: [() => ({ body: { yearlyHours: 24 } })], principals: ['demo-gridoffice'] },
    'GET /api/v1/training/courses': one({ query: { subject: 'ethics' } }),
    'POST /api/v1/training/courses': one({ body: { subject: 'business', title: '模糊测试·入格事项处置', hours: 2 } }),
    'GET /api/v1/training/sessions': one({ query: { year: '2026', town: f.townId } }),
    'POST /api/v1/training/sessions': one({ body: { courseId: 'TC-DEMO-01', mode: 'offline', townId: f.townId, heldOn: '2026-11-02', place: '镇便民服务中心', trainer: '县网格办', hours: 2 } }),
    'GET /api/v1/training/sessions/{id}': one({ params: { id: 'TS-DEMO-C01' } }),
    'PUT /api/v1/training/sessions/{id}/attendance': one(() => ({ params: { id: 'TS-DEMO-C01' }, body: [{ workerId: trainee(), hours: 2, passed: true }] })),
    'POST /api/v1/training/certificates': one(() => ({ body: { workerId: trainee(), title: '模糊测试合格证', number: unique('FZ-CE-'), issuedOn: '2026-11-02' } })),
    'GET /api/v1/training/certificates': one(() => ({ query: { workerId: trainee() } })),
    'GET /api/v1/training/progress': one({ query: { year: '2026', town: f.townId } }),
    'GET /api/v1/training/progress/export': one({ query: { year: '2026', town: f.townId } }),
    'GET /api/v1/training/me': one({ query: { year: '2026' } }),
    'GET /api/v1/workforce/composition': one({ query: { town: f.townId, asOf: '2026-11-20' } }),
    'GET /open311/v2/services/{code}.json': one({ params: { code: f.itemCode } }),
    'GET /open311/v2/services/{code}.xml': one({ params: { code: f.itemCode } }),
    'POST /open311/v2/requests.json': { variants: [open311Post], form: true },
    'POST /open311/v2/requests.xml': { variants: [open311Post], form: true },
    'GET /open311/v2/requests/{id}.json': one({ params: { id: f.open311Id } }),
    'GET /open311/v2/requests/{id}.xml': one({ params: { id: f.open311Id } }),
    'GET /open311/v2/tokens/{token}.json': one({ params: { token: f.open311Token } }),
    'GET /open311/v2/tokens/{token}.xml': one({ params: { token: f.open311Token } }),
  };
}

/** The web-mercator tile (z/x/y as path strings) holding a point. */
function tileOf(p: { lon: number; lat: number }, z: number): { z: string; x: string; y: string } {
  const n = 2 ** z;
  const rad = (p.lat * Math.PI) / 180;
  const x = Math.floor(((p.lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { z: String(z), x: String(x), y: String(y) };
}
