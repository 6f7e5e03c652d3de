import type { CatalogItem, CatalogResponse } from '../../../../shared/contracts/catalog.js';
import { EVENT_ID_PATTERN, OPEN_STATUSES, type EventRecord, type EventStatus, type Urgency } from '../../../../shared/contracts/events.js';
import {
  OPEN311_ATTRIBUTE_CODE,
  OPEN311_MAX_ROWS,
  OPEN311_MAX_WINDOW_DAYS,
  type Open311Attribute,
  type Open311Created,
  type Open311Post,
  type Open311Request,
  type Open311RequestsQuery,
  type Open311Service,
  type Open311ServiceDefinition,
  type Open311TokenAnswer,
  type Open311Update,
} from '../../../../shared/contracts/open311.js';
import type { PublicReportStep } from '../../../../shared/contracts/public-report.js';
import { PUBLIC_STEP_LABELS, URGENCY_LABELS } from '../../../../shared/domain/labels.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError } from '../../http/errors.js';
import { t, type Lang } from '../../http/messages.js';
import type { Principal, RequestContext } from '../auth/auth.service.js';
import type { EventsRepo } from '../events/events.repo.js';
import type { PublicRequestInput, PublicRequests } from './public-requests.js';
import type { PublicRequestsRepo } from './public-requests.repo.js';
import { namesOf, publicText } from './public-view.js';

/** What Open311 reads of the catalog: the active items, and an item as the version a case was taken in under defines it. */
export interface Open311Catalog {
  active(): CatalogResponse;
  activeItem(code: string): CatalogItem | null;
  itemOf(version: number, code: string): CatalogItem | null;
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** States whose case needs nothing more: Open311 `closed`. */
const CLOSED_STATUSES: readonly EventStatus[] = ['closed', 'rejected', 'void', 'not_admitted'];
const FINAL_STEPS = new Set(['closed', 'not_admitted']);

/** W3C date-time in China Standard Time (`2026-12-03T09:30:00+08:00`): the county's own clock, as Open311 clients show it. */
export function w3c(iso: string): string {
  return `${new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** `2026-12-05 17:30`, China time, for notices. */
function chinaMinute(iso: string): string {
  return new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Open311 GeoReport v2 over the one intake: services from the active catalog, requests through
 * PublicRequests (channel `open311`), and the public view of residents' reports (source
 * `citizen_app`: Open311, the resident page, the mini-program). Cases from other sources (grid
 * patrols, the hotline, video, police, petitions) are not public and are not listed.
 */
export class Open311Api {
  constructor(
    private readonly deps: {
      catalog: Open311Catalog;
      events: Pick<EventsRepo, 'get'>;
      repo: PublicRequestsRepo;
      requests: PublicRequests;
      clock: Clock;
    },
  ) {}

  services(lang: Lang): Open311Service[] {
    return this.deps.catalog.active().items.map((item) => ({
      service_code: item.code,
      service_name: lang === 'en' ? item.nameEn : item.name,
      description: lang === 'en' ? `${item.nameEn} (${item.categoryNameEn}); responsible: ${item.department}` : `${item.name}（${item.categoryName}），责任部门：${item.department}`,
      metadata: attributesOf(item, lang).length > 0,
      type: 'realtime',
      keywords: item.keywords?.length ? item.keywords.join(',') : null,
      group: lang === 'en' ? item.categoryNameEn : item.categoryName,
    }));
  }

  /** The service definition of an active item; 404 for any other code. */
  definition(code: string, lang: Lang): Open311ServiceDefinition {
    const item = this.deps.catalog.activeItem(code);
    if (!item) throw new ApiHttpError(404, 'not_found', 'error.open311_unknown_service', [], { code });
    return { service_code: item.code, attributes: attributesOf(item, lang) };
  }

  /**
   * A new request through the one intake. A service code outside the active catalog is what the
   * loop does with any matter outside the list: recorded as not admitted, referred to its
   * receiving body, answered 201 with a notice saying so.
   */
  async create(post: Open311Post, principal: Principal, ctx: RequestContext, lang: Lang, idempotencyKey: string | null): Promise<Open311Created[]> {
    const item = this.deps.catalog.activeItem(post.service_code);
    const urgency = urgencyOf(post.attribute ?? {}, item);
    const name = [post.last_name, post.first_name].filter(Boolean).join('');
    const input: PublicRequestInput = {
      itemCode: post.service_code,
      description: post.description,
      location: locationOf(post),
      channel: 'open311',
      ...(urgency ? { urgency } : {}),
      ...(name || post.phone ? { reporter: { ...(name ? { name: name.slice(0, 64) } : {}), ...(post.phone ? { phone: post.phone } : {}) } } : {}),
    };
    const clientData = Object.fromEntries(
      Object.entries({ account_id: post.account_id, email: post.email, device_id: post.device_id, media_url: post.media_url, attribute: post.attribute }).filter(([, v]) => v !== undefined),
    );
    const { id, token, created } = await this.deps.requests.submit(input, ctx, {
      principal,
      clientData,
      ...(idempotencyKey ? { idempotencyKey: `open311:${principal.apiKeyId ?? principal.user.id}:${idempotencyKey}` } : {}),
    });
    const event = created.event;
    const notice =
      event.status === 'not_admitted'
        ? t(lang, 'open311.notice.not_admitted', { body: event.refusal?.receivingBody ?? '' })
        : t(lang, 'open311.notice.admitted', { item: event.itemName, body: this.agency(event) ?? '', due: event.dueAt ? chinaMinute(event.dueAt) : '—' });
    return [{ service_request_id: id, token, service_notice: notice, account_id: post.account_id ?? null }];
  }

  /** `GET requests`: residents' reports received in the window, newest first, at most 1,000. */
  async list(query: Open311RequestsQuery, lang: Lang): Promise<Open311Request[]> {
    if (query.service_request_id) return this.requests(await this.publicCases(query.service_request_id), lang);
    const { from, to } = this.window(query.start_date, query.end_date);
    const statuses = query.status && query.status.length === 1 ? (query.status[0] === 'closed' ? CLOSED_STATUSES : OPEN_STATUSES) : null;
    const ids = await this.deps.repo.citizenReportIds({ from, to, itemCodes: query.service_code ?? null, statuses, limit: OPEN311_MAX_ROWS });
    return this.requests(await this.publicCases(ids), lang);
  }

  /** `GET requests/{id}`: an array of one; 404 for an id that is not a resident's report. */
  async one(id: string, lang: Lang): Promise<Open311Request[]> {
    const [event] = await this.publicCases([id]);
    if (!event) throw new ApiHttpError(404, 'not_found', 'error.open311_not_found', [], { what: id });
    return [await this.request(event, lang)];
  }

  async token(token: string): Promise<Open311TokenAnswer[]> {
    const row = await this.deps.repo.byToken(token);
    if (!row) throw new ApiHttpError(404, 'not_found', 'error.open311_not_found', [], { what: 'token' });
    return [{ service_request_id: row.eventId, token: row.token }];
  }

  /** `GET servicerequestupdates`: each public step of residents' reports taken in the window, oldest first, at most 1,000. */
  async updates(startDate: string | undefined, endDate: string | undefined, lang: Lang): Promise<Open311Update[]> {
    const { from, to } = this.window(startDate, endDate);
    const updates: (Open311Update & { at: string })[] = [];
    for (const id of await this.deps.repo.citizenReportsChangedBetween(from, to, OPEN311_MAX_ROWS)) {
      const event = (await this.deps.events.get(id))!;
      const steps = await this.deps.requests.steps(event);
      for (const step of steps) {
        if (step.at < from || step.at > to) continue;
        updates.push({
          at: step.at,
          update_id: `${event.id}-${step.step}`,
          service_request_id: event.id,
          status: FINAL_STEPS.has(step.step) ? 'closed' : 'open',
          updated_datetime: w3c(step.at),
          description: stepWords(step, lang),
          media_url: null,
        });
      }
    }
    return updates
      // stable: steps of one instant (received, filed and dispatched by the machine at intake) keep the loop's order
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(0, OPEN311_MAX_ROWS)
      .map(({ at: _at, ...u }) => u);
  }

  /**
   * The window `[from, to]` of a list (both ends included, as the spec's dates are): the last 90
   * days by default; one end given, 90 days from or to it; both, at most 90 days apart (400
   * otherwise, and when end is not after start).
   */
  private window(start: string | undefined, end: string | undefined): { from: string; to: string } {
    const span = OPEN311_MAX_WINDOW_DAYS * DAY_MS;
    const endMs = end ? Date.parse(end) : start ? Date.parse(start) + span : this.deps.clock.now().getTime();
    const startMs = start ? Date.parse(start) : endMs - span;
    if (endMs <= startMs || endMs - startMs > span) {
      throw new ApiHttpError(400, 'invalid_query', 'error.open311_window', [{ field: end ? 'end_date' : 'start_date', code: 'invalid' }]);
    }
    return { from: new Date(startMs).toISOString(), to: new Date(endMs).toISOString() };
  }

  /** Those of the cases that are residents' reports (source `citizen_app`), in this order: only those are public. */
  private async publicCases(ids: readonly string[]): Promise<EventRecord[]> {
    const out: EventRecord[] = [];
    for (const id of ids) {
      if (!EVENT_ID_PATTERN.test(id)) continue;
      const event = await this.deps.events.get(id);
      if (event && event.source === 'citizen_app') out.push(event);
    }
    return out;
  }

  /** The requests of these cases, in this order. */
  private async requests(events: readonly EventRecord[], lang: Lang): Promise<Open311Request[]> {
    const out: Open311Request[] = [];
    for (const event of events) out.push(await this.request(event, lang));
    return out;
  }

  private async request(event: EventRecord, lang: Lang): Promise<Open311Request> {
    const mediaUrl = await this.mediaUrl(event.id);
    const steps = await this.deps.requests.steps(event);
    const last = steps.at(-1);
    const closed = last !== undefined && FINAL_STEPS.has(last.step);
    const item = this.deps.catalog.itemOf(event.catalogVersion, event.itemCode);
    return {
      service_request_id: event.id,
      status: closed ? 'closed' : 'open',
      status_notes: last ? stepWords(last, lang) : null,
      service_name: lang === 'en' && item ? item.nameEn : event.itemName,
      service_code: event.itemCode,
      description: publicText(event.description, namesOf(event, [])),
      agency_responsible: this.agency(event),
      service_notice: null,
      requested_datetime: w3c(event.reportedAt),
      updated_datetime: w3c(closed ? (event.closedAt ?? last.at) : event.updatedAt),
      expected_datetime: event.dueAt ? w3c(event.dueAt) : null,
      address: event.address,
      address_id: event.addressCode,
      zipcode: null,
      lat: event.location.lat,
      long: event.location.lon,
      media_url: mediaUrl,
    };
  }

  /** The body that answers for the case: the item's responsible department, or where a matter not admitted was referred. Never a person or a team. */
  private agency(event: EventRecord): string | null {
    if (event.refusal) return event.refusal.receivingBody;
    return this.deps.catalog.itemOf(event.catalogVersion, event.itemCode)?.department ?? null;
  }

  /** The picture an Open311 client linked when it reported (residents' uploaded photos stay inside). */
  private async mediaUrl(eventId: string): Promise<string | null> {
    const url = (await this.deps.repo.clientData(eventId))?.media_url;
    return typeof url === 'string' ? url : null;
  }
}

/**
 * Attributes a service asks for: its urgency, when the item has more than one (the only thing a
 * reporter adds that changes how the case is handled: its time limits). Everything else a
 * resident knows goes into the description.
 */
function attributesOf(item: CatalogItem, lang: Lang): Open311Attribute[] {
  if (item.urgencies.length < 2) return [];
  const label = (u: Urgency) => URGENCY_LABELS[u][lang];
  return [
    {
      variable: true,
      code: 'urgency',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: null,
      order: 1,
      description:
        lang === 'en' ? `How urgent is it? Without an answer it is taken as "${label(item.defaultUrgency)}".` : `紧急程度（不选则按“${label(item.defaultUrgency)}”受理）`,
      values: item.urgencies.map((u) => ({ key: u, name: label(u) })),
    },
  ];
}

/** The urgency an `attribute[urgency]` chose, checked against the item's definition (400 for unknown attributes or values). */
function urgencyOf(attributes: Record<string, string | string[]>, item: CatalogItem | null): Urgency | undefined {
  const defined = item ? attributesOf(item, 'zh-CN') : [];
  for (const code of Object.keys(attributes)) {
    if (!OPEN311_ATTRIBUTE_CODE.test(code) || !defined.some((a) => a.code === code)) {
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: `attribute[${code}]`, code: 'unknown_field' }]);
    }
  }
  const value = attributes.urgency;
  if (value === undefined) return undefined;
  const allowed = item!.urgencies as readonly string[];
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'attribute[urgency]', code: 'not_allowed', params: { allowed: allowed.join(', ') } }]);
  }
  return value as Urgency;
}

/** The one location of a request: lat+long first, then address_id, then address_string; 400 without any, or with half a point. */
function locationOf(post: Open311Post): PublicRequestInput['location'] {
  if (post.lat !== undefined && post.long !== undefined) return { lon: post.long, lat: post.lat, ...(post.crs ? { crs: post.crs } : {}) };
  if (post.lat !== undefined || post.long !== undefined) {
    throw new ApiHttpError(400, 'invalid_body', 'error.open311_location_required', [{ field: post.lat === undefined ? 'lat' : 'long', code: 'required' }]);
  }
  if (post.address_id) return { addressCode: post.address_id };
  if (post.address_string) return { addressText: post.address_string };
  throw new ApiHttpError(400, 'invalid_body', 'error.open311_location_required', [{ field: 'lat', code: 'required' }]);
}

/** A public step in words: the step's label, the receiving body of a matter not admitted, the result of a closed one. */
function stepWords(step: PublicReportStep, lang: Lang): string {
  const label = PUBLIC_STEP_LABELS[step.step][lang];
  const sep = lang === 'en' ? ': ' : '：';
  if (step.step === 'not_admitted' && step.receivingBody) return `${label}${sep}${lang === 'en' ? 'referred to ' : '已转交'}${step.receivingBody}`;
  if (step.step === 'closed' && step.result) return `${label}${sep}${step.result}`;
  return label;
}
