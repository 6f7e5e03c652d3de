import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse } from '../../shared/contracts/audit.js';
import type { ClassifyResponse } from '../../shared/contracts/classify.js';
import type { EventRecord } from '../../shared/contracts/events.js';
import type { HotlineImportListResponse, HotlineImportProgress, HotlineImportReport } from '../../shared/contracts/hotline-import.js';
import { dayOfCases, gbk, hotlineCsv, hotlineXlsx, utf8, type HotlineFileRecord } from '../fixtures/hotline/hotline-files.js';
import { demoChannelKey } from '../../server/src/modules/auth/demo-users.js';
import { api, DEMO_PASSWORD, loginAs, pointInCounty, startTestServer, type TestServer } from './harness.js';
import { storedCountsIn, valueOf } from './store-rows.js';

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let server: TestServer;
let points: Array<{ lon: number; lat: number }>;

beforeAll(async () => {
  server = await startTestServer();
  points = await Promise.all([0, 7, 19, 33].map((i) => pointInCounty(server.url, i)));
});
afterAll(async () => server?.stop());

async function upload(body: Buffer, query: string, opts: { type?: string; name?: string; token?: string; lang?: string } = {}) {
  return api<HotlineImportReport>(server.url, `/api/v1/hotline-imports?${query}`, {
    method: 'POST',
    body,
    headers: { 'content-type': opts.type ?? CSV, 'x-filename': encodeURIComponent(opts.name ?? '12345工单.csv'), 'accept-language': opts.lang ?? 'zh-CN' },
    ...(opts.token ? { token: opts.token } : {}),
  });
}

const event = async (id: string) => (await api<EventRecord>(server.url, `/api/v1/events/${id}`)).body;
const hotlineCount = () => valueOf<number>(server.store, "SELECT COUNT(*) AS n FROM events WHERE source = 'hotline_12345'");

describe('a valid day of hotline cases', () => {
  it('accepts every row of a CSV, and the cases exist with their place, item and caller', async () => {
    const records = dayOfCases(6, { prefix: 'GD20261202A', points });
    const before = await hotlineCount();
    const res = await upload(utf8(hotlineCsv(records)), 'mode=file');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'written', mode: 'file', dryRun: false, file: { format: 'csv', encoding: 'utf-8', headerRow: 1 } });
    expect(res.body.totals).toMatchObject({ rows: 6, accepted: 6, written: 6, invalid: 0 });
    expect(res.body.rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(await hotlineCount()).toBe(before + 6);
    for (const [i, row] of res.body.rows.entries()) {
      expect(row).toMatchObject({ outcome: 'accepted', written: true, caseNumber: records[i]!.工单编号 });
      const stored = await event(row.eventId!);
      expect(stored).toMatchObject({ source: 'hotline_12345', itemName: '暴露垃圾', reporter: { name: '张先生', phone: '138****1234' } });
      expect(stored.description).toBe(records[i]!.诉求内容);
    }
    expect(res.body.rows[0]!.reason!['zh-CN']).toContain('已受理');
    expect(res.body.rows[0]!.reason!.en).toContain('Accepted');
  });

  it('a dry run previews the same outcomes and writes nothing', async () => {
    const records = dayOfCases(3, { prefix: 'GD20261202P', points });
    const before = await storedCountsIn(server.store);
    const res = await upload(utf8(hotlineCsv(records)), 'mode=file&dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'preview', dryRun: true, totals: { rows: 3, accepted: 3, written: 0 } });
    expect(res.body.rows.every((r) => r.outcome === 'accepted' && !r.written && r.eventId === undefined)).toBe(true);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('reads an XLSX with a title line above the header, numeric coordinates and a time cell', async () => {
    const records = dayOfCases(3, { prefix: 'GD20261202X', points });
    const res = await upload(await hotlineXlsx(records, { title: '12345 政务服务便民热线 工单导出（2026-12-02）' }), 'mode=row', { type: XLSX, name: '工单.xlsx' });
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ format: 'xlsx', encoding: null, headerRow: 2 });
    expect(res.body.totals).toMatchObject({ accepted: 3, written: 3 });
    expect(res.body.rows.map((r) => r.row)).toEqual([3, 4, 5]);
  });

  it('reads a CSV saved with a BOM, and one in GBK as Chinese Excel saves it', async () => {
    const bom = await upload(utf8(hotlineCsv(dayOfCases(2, { prefix: 'GD20261202B', points })), true), 'mode=row');
    expect(bom.body.file.encoding).toBe('utf-8-bom');
    expect(bom.body.totals).toMatchObject({ accepted: 2, written: 2 });
    // the header would not be found if the BOM stuck to 工单编号
    expect(bom.body.file.columns[0]).toEqual({ header: '工单编号', field: 'caseNumber' });

    const records = dayOfCases(2, { prefix: 'GD20261202G', points });
    const res = await upload(gbk(hotlineCsv(records)), 'mode=row');
    expect(res.status).toBe(201);
    expect(res.body.file.encoding).toBe('gbk');
    expect(res.body.totals).toMatchObject({ accepted: 2, written: 2 });
    expect((await event(res.body.rows[0]!.eventId!)).description).toBe(records[0]!.诉求内容);
  });

  it('finds the place from the address text through the unified address', async () => {
    const household = (await server.store.get<{ address: string; microGridId: string }>('SELECT address, micro_grid_id AS "microGridId" FROM households ORDER BY address_code LIMIT 1 OFFSET 5'))!;
    const [record] = dayOfCases(1, { prefix: 'GD20261202D', points });
    const res = await upload(utf8(hotlineCsv([{ ...record, 事发地址: household.address, 经度: '', 纬度: '', 坐标系: '' }])), 'mode=row');
    expect(res.body.rows[0]).toMatchObject({ outcome: 'accepted', written: true });
    expect((await event(res.body.rows[0]!.eventId!)).microGridId).toBe(household.microGridId);
  });
});

describe('a file with one invalid row', () => {
  const records = (prefix: string): HotlineFileRecord[] => {
    const day = dayOfCases(4, { prefix, points });
    day[2] = { ...day[2]!, 坐标系: '', 来电时间: '昨天晚上' };
    return day;
  };

  it('all or nothing: nothing is written, and the report names the row and the column', async () => {
    const before = await storedCountsIn(server.store);
    const res = await upload(utf8(hotlineCsv(records('GD20261202F'))), 'mode=file');
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('refused');
    expect(res.body.totals).toMatchObject({ rows: 4, invalid: 1, accepted: 3, written: 0 });
    const bad = res.body.rows.find((r) => r.outcome === 'invalid')!;
    expect(bad).toMatchObject({ row: 4, caseNumber: 'GD20261202F00003', field: '来电时间', written: false });
    expect(bad.reason!['zh-CN']).toContain('来电时间');
    expect(bad.reason!['zh-CN']).toContain('坐标系');
    expect(bad.reason!.en).toContain('calledAt');
    expect(res.body.rows.filter((r) => r.outcome === 'accepted').every((r) => !r.written && r.eventId === undefined)).toBe(true);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('row by row: the other rows are written', async () => {
    const res = await upload(utf8(hotlineCsv(records('GD20261202R'))), 'mode=row');
    expect(res.body.status).toBe('written');
    expect(res.body.totals).toMatchObject({ rows: 4, invalid: 1, accepted: 3, written: 3 });
    expect(res.body.rows.find((r) => r.outcome === 'invalid')!.row).toBe(4);
    for (const r of res.body.rows.filter((x) => x.outcome === 'accepted')) expect((await event(r.eventId!)).status).not.toBe('not_admitted');
  });

  it('names a field the channel refuses (an unreadable phone) and a case number repeated in the file', async () => {
    const day = dayOfCases(3, { prefix: 'GD20261202V', points });
    day[0] = { ...day[0]!, '联系电话(脱敏)': '12ab' };
    day[2] = { ...day[2]!, 工单编号: day[1]!.工单编号 };
    const res = await upload(utf8(hotlineCsv(day)), 'mode=row', { lang: 'en' });
    expect(res.body.rows[0]).toMatchObject({ outcome: 'invalid', field: '联系电话(脱敏)' });
    expect(res.body.rows[1]).toMatchObject({ outcome: 'accepted', written: true });
    expect(res.body.rows[2]).toMatchObject({ outcome: 'invalid', field: '工单编号', reason: { code: 'duplicate_in_file' } });
    expect(res.body.rows[2]!.reason!.en).toContain('row 3');
  });
});

describe('re-importing', () => {
  it('accepts nothing twice and says so per row; a changed row is reported, not applied', async () => {
    const records = dayOfCases(3, { prefix: 'GD20261202I', points });
    const first = await upload(utf8(hotlineCsv(records)), 'mode=file');
    expect(first.body.totals.written).toBe(3);
    const before = await storedCountsIn(server.store);

    const again = await upload(utf8(hotlineCsv(records)), 'mode=file');
    expect(again.body.status).toBe('written');
    expect(again.body.totals).toMatchObject({ rows: 3, duplicate_of_earlier_import: 3, written: 0 });
    again.body.rows.forEach((r, i) => expect(r).toMatchObject({ outcome: 'duplicate_of_earlier_import', written: false, eventId: first.body.rows[i]!.eventId }));
    expect(again.body.rows[0]!.reason!['zh-CN']).toContain('此前已导入');

    const changed = await upload(utf8(hotlineCsv([{ ...records[0]!, 诉求内容: '改过的内容' }])), 'mode=row');
    expect(changed.body.rows[0]).toMatchObject({ outcome: 'duplicate_of_earlier_import', written: false, reason: { code: 'changed_since_import' }, eventId: first.body.rows[0]!.eventId });
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('an all-or-nothing import cut off midway is completed by importing the same file again', async () => {
    const records = dayOfCases(5, { prefix: 'GD20261202C', points });
    // the first two rows made it before the crash
    await upload(utf8(hotlineCsv(records.slice(0, 2))), 'mode=row');
    const rerun = await upload(utf8(hotlineCsv(records)), 'mode=file');
    expect(rerun.body.status).toBe('written');
    expect(rerun.body.totals).toMatchObject({ duplicate_of_earlier_import: 2, accepted: 3, written: 3 });
  });
});

describe('a town\'s dispatcher', () => {
  it('imports the rows of their town; a row in another town is invalid in the preview already, and never written', async () => {
    const token = await loginAs(server.url, 'demo-town-dispatcher');
    const me = await api<{ scope: { kind: string; towns: string[] } }>(server.url, '/api/v1/auth/me', { token });
    const own = me.body.scope.towns[0]!;
    const all = await Promise.all(Array.from({ length: 100 }, (_, i) => pointInCounty(server.url, i)));
    const inTown = all.find((p) => p.gridId.startsWith(own))!;
    const elsewhere = all.find((p) => !p.gridId.startsWith(own))!;
    const file = utf8(hotlineCsv(dayOfCases(2, { prefix: 'GD20261202S', points: [inTown, elsewhere] })));
    const preview = await upload(file, 'mode=file&dryRun=true', { token });
    expect(preview.body.rows.map((r) => r.outcome)).toEqual(['accepted', 'invalid']);
    expect(preview.body.rows[1]!.reason!.code).toBe('out_of_scope');
    const res = await upload(file, 'mode=row', { token });
    expect(res.body.totals).toMatchObject({ accepted: 1, invalid: 1, written: 1 });
    // their history holds their own imports only
    const list = await api<HotlineImportListResponse>(server.url, '/api/v1/hotline-imports', { token });
    expect(list.body.items.every((i) => i.by.displayName === list.body.items[0]!.by.displayName)).toBe(true);
    expect((await api(server.url, `/api/v1/hotline-imports/${(await api<HotlineImportListResponse>(server.url, '/api/v1/hotline-imports')).body.items.find((i) => i.by.userId !== res.body.by.userId)!.id}`, { token })).status).toBe(404);
  });
});

describe('not admitted and triaged rows', () => {
  it('records a matter outside the catalog as not admitted, with the body that receives it', async () => {
    const [record] = dayOfCases(1, { prefix: 'GD20261202N', points, category: '价格投诉' });
    const res = await upload(utf8(hotlineCsv([{ ...record, 诉求内容: '超市标价与结账价格不一致' }])), 'mode=row');
    const row = res.body.rows[0]!;
    expect(row).toMatchObject({ outcome: 'not_admitted', written: true });
    expect(row.receivingBody).toBeTruthy();
    expect(row.reason!['zh-CN']).toContain(row.receivingBody!);
    const stored = await event(row.eventId!);
    expect(stored.status).toBe('not_admitted');
    expect(stored.refusal!.receivingBody).toBe(row.receivingBody);
  });

  it('sends a row whose item the classifier is unsure of, or whose address does not resolve, to triage', async () => {
    const vague = '来电人反映有关情况，请相关部门核实处理。';
    const classified = await api<ClassifyResponse>(server.url, '/api/v1/classify', { method: 'POST', json: { text: `其他\n${vague}` } });
    // the premise of this test: below the threshold, a person decides
    expect(classified.body.suggestions[0]!.score).toBeLessThan(classified.body.threshold);
    const [a, b] = dayOfCases(2, { prefix: 'GD20261202T', points });
    const rows = [
      { ...a!, 诉求类别: '其他', 诉求内容: vague },
      { ...b!, 事发地址: '火星路 999 号', 经度: '', 纬度: '', 坐标系: '' },
    ];
    const preview = await upload(utf8(hotlineCsv(rows)), 'mode=file&dryRun=true');
    expect(preview.body.rows.map((r) => r.outcome)).toEqual(['triaged', 'triaged']);
    expect(preview.body.rows.every((r) => r.triageId === undefined)).toBe(true);

    const res = await upload(utf8(hotlineCsv(rows)), 'mode=file');
    expect(res.body.totals).toMatchObject({ triaged: 2, written: 2 });
    expect(res.body.rows[0]).toMatchObject({ outcome: 'triaged', reason: { code: 'item_uncertain' }, field: '诉求类别' });
    expect(res.body.rows[1]).toMatchObject({ outcome: 'triaged', reason: { code: 'address_unresolved' }, field: '事发地址' });
    const queue = await api<{ items: Array<{ id: string; channelId: string }> }>(server.url, '/api/v1/triage');
    for (const r of res.body.rows) expect(queue.body.items.find((i) => i.id === r.triageId)?.channelId).toBe(r.caseNumber);
  });
});

describe('the file as a whole', () => {
  it('refuses what it cannot read, with a clear message, and writes nothing', async () => {
    const before = await storedCountsIn(server.store);
    const noHeader = await upload(utf8('a,b,c\r\n1,2,3\r\n'), 'mode=file', { lang: 'en' });
    expect(noHeader.status).toBe(400);
    expect((noHeader.body as unknown as { error: { message: string; reason: string } }).error).toMatchObject({ reason: 'no_header' });
    const notUtf8NorGbk = await upload(Buffer.from([0x81, 0x20, 0xff, 0xfe, 0x81]), 'mode=file');
    expect(notUtf8NorGbk.status).toBe(400);
    const fakeXlsx = await upload(utf8('工单编号,诉求内容\r\n1,2\r\n'), 'mode=file', { type: XLSX });
    expect((fakeXlsx.body as unknown as { error: { reason: string } }).error.reason).toBe('xlsx');
    const pdf = await upload(Buffer.from('%PDF-1.4'), 'mode=file', { type: 'application/pdf' });
    expect(pdf.status).toBe(415);
    const badMode = await upload(utf8(hotlineCsv(dayOfCases(1, { prefix: 'GD20261202M', points }))), 'mode=all');
    expect(badMode.status).toBe(400);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('is for people: the hotline platform\'s own API key is refused before the file is read; a wall display may not', async () => {
    const before = await storedCountsIn(server.store);
    const body = utf8(hotlineCsv(dayOfCases(1, { prefix: 'GD20261202K', points })));
    const keyed = await api<{ error: { message: string } }>(server.url, '/api/v1/hotline-imports?mode=row', {
      method: 'POST',
      anonymous: true,
      body,
      headers: { 'content-type': CSV, 'x-api-key': demoChannelKey('hotline', DEMO_PASSWORD) },
    });
    expect(keyed.status).toBe(403);
    expect(keyed.body.error.message).toContain('/api/v1/intake/hotline');
    expect((await upload(body, 'mode=row', { token: await loginAs(server.url, 'demo-wall') })).status).toBe(403);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('keeps the report for the history, downloadable as CSV and XLSX, and audits one record per import', async () => {
    const res = await upload(utf8(hotlineCsv(dayOfCases(2, { prefix: 'GD20261202H', points }))), 'mode=row&progress=test-progress-1');
    const list = await api<HotlineImportListResponse>(server.url, '/api/v1/hotline-imports');
    expect(list.body.items[0]).toMatchObject({ id: res.body.id, status: 'written', totals: { accepted: 2 } });
    const again = await api<HotlineImportReport>(server.url, `/api/v1/hotline-imports/${res.body.id}`);
    expect(again.body.rows).toEqual(res.body.rows);
    const progress = await api<HotlineImportProgress>(server.url, '/api/v1/hotline-imports/progress/test-progress-1');
    expect(progress.body).toEqual({ phase: 'done', done: 2, total: 2 });

    const download = async (format: string) => {
      const answer = await fetch(new URL(`/api/v1/hotline-imports/${res.body.id}/report?format=${format}`, server.url), { headers: { authorization: `Bearer ${server.token}` } });
      return { type: answer.headers.get('content-type'), bytes: Buffer.from(await answer.arrayBuffer()) };
    };
    const csv = await download('csv');
    expect(csv.type).toContain('text/csv');
    // with a BOM, so that Excel in China opens it as UTF-8
    expect(csv.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.bytes.toString('utf8')).toContain('行号,工单编号,结果');
    expect(csv.bytes.toString('utf8')).toContain('GD20261202H00001');
    expect((await download('xlsx')).bytes.subarray(0, 2).toString()).toBe('PK');

    const audit = await api<AuditListResponse>(server.url, '/api/v1/audit?action=hotline:import&pageSize=5', { token: await loginAs(server.url, 'demo-auditor') });
    const record = audit.body.items.find((r) => r.objectId === res.body.id);
    expect(record).toMatchObject({ result: 'success', username: 'demo-dispatcher' });
    expect(record!.details).toMatchObject({ mode: 'row', status: 'written', totals: { accepted: 2, written: 2 } });
  });
});
