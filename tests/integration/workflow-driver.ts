import type { LoginResponse } from '../../shared/contracts/auth.js';
import type { CatalogItem, CatalogResponse } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventIntake, EventRecord, Urgency } from '../../shared/contracts/events.js';
import type { HealthResponse } from '../../shared/contracts/health.js';
import type { ActionRequest, ActionResult, TimelineResponse } from '../../shared/contracts/workflow.js';
import type { Clock } from '../../server/src/core/clock.js';
import { api, intakeAt, login } from './harness.js';

/** A clock the test moves by hand: deadlines and the monitor see exactly this time. */
export class TestClock implements Clock {
  constructor(public at: number) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
  set(at: Date): void {
    this.at = at.getTime();
  }
}

/** A logged-in demo user: token, id and team. */
export interface Who {
  username: string;
  token: string;
  userId: string;
  teamId: string | null;
  towns: string[] | null;
}

export async function as(base: string, username: string): Promise<Who> {
  const res = await login(base, username);
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const { user, token } = res.body as LoginResponse;
  return { username, token, userId: user.id, teamId: user.teamId, towns: user.scope.kind === 'towns' ? user.scope.towns : null };
}

export const catalogOf = async (base: string, who?: Who): Promise<CatalogResponse> => (await api<CatalogResponse>(base, '/api/v1/catalog', { token: who?.token })).body;

/** The first item (and an urgency of it) that fits, or a clear failure naming what was looked for. */
export function pick(catalog: CatalogResponse, what: string, fits: (item: CatalogItem, urgency: Urgency) => boolean): { item: CatalogItem; urgency: Urgency } {
  for (const item of catalog.items) for (const urgency of item.urgencies) if (fits(item, urgency)) return { item, urgency };
  throw new Error(`the demo catalog has no item that is ${what}`);
}

/** Machine dispatch does not apply at this urgency: the case waits for a dispatcher. */
export const manual = (item: CatalogItem, urgency: Urgency) => !item.autoDispatch?.urgencies.includes(urgency);

/** A point inside a micro-grid of the town (and optionally the village), with its ids. */
export async function pointIn(base: string, townId: string, nth = 0, villageId?: string): Promise<{ lon: number; lat: number; microGridId: string; gridId: string }> {
  const { body } = await api<{ features: Array<{ properties: { id: string; parentId: string; labelLon: number; labelLat: number } }> }>(base, '/api/v1/geo/microgrid');
  const inside = body.features.filter((f) => f.properties.parentId.startsWith(villageId ?? townId));
  const f = inside[nth % inside.length]?.properties;
  if (!f) throw new Error(`no micro-grid in ${villageId ?? townId}`);
  return { lon: f.labelLon, lat: f.labelLat, microGridId: f.id, gridId: f.parentId };
}

/** Towns of the county, in code order. */
export async function towns(base: string): Promise<string[]> {
  const { body } = await api<{ features: Array<{ properties: { id: string; code: string } }> }>(base, '/api/v1/geo/town');
  return body.features.map((f) => f.properties).sort((a, b) => (a.code < b.code ? -1 : 1)).map((p) => p.id);
}

export async function report(base: string, who: Who, body: EventIntake) {
  return api<EventCreated & ApiError>(base, '/api/v1/events', { method: 'POST', json: body, token: who.token });
}

/** Reports an event of the item at the point and expects it stored; returns the case. */
export async function reported(base: string, who: Who, item: { item: CatalogItem; urgency: Urgency }, at: { lon: number; lat: number }, extra: Partial<EventIntake> = {}): Promise<EventRecord> {
  const res = await report(base, who, intakeAt(item.item.code, { lon: at.lon, lat: at.lat }, { urgency: item.urgency, ...extra }));
  if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.event;
}

export async function act(base: string, who: Who, id: string, body: ActionRequest | Record<string, unknown>) {
  return api<ActionResult & ApiError>(base, `/api/v1/events/${id}/actions`, { method: 'POST', json: body, token: who.token });
}

/** Does the action and expects it to succeed; returns the case after it. */
export async function done(base: string, who: Who, id: string, body: ActionRequest): Promise<ActionResult> {
  const res = await act(base, who, id, body);
  if (res.status !== 200) throw new Error(`${who.username} ${body.action} on ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function getEvent(base: string, who: Who, id: string): Promise<EventRecord> {
  return (await api<EventRecord>(base, `/api/v1/events/${id}`, { token: who.token })).body;
}

export async function timelineOf(base: string, who: Who, id: string) {
  return api<TimelineResponse & ApiError>(base, `/api/v1/events/${id}/timeline`, { token: who.token });
}

export async function lastSeq(base: string): Promise<number> {
  return (await api<HealthResponse>(base, '/api/v1/health')).body.seq;
}
