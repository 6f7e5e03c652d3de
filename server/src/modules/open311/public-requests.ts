import { randomBytes } from 'node:crypto';
import type { EventCreated, EventIntake, EventRecord, Urgency } from '../../../../shared/contracts/events.js';
import type { PublicReportStatus, PublicReportStep } from '../../../../shared/contracts/public-report.js';
import { PUBLIC_ACCOUNT_ID } from '../../db/migration-open311.js';
import { ApiHttpError } from '../../http/errors.js';
import type { Principal, RequestContext } from '../auth/auth.service.js';
import type { UsersRepo } from '../auth/users.repo.js';
import type { EventsRepo } from '../events/events.repo.js';
import type { EventsService, IntakeCatalog } from '../events/events.service.js';
import type { Actor } from '../events/workflow.service.js';
import type { PublicChannel, PublicRequestsRepo } from './public-requests.repo.js';
import { publicStatus, publicSteps } from './public-view.js';

/** Unified address search (统一地址), as intake by address text needs it: the one household the text names, or null. */
export interface AddressResolver {
  resolve(text: string): Promise<{ code: string } | null>;
}

/** A report from the public: a resident on `/report`, or an Open311 client. */
export interface PublicRequestInput {
  itemCode: string;
  description: string;
  location: { lon: number; lat: number; crs?: 'wgs84' | 'gcj02' | 'bd09' } | { addressCode: string } | { addressText: string };
  /** Photos uploaded first as the public account (resident page). */
  attachments?: { id: string; name: string }[];
  reporter?: { name?: string; phone?: string };
  channel: PublicChannel;
  /** An item's urgency when the reporter chose it (Open311 `attribute[urgency]`); otherwise the item's default. */
  urgency?: Urgency;
}

/** What a channel submits beyond the report: who (an Open311 key), its retry key, what to keep for the staff. */
export interface PublicSubmitOptions {
  /** The Open311 client's key principal; the resident page acts as the public account. */
  principal?: Principal;
  /** A retry key of the channel's own (already prefixed by the caller, e.g. `open311:<keyId>:<key>`). */
  idempotencyKey?: string;
  /** Kept with the token for the staff, never shown publicly (Open311 account_id, email, device_id, media_url, attributes). */
  clientData?: Record<string, unknown>;
}

/** Anonymous reports still carry a reporter name: the case's reporter line says which door it came through. */
const ANONYMOUS: Record<PublicChannel, string> = { open311: '匿名（Open311）', resident: '匿名群众' };

/** Urgency of a matter outside the catalog: it is recorded, not admitted, and has no clock. */
const NOT_ADMITTED_URGENCY: Urgency = 'P2';

/**
 * The one door for the public (Open311 GeoReport v2 and the resident page `/report`): turns a
 * report into the one intake (source `citizen_app`, the channel named in the intake's details)
 * and gives it a tracking token in the same transaction; reads back only the public steps of
 * the loop by that token.
 */
export class PublicRequests {
  constructor(
    private readonly deps: {
      intake: Pick<EventsService, 'intake'>;
      events: Pick<EventsRepo, 'get' | 'timeline'>;
      catalog: Pick<IntakeCatalog, 'activeItem'>;
      repo: PublicRequestsRepo;
      users: Pick<UsersRepo, 'byId'>;
      addresses: AddressResolver;
    },
  ) {}

  /**
   * The built-in account the anonymous resident channel acts as (migration 14): cases, photo
   * uploads and audit records of the resident page name it. It cannot log in and no key of it
   * opens anything (disabled, no password); only this in-process actor uses it.
   */
  async publicActor(ctx: RequestContext): Promise<Actor> {
    const user = await this.deps.users.byId(PUBLIC_ACCOUNT_ID);
    if (!user) throw new Error(`the built-in account ${PUBLIC_ACCOUNT_ID} is missing (migration 14)`);
    return { principal: { user, session: null, apiKey: false, apiKeyId: null, apiKeyChannel: null, mustChangePassword: false }, ctx };
  }

  /**
   * Records a public report through the one intake and returns its id, tracking token and the
   * intake's answer. An item outside the active catalog is recorded as not admitted (with its
   * receiving body), like any intake. With an idempotency key, a retry of the same report answers
   * the first id and token and stores nothing; another report under the same key → 422
   * `idempotency_conflict`.
   */
  async submit(input: PublicRequestInput, ctx: RequestContext, opts: PublicSubmitOptions = {}): Promise<{ id: string; token: string; created: EventCreated }> {
    const actor: Actor = opts.principal ? { principal: opts.principal, ctx } : await this.publicActor(ctx);
    const item = this.deps.catalog.activeItem(input.itemCode);
    const intake: EventIntake = {
      itemCode: input.itemCode,
      description: input.description,
      location: await this.location(input.location),
      source: 'citizen_app',
      urgency: input.urgency ?? item?.defaultUrgency ?? NOT_ADMITTED_URGENCY,
      reporter: { name: input.reporter?.name ?? ANONYMOUS[input.channel], ...(input.reporter?.phone ? { phone: input.reporter.phone } : {}) },
      ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    };
    let token: string | null = null;
    const { created, replayed } = await this.deps.intake.intake(intake, opts.idempotencyKey ?? null, actor, {
      channel: input.channel,
      within: async (eventId, at) => {
        token = newToken();
        await this.deps.repo.insert({ token, eventId, channel: input.channel, apiKeyId: actor.principal.apiKeyId, clientData: opts.clientData ?? {}, createdAt: at.toISOString() });
      },
    });
    if (replayed) token = (await this.deps.repo.byEvent(created.id))?.token ?? null;
    // a replayed key of a report made elsewhere (the same key through /api/v1/events) has no token
    if (token === null) throw new ApiHttpError(422, 'idempotency_conflict', 'error.idempotency_conflict', [], { key: opts.idempotencyKey });
    return { id: created.id, token, created };
  }

  /** The public status of the report behind a token; null for a token nobody was given. */
  async status(token: string): Promise<PublicReportStatus | null> {
    const row = await this.deps.repo.byToken(token);
    const event = row ? await this.deps.events.get(row.eventId) : null;
    if (!row || !event) return null;
    const steps = await this.steps(event);
    return { token, itemName: event.itemName, category: event.category, submittedAt: event.reportedAt, status: publicStatus(steps), steps };
  }

  /** The public steps of a case, oldest first (a merged case's continue with its master's). */
  async steps(event: EventRecord): Promise<PublicReportStep[]> {
    const { events } = this.deps;
    const master = event.masterId ? await events.get(event.masterId) : null;
    return publicSteps(event, await events.timeline(event.id), master ? { event: master, entries: await events.timeline(master.id) } : null);
  }

  private async location(location: PublicRequestInput['location']): Promise<EventIntake['location']> {
    if (!('addressText' in location)) return location;
    const found = await this.deps.addresses.resolve(location.addressText);
    if (!found) {
      throw new ApiHttpError(422, 'unknown_address', 'error.unknown_address_text', [{ field: 'location.addressText', code: 'unknown_address_text' }], { text: location.addressText });
    }
    return { addressCode: found.code };
  }
}

/** 192 random bits, URL-safe: 32 characters nobody can guess (publicTokenSchema). */
function newToken(): string {
  return randomBytes(24).toString('base64url');
}
