import { describe, expect, it } from 'vitest';
import type { CatalogItem, CatalogItemInput, CatalogResponse, CatalogVersionDetail } from '../../shared/contracts/catalog.js';
import type { EventCreated } from '../../shared/contracts/events.js';
import { api, cleanupAfterAll, intakeAt, loginAs, pointInCounty, startTestServer } from './harness.js';

/**
 * The catalog with two server nodes on one database: each serves its reads from a snapshot, and
 * a version approved on one node is in force on the other from its very next request (the
 * request's check of the active version's number), for the catalog route and for an intake alike.
 */

const { tempDir, later } = cleanupAfterAll();

const input = ({ handleLimit: _derived, ...item }: CatalogItem): CatalogItemInput => structuredClone(item);

describe('the catalog on several nodes', () => {
  it("serves a version approved on one node from the other node's next request", async () => {
    const dataDir = tempDir();
    const config = { changeFeed: { mode: 'tail' as const, pollMs: 3_600_000 } };
    const a = await startTestServer({ dataDir, config });
    later(() => a.stop());
    const b = await startTestServer({ dataDir, config });
    later(() => b.stop());

    const before = (await api<CatalogResponse>(b.url, '/api/v1/catalog')).body;
    const [retired, kept] = [before.items[0]!, before.items[1]!];
    const lead = await loginAs(a.url, 'demo-lead');
    const approver = await loginAs(a.url, 'demo-approver');
    const draft = await api<CatalogVersionDetail>(a.url, '/api/v1/catalog/versions', { method: 'POST', token: lead, json: { note: '去掉一项', items: before.items.slice(1).map(input), referrals: before.referrals } });
    expect(draft.status).toBe(201);
    // a draft changes nothing that is served
    expect((await api<CatalogResponse>(b.url, '/api/v1/catalog')).body.version).toBe(before.version);
    const approved = await api<CatalogVersionDetail>(a.url, `/api/v1/catalog/versions/${draft.body.version}/approve`, { method: 'POST', token: approver });
    expect(approved.status).toBe(200);

    const after = (await api<CatalogResponse>(b.url, '/api/v1/catalog')).body;
    expect(after.version).toBe(draft.body.version);
    expect(after.items.map((i) => i.code)).not.toContain(retired.code);
    const { lon, lat } = await pointInCounty(b.url, 0);
    const created = await api<EventCreated>(b.url, '/api/v1/events', { method: 'POST', json: intakeAt(kept.code, { lon, lat }, { description: '乙节点受理' }) });
    expect(created.status).toBe(201);
    expect(created.body.event.catalogVersion).toBe(draft.body.version);
  });
});
