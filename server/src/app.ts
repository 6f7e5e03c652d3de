import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { Server } from 'socket.io';
import type { Db } from './db/connection.js';
import { GroupCommit } from './db/group-commit.js';
import { Store } from './db/store.js';
import type { ServerConfig } from './config.js';
import { Bus } from './core/bus.js';
import type { Clock } from './core/clock.js';
import { ApiHttpError } from './http/errors.js';
import { frameworkErrors, installErrorHandling, requestLang } from './http/error-handler.js';
import { clientErrorHandler, installJsonBodyParser, requestTimeoutOptions } from './http/request-body.js';
import { CountyArea } from './modules/geo/county-area.js';
import { installCors, installSecurityHeaders } from './http/security-headers.js';
import { CatalogRepo } from './modules/catalog/catalog.repo.js';
import { registerCatalogRoutes } from './modules/catalog/catalog.routes.js';
import { CatalogService } from './modules/catalog/catalog.service.js';
import { SettingsRepo } from './modules/settings/settings.repo.js';
import { registerSettingsRoutes } from './modules/settings/settings.routes.js';
import { SettingsService } from './modules/settings/settings.service.js';
import { EventsRepo } from './modules/events/events.repo.js';
import { EventsService } from './modules/events/events.service.js';
import { CaseWriter } from './modules/events/case-writer.js';
import { ChangeFeed } from './modules/events/change-feed.js';
import { joinNodes } from './http/socket-nodes.js';
import { WorkflowService } from './modules/events/workflow.service.js';
import { DeadlineMonitor } from './modules/events/deadline-monitor.js';
import { registerEventRoutes } from './modules/events/events.routes.js';
import { registerEventSocket, type GridServer, type SocketData } from './modules/events/events.socket.js';
import { watchSendBudget } from './http/socket-send-budget.js';
import { RegionLocator } from './modules/geo/locator.js';
import { registerHealthRoutes } from './modules/health/health.routes.js';
import fastifyRateLimit from '@fastify/rate-limit';
import { AuditRepo } from './modules/audit/audit.repo.js';
import { registerAuditRoutes } from './modules/audit/audit.routes.js';
import { anchorPaths, AuditAnchorWriter } from './modules/audit/audit-anchor-writer.js';
import { auditActor, installAuth, rateLimitKey, requestContext } from './modules/auth/auth.plugin.js';
import { DenialLog } from './modules/auth/denial-log.js';
import { originAllowed, ownOrigins } from './http/origins.js';
import { clientAddresses } from './http/client-address.js';
import { registerAuthRoutes } from './modules/auth/auth.routes.js';
import { AuthService, who } from './modules/auth/auth.service.js';
import { UsersRepo } from './modules/auth/users.repo.js';
import { registerUserRoutes } from './modules/auth/users.routes.js';
import { RegionIndex } from './modules/regions/region-index.js';
import { registerAssignmentRoutes } from './modules/assignments/assignments.routes.js';
import { registerDeliberationRoutes } from './modules/deliberation/deliberation.routes.js';
import { DeliberationRepo } from './modules/deliberation/deliberation.repo.js';
import { DeliberationService } from './modules/deliberation/deliberation.service.js';
import { ForwardedRepo } from './modules/forwarding/forwarded.repo.js';
import { registerForwardedRoutes } from './modules/forwarding/forwarded.routes.js';
import { ForwardedService } from './modules/forwarding/forwarded.service.js';
import { Forwarder } from './modules/forwarding/forwarder.js';
import { AssignmentsService } from './modules/assignments/assignments.service.js';
import { RegionsRepo } from './modules/regions/regions.repo.js';
import { registerRegionRoutes } from './modules/regions/regions.routes.js';
import { TileService } from './modules/tiles/tile-service.js';
import { TilesRepo } from './modules/tiles/tiles.repo.js';
import { registerTileRoutes } from './modules/tiles/tiles.routes.js';
import { TeamsRepo } from './modules/teams/teams.repo.js';
import { registerTeamRoutes } from './modules/teams/teams.routes.js';
import { TeamsLive } from './modules/teams/teams-live.js';
import { registerTeamSocket } from './modules/teams/teams.socket.js';
import { AlertsRepo } from './modules/alerts/alerts.repo.js';
import { AlertsService } from './modules/alerts/alerts.service.js';
import { registerAlertRoutes } from './modules/alerts/alerts.routes.js';
import { registerAlertSocket } from './modules/alerts/alerts.socket.js';
import { TeamMembersRepo } from './modules/dispatch/dispatch.repo.js';
import { DispatchRecommender } from './modules/dispatch/dispatch.service.js';
import { registerDispatchRoutes } from './modules/dispatch/dispatch.routes.js';
import { KpiRepo } from './modules/kpi/kpi.repo.js';
import { AttachmentStore } from './modules/attachments/attachment-store.js';
import { AttachmentsRepo } from './modules/attachments/attachments.repo.js';
import { AttachmentsService } from './modules/attachments/attachments.service.js';
import { registerAttachmentRoutes } from './modules/attachments/attachments.routes.js';
import { registerWorkerRoutes } from './modules/workforce/workers.routes.js';
import { WorkersRepo } from './modules/workforce/workers.repo.js';
import { ActivityRepo } from './modules/workforce/activity.repo.js';
import { registerActivityRoutes } from './modules/workforce/activity.routes.js';
import { ActivityService } from './modules/workforce/activity.service.js';
import { registerKpiRoutes } from './modules/kpi/kpi.routes.js';
import { AssessmentRepo } from './modules/assessment/assessment.repo.js';
import { registerAssessmentRoutes } from './modules/assessment/assessment.routes.js';
import { AssessmentService } from './modules/assessment/assessment.service.js';
import { registerTrainingRoutes } from './modules/training/training.routes.js';
import { TrainingRepo } from './modules/training/training.repo.js';
import { CompositionRepo } from './modules/workforce/composition.repo.js';
import { registerCompositionRoutes } from './modules/workforce/composition.routes.js';
import { AnalysisRepo } from './modules/analysis/analysis.repo.js';
import { registerAnalysisRoutes } from './modules/analysis/analysis.routes.js';
import { BriefingRepo } from './modules/briefing/briefing.repo.js';
import { registerBriefingRoutes } from './modules/briefing/briefing.routes.js';
import { BriefingService } from './modules/briefing/briefing.service.js';
import { AutoBriefing } from './modules/briefing/auto-briefing.js';
import { OverviewRepo } from './modules/overview/overview.repo.js';
import { registerOverviewRoutes } from './modules/overview/overview.routes.js';
import { SearchRepo } from './modules/search/search.repo.js';
import { registerSearchRoutes } from './modules/search/search.routes.js';
import { SearchService } from './modules/search/search.service.js';
import { PublicRequestsRepo } from './modules/open311/public-requests.repo.js';
import { PublicRequests } from './modules/open311/public-requests.js';
import { Open311Api } from './modules/open311/open311.service.js';
import { OPEN311_POSTS_PER_MINUTE, open311Errors, registerOpen311Routes } from './modules/open311/open311.routes.js';
import { registerPublicReportRoutes } from './modules/public-report/public-report.routes.js';
import { AddressesRepo } from './modules/addresses/addresses.repo.js';
import { AddressResolver } from './modules/addresses/address-resolver.js';
import { AddressesService } from './modules/addresses/addresses.service.js';
import { registerAddressRoutes } from './modules/addresses/addresses.routes.js';
import { ClassifyRepo } from './modules/classify/classify.repo.js';
import { registerClassifyRoutes } from './modules/classify/classify.routes.js';
import { ClassifyService } from './modules/classify/classify.service.js';
import { ChannelsRepo } from './modules/channels/channels.repo.js';
import { fillChannelDemo } from './modules/channels/channel-demo.js';
import { ChannelIntake } from './modules/channels/channel-intake.js';
import { PlaceFinder } from './modules/channels/channel-support.js';
import { HotlineIntake } from './modules/channels/hotline-intake.js';
import { TriageQueue } from './modules/channels/triage-queue.js';
import { registerChannelRoutes } from './modules/channels/channels.routes.js';
import { registerTriageRoutes } from './modules/channels/triage.routes.js';
import { registerTriageSocket } from './modules/channels/triage.socket.js';
import { HotlineImportRepo } from './modules/hotline-import/hotline-import.repo.js';
import { registerHotlineImportRoutes } from './modules/hotline-import/hotline-import.routes.js';
import { HotlineImportService } from './modules/hotline-import/hotline-import.service.js';
import { HOTLINE_IMPORT_MAX_BYTES } from '../../shared/contracts/hotline-import.js';
import { RetentionPruner } from './modules/system/retention-pruner.js';
import { NodeDuties } from './modules/system/node-duties.js';
import { NodeLeasesRepo } from './modules/system/node-leases.repo.js';
import { registerSystemRoutes } from './modules/system/system.routes.js';
import { ImportsRepo } from './modules/imports/imports.repo.js';
import { ImportsService } from './modules/imports/imports.service.js';
import { IMPORT_MAX_BYTES, registerImportRoutes } from './modules/imports/imports.routes.js';
import { databaseFile } from './config.js';

export interface ServerHandles {
  app: FastifyInstance;
  /** The database the server runs on: SQLite's connection or PostgreSQL (db/store.ts). */
  store: Store;
  auth: AuthService;
  users: UsersRepo;
  audit: AuditRepo;
  io: GridServer;
  /** Everything announced after commit: case changes, alerts, teams (core/bus.ts). */
  bus: Bus;
  /** The deadline monitor (tests sweep it by hand after moving their clock). */
  deadlines: DeadlineMonitor;
  /** Alerts, with the silence monitor (tests sweep it by hand after moving their clock). */
  alerts: AlertsService;
  /** Reads an address text or code as one household (intake channels; tests). */
  addressResolver: AddressResolver;
  /** The 12345 hotline adapter without HTTP (the bulk import; tests dry-run it). */
  hotlineIntake: HotlineIntake;
  /** Denials written to the audit trail with repeats counted (tests flush it by hand). */
  denials: DenialLog;
  /** Anchors the audit chain's head outside the database (tests call `writeNow()` instead of waiting). */
  auditAnchor: AuditAnchorWriter;
  /** Prunes old team positions and idempotency keys hourly (tests call `pruneNow()` after moving their clock). */
  retention: RetentionPruner;
  /** Writes each shift's briefing into `config.briefingDir` when it ends; null without one (tests call `writeDue()` after moving their clock). */
  autoBriefing: AutoBriefing | null;
  /**
   * Several nodes (changeFeed `tail`): the lease of the timed duties, which run on the node holding
   * it (`running` names them); null for one server, which runs them itself.
   */
  duties: NodeDuties | null;
  /** Starts listening; resolves with the console's base URL. */
  listen(): Promise<string>;
  /** Stops accepting work, closes sockets and HTTP; the caller closes the database. */
  close(): Promise<void>;
}

const VERSION = (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

/** Composition root: builds the whole server from its dependencies, with no globals. */
export async function createServer({
  db,
  clock,
  config,
  logStream,
}: {
  /** SQLite's connection (the store is made on it) or a store (PostgreSQL: `openStore(url)`, migrated). */
  db: Db | Store;
  clock: Clock;
  config: ServerConfig;
  logStream?: NodeJS.WritableStream;
}): Promise<ServerHandles> {
  // The client address (behind a trusted proxy, the one it forwarded): req.ip, and sockets below.
  const addresses = clientAddresses(config.trustProxy);
  const app = Fastify({
    ...addresses.fastifyOption,
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    },
    bodyLimit: config.bodyLimit,
    // Socket.IO owns its own path on the same HTTP server.
    forceCloseConnections: true,
    // a request that does not arrive in time (declared more body than it sends) gets 408
    ...requestTimeoutOptions(config.requestTimeoutMs),
    clientErrorHandler: clientErrorHandler(config.requestTimeoutMs),
    // what the router refuses before any route runs (undecodable paths, over-long parameters)
    frameworkErrors: frameworkErrors([{ prefix: '/open311/', render: open311Errors }]),
  });
  // zod validates (routes call parseOr400); JSON Schemas on routes only document the API.
  app.setValidatorCompiler(() => (value) => ({ value }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandling(app, config.bodyLimit);
  installJsonBodyParser(app);
  installSecurityHeaders(app);
  installCors(app, config.allowedOrigins);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'GridCommand companion server API',
        version: VERSION,
        description:
          'REST API of GridCommand (网格智治指挥台). Errors are `{ "error": { "code", "message", "fields"? } }`, messages in the language of Accept-Language (zh-CN default, en). Live changes are pushed over Socket.IO on the same port as `event:changed { seq, event }`; connect with `auth: { lastSeq }` to replay every change after it. The same socket pushes `team:moved { at, teams }` (latest team positions, batched: at most one per client per second), `team:changed { team }`, `alert:raised { alert }`, `alert:acked { alert }` and `alert:cleared { alert }` (its cause ended; alerts are stored: refetch `GET /api/v1/alerts` after a reconnect); field devices send `team:position` (the body of `POST /api/v1/teams/{id}/position`) with an ack `{ ok, result | error }`.',
      },
      tags: [{ name: 'system' }, { name: 'regions' }, { name: 'catalog' }, { name: 'settings' }, { name: 'events' }, { name: 'teams' }, { name: 'alerts' }, { name: 'attachments' }, { name: 'analysis' }, { name: 'open311', description: 'Open311 GeoReport v2 (docs/OPEN311.md)' }, { name: 'workforce', description: 'Grid workers: records, workload and activity, composition (docs/WORKFORCE.md)' }, { name: 'training', description: 'Grid workers\' training (docs/WORKFORCE.md)' }, { name: 'assessment', description: '德能勤绩 assessment and its lists (docs/WORKFORCE.md)' }, { name: 'deliberation', description: 'Grid deliberation days (网格议事日, docs/WORKFORCE.md)' }],
    },
  });

  const bus = new Bus();
  // The async store on the same SQLite connection (db/store.ts): repositories move to it one by one
  // for PostgreSQL (docs/POSTGRES.md), sharing the connection and its transactions with the rest.
  const store = db instanceof Store ? db : Store.onSqlite(db);
  const audit = new AuditRepo(store, clock);
  const denials = new DenialLog({ audit, clock, windowMs: config.denialWindowMs, onError: (err) => app.log.error({ err }, 'could not audit a denial') });

  // Rate limits: each verified session or API key has its own bucket; everything else (no
  // credentials, or ones that do not verify) shares its source address's smaller one. Login has
  // its own, tighter limit per address. Every 429 is audited, repeats counted (DenialLog).
  await app.register(fastifyRateLimit, {
    global: true,
    max: (_req, key) => (key.startsWith('address:') ? config.rateLimit.anonymousPerMinute : config.rateLimit.perMinute),
    timeWindow: '1 minute',
    keyGenerator: rateLimitKey,
    onExceeded: (req) => {
      void denials.deny({
        ...(req.access?.principal ? { userId: req.access.principal.user.id, username: req.access.principal.user.username, role: req.access.principal.user.roles.join(',') } : {}),
        action: 'access:denied',
        result: 'denied',
        reason: 'rate_limited',
        objectType: 'route',
        objectId: `${req.method} ${req.routeOptions.url ?? '(static)'}`,
        ...requestContext(req, req.access?.principal ?? null),
      });
    },
    errorResponseBuilder: (_req, ctx) => new ApiHttpError(429, 'rate_limited', 'error.rate_limited', [], { after: ctx.after }),
  });

  const regions = new RegionsRepo(store);
  // The province, cities, counties and towns in memory: what a town belongs to and what a granted
  // area holds (a city user's scope is the towns of its counties). Refilled after a boundary import.
  const regionIndex = new RegionIndex(await regions.indexRows());
  const users = new UsersRepo(store, regionIndex);
  const townName = new Map((await regions.featureCollection('town')).features.map((f) => [f.properties.id, f.properties.name]));
  const auth = new AuthService({ store, users, audit, clock, config: config.auth, areaNames: (ids) => ids.map((id) => regionIndex.get(id)?.name ?? id), platformLevel: () => regionIndex.platformLevel(), demo: config.demo });
  installAuth(app, { auth, denials });
  await reportAccountProblems();
  const catalog = new CatalogRepo(store);
  // the catalog's synchronous reads come from a snapshot: loaded now, and checked before every API
  // request's work against the active version's number (one indexed row), so a version another
  // node approved is in force here from its next request on (catalog.repo.ts)
  await catalog.load();
  app.addHook('preHandler', async (req) => {
    if (req.url.startsWith('/api/')) await catalog.fresh();
  });
  const settings = new SettingsRepo(store);
  const events = new EventsRepo(store);
  const microGrids = await regions.locatableMicroGrids();
  const locator = new RegionLocator(microGrids);
  const area = CountyArea.around(microGrids, config.positionMarginKm);
  const teams = new TeamsRepo(store);
  // One group commit for the server: intakes and device positions arriving together share a commit.
  const group = new GroupCommit(store, (err) => app.log.error({ err }, 'announcing stored changes failed'));
  const live = new TeamsLive({ store, teams, clock, audit, area, bus, group });
  const alerts = new AlertsService({
    store,
    repo: new AlertsRepo(store),
    teams,
    clock,
    audit,
    bus,
    silentMinutes: config.teamSilentMinutes,
    intervalMs: config.deadlineSweepMs,
    onError: (err) => app.log.error({ err }, 'alerts sweep failed'),
  });
  const recommender = new DispatchRecommender({ teams, members: new TeamMembersRepo(store), events });
  const attachmentsRepo = new AttachmentsRepo(store);
  const attachmentStore = new AttachmentStore(join(config.dataDir, 'attachments'));
  // Team status first, then alerts: the order they are applied in and announced in.
  const writer = new CaseWriter({
    store,
    events,
    audit,
    bus,
    attachments: attachmentsRepo,
    effects: [live, alerts],
    group,
  });
  const workflow = new WorkflowService({ store, events, catalog, settings, teams, recommender, writer, clock, audit, attachments: attachmentsRepo });
  // one map of micro-grid chains, shared by everything that places a case (a boundary import refills it)
  const chains = await regions.microGridChains();
  const service = new EventsService({ events, writer, regions, catalog, settings, workflow, locator, chains, clock, audit });
  const deadlines = new DeadlineMonitor({ events, writer, clock, intervalMs: config.deadlineSweepMs, onError: (err) => app.log.error({ err }, 'deadline monitor sweep failed') });
  // Every case change, once, in seq order, to whoever follows cases (change-feed.ts): this node's
  // commits as they happen; with several nodes on one database, the others' too, read from the log.
  const feed = await ChangeFeed.open({ ...config.changeFeed, bus, log: events, batch: config.replayBatch, onError: (err) => app.log.error({ err }, 'reading the change log failed') });
  // The item suggestion: the console, the field app, the channel adapters and the resident page
  // share it; it learns each case as it closes.
  const classify = new ClassifyService({ catalog, repo: new ClassifyRepo(store) });
  await classify.load();
  bus.subscribe('case:changed', ({ event }) => classify.caseChanged(event));

  // A county's own server forwards its cases to the city's (modules/forwarding); the city takes them in.
  const forwardedRepo = new ForwardedRepo(store);
  const forwarder = config.forward
    ? new Forwarder({
        ...config.forward,
        log: { changesAfter: (after, limit) => events.changesAfter(after, limit), lastSeq: () => events.lastSeq(), entries: (from, to) => forwardedRepo.entries(from, to) },
        bus,
        logger: app.log,
        now: () => clock.now().toISOString(),
      })
    : null;
  registerHealthRoutes(app, { lastSeq: () => events.lastSeq(), demo: config.demo, version: VERSION, clock, startedAt: clock.now(), forwarding: () => forwarder?.state() ?? null });
  const regionRoutes = await registerRegionRoutes(app, regions);
  // Vector tiles of the static layers, cut per county on demand (a province holds 450,000 micro-grids).
  const tiles = new TileService(new TilesRepo(store));
  registerTileRoutes(app, tiles);
  registerCatalogRoutes(app, { repo: catalog, service: new CatalogService({ store, repo: catalog, audit, clock }) });
  registerSettingsRoutes(app, { repo: settings, service: new SettingsService({ store, repo: settings, audit, clock }) });
  registerEventRoutes(app, { service, workflow, repo: events, audit, area });
  // 市级交办: a city assigns a case down to a county through the one intake
  registerAssignmentRoutes(app, { assignments: new AssignmentsService({ intake: service, events, catalog, regions: regionIndex, audit, clock }) });
  // 网格议事日 (issue 16 part 6): meetings, their follow-up tasks as cases through the one intake, the residents' notice page
  registerDeliberationRoutes(app, { service: new DeliberationService({ store, repo: new DeliberationRepo(store), intake: service, catalog, locator, chains, audit, clock }), regions: regionIndex, audit, publicReadsPerMinute: config.publicReport.readsPerMinute });
  registerForwardedRoutes(app, { forwarded: new ForwardedService({ repo: forwardedRepo, events, writer, audit, clock }) });
  const attachmentsService = new AttachmentsService({ database: store, repo: attachmentsRepo, store: attachmentStore, audit, clock });
  registerAttachmentRoutes(app, {
    service: attachmentsService,
    store: attachmentStore,
    auth,
    audit,
    denials,
    maxBytes: config.attachmentMaxBytes,
  });
  registerTeamRoutes(app, { teams, live, audit });
  registerAlertRoutes(app, { alerts });
  registerDispatchRoutes(app, { recommender, eventOf: (id) => events.get(id), itemOf: (v, code) => catalog.itemOf(v, code), audit, clock });
  const kpiRepo = new KpiRepo(store);
  registerKpiRoutes(app, { kpis: kpiRepo, regions: regionIndex, clock, audit });
  registerTrainingRoutes(app, { store, settings, regions: regionIndex, audit, clock });
  // the workforce's composition (issue 16 part 5): the records with the year's training hours
  registerCompositionRoutes(app, { composition: new CompositionRepo(store), training: new TrainingRepo(store), settings, regions: regionIndex, audit, clock });
  registerAnalysisRoutes(app, { analysis: new AnalysisRepo(store), audit, regions: regionIndex, clock });
  // 德能勤绩 (issue 16 part 4): 勤 and 绩 from every worker's activity in the period
  const activityRepo = new ActivityRepo(store);
  const workerActivity = new ActivityService({ repo: activityRepo, regions: regionIndex, locator });
  const assessment = new AssessmentService({
    store,
    repo: new AssessmentRepo(store),
    activity: { activityOf: (period, towns) => workerActivity.activity(period, { towns }) },
    calendar: async () => (await settings.workflow()).calendar,
    regions: regionIndex,
    audit,
    clock,
  });
  const workerRecords = new WorkersRepo(store, clock);
  registerAssessmentRoutes(app, {
    assessment,
    regions: regionIndex,
    audit,
    clock,
    workerOfUser: async (userId) => {
      const w = await workerRecords.byUser(userId);
      return w ? { id: w.id, townId: w.town.id } : null;
    },
  });
  registerWorkerRoutes(app, { store, regions: regionIndex, audit, clock });
  // workload and activity of the grid workers (issue 16 part 2), computed from cases, timelines and positions
  registerActivityRoutes(app, { activity: workerActivity, repo: activityRepo, regions: regionIndex, clock, audit });
  const briefings = new BriefingService({ repo: new BriefingRepo(store), kpis: kpiRepo, regions: regionIndex, settings });
  registerBriefingRoutes(app, { briefings, audit, clock });
  const autoBriefing = config.briefingDir
    ? new AutoBriefing({ briefings, dir: config.briefingDir, clock, audit, onError: (err) => app.log.error({ err }, 'could not write the automatic briefing') })
    : null;
  registerOverviewRoutes(app, { overview: new OverviewRepo(store), kpis: new KpiRepo(store), catalog, audit, clock });
  registerSearchRoutes(app, { search: new SearchService({ repo: new SearchRepo(store), events, catalog, audit, clock }) });
  // Unified addresses (统一地址): the search and place card, and the resolver that intake channels
  // (Open311 address_string, the 12345 hotline) read an address text with.
  const addressesRepo = new AddressesRepo(store);
  const addressResolver = new AddressResolver(addressesRepo);
  registerAddressRoutes(app, { addresses: new AddressesService({ repo: addressesRepo, events, teams }) });
  registerClassifyRoutes(app, { classify });
  // The public's one door (Open311 and the resident page): the one intake, a tracking token, the public steps.
  const publicRequestsRepo = new PublicRequestsRepo(store);
  const publicRequests = new PublicRequests({ intake: service, events, catalog, repo: publicRequestsRepo, users, addresses: addressResolver });
  registerOpen311Routes(app, {
    api: new Open311Api({ catalog, events, repo: publicRequestsRepo, requests: publicRequests, clock }),
    auth,
    denials,
    postsPerMinute: OPEN311_POSTS_PER_MINUTE,
  });
  // The residents' page (/report): the same door as Open311 (channel `resident`), no login.
  const publicReport = registerPublicReportRoutes(app, {
    requests: publicRequests,
    catalog,
    regions,
    attachments: attachmentsService,
    suggester: classify,
    denials,
    clock,
    limits: config.publicReport,
    maxPhotoBytes: config.attachmentMaxBytes,
  });
  // Channel adapters (video AI, 12345 hotline, mini-program) and the triage queue where a hotline
  // case waits for a person; they reach the classifier and the unified address through interfaces.
  const channelsRepo = new ChannelsRepo(store);
  // a demo data folder seeded before the channel adapters existed gets its cameras and mappings now
  if (config.demo) {
    // the demo's channel mappings and cameras, once: nodes starting at once take turns (the first fills)
    await store.inTransaction(async () => {
      await store.takeWriterTurn();
      await fillChannelDemo(channelsRepo, catalog.active(), clock.now().toISOString());
    });
  }
  const places = new PlaceFinder({ regions, locator, chains });
  const triage = new TriageQueue({ store, repo: channelsRepo, events: service, audit, bus, clock });
  const channelIntake = new ChannelIntake({ repo: channelsRepo, events: service, eventsRepo: events, catalog, attachments: attachmentsService, triage, audit });
  const hotlineIntake = new HotlineIntake({ repo: channelsRepo, events: service, eventsRepo: events, catalog, places, addresses: addressResolver, classifier: classify, triage, audit });
  registerChannelRoutes(app, { store, repo: channelsRepo, intake: channelIntake, hotline: hotlineIntake, places, catalog, audit, clock, attachmentMaxBytes: config.attachmentMaxBytes });
  registerTriageRoutes(app, { triage, builder: hotlineIntake });
  // Boundary and roster imports (the console's data import; `npm run import` on a stopped server).
  // After a boundary import, what was derived from regions at start is rebuilt from the database:
  // the locator, the micro-grid chains, town names and the served GeoJSON, so the next intake
  // lands in the new polygons. Cases keep the places they were filed in (ids are stable by code).
  let regionsRefill: Promise<void> = Promise.resolve();
  const imports = new ImportsService({
    store,
    repo: new ImportsRepo(store),
    audit,
    clock,
    // Runs after the import's transaction committed. The reads are async (the store): everything is
    // read first, then swapped in one synchronous step, so nothing sees a half-refilled index;
    // refills run one after another (a later import's values land last); a failure is logged.
    onRegionsChanged: () => {
      regionsRefill = regionsRefill.then(async () => {
        const [newMicroGrids, newChains, towns, indexRows] = [await regions.locatableMicroGrids(), await regions.microGridChains(), await regions.featureCollection('town'), await regions.indexRows()];
        locator.replace(newMicroGrids);
        chains.clear();
        for (const [id, chain] of newChains) chains.set(id, chain);
        townName.clear();
        for (const f of towns.features) townName.set(f.properties.id, f.properties.name);
        regionIndex.replace(indexRows);
        const tree = regionRoutes.invalidate();
        tiles.invalidate();
        publicReport.invalidateMap();
        await tree;
      }).catch((err: unknown) => app.log.error({ err }, 'refilling the regions after a boundary import failed'));
      // the import's write answers once the refill is in (never rejects: a failure is logged above)
      return regionsRefill;
    },
  });
  registerImportRoutes(app, { imports, auth, denials, clock, maxBytes: IMPORT_MAX_BYTES });
  // A day's 12345 cases from the platform's CSV/XLSX export, each row through the hotline adapter.
  registerHotlineImportRoutes(app, {
    service: new HotlineImportService({ intake: hotlineIntake, repo: new HotlineImportRepo(store), audit, clock, itemName: (code) => catalog.activeItem(code)?.name ?? null, chains }),
    auth,
    audit,
    denials,
    maxBytes: HOTLINE_IMPORT_MAX_BYTES,
  });
  registerAuthRoutes(app, auth, { max: config.rateLimit.loginPerMinute, timeWindow: '1 minute', keyGenerator: (req) => `login:${req.ip}` });
  registerAuditRoutes(app, audit, auditActor);
  registerUserRoutes(app, {
    auth,
    users,
    regions: regionIndex,
    clock,
    passwordProfile: config.auth.passwordProfile,
    choices: async () => ({
      teams: (await teams.list()).map((t) => ({ id: t.id, name: t.name, type: t.type, homeName: t.homeName, townId: t.townId, countyId: t.countyId })),
    }),
  });
  app.get('/api/v1/openapi.json', { config: { access: { permission: 'session:own' } }, schema: { hide: true } }, async () => app.swagger());

  const hasConsole = existsSync(join(config.staticDir, 'index.html'));
  if (hasConsole) {
    // wildcard: files are looked up per request, so a rebuilt console is served without a restart
    await app.register(fastifyStatic, { root: config.staticDir, wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      const err = new ApiHttpError(404, 'not_found', 'error.route_not_found', [], { method: req.method, url: req.url.split('?')[0] });
      return reply.status(404).send(err.toBody(requestLang(req)));
    }
    // Only page navigations fall back to the console; a missing script or asset is a plain 404,
    // not an HTML page served as JavaScript, and so is any path that is not a plain route name
    // (dots, escapes: traversal attempts get nothing but the 404).
    const path = req.url.split('?')[0] ?? '';
    if (!/^\/[A-Za-z0-9/_-]*$/.test(path)) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    // The field app (phones) is its own page: /field and the navigations under it.
    const isFieldPage = path === '/field' || path.startsWith('/field/');
    if (hasConsole && isFieldPage && !/\.[a-z0-9]+$/i.test(path) && existsSync(join(config.staticDir, 'field.html'))) return reply.sendFile('field.html');
    // The residents' report page (no login) likewise: /report, /report/status/{token}.
    const isReportPage = path === '/report' || path.startsWith('/report/');
    if (hasConsole && isReportPage && existsSync(join(config.staticDir, 'report.html'))) return reply.sendFile('report.html');
    if (hasConsole && !/\.[a-z0-9]+$/i.test(path) && !path.startsWith('/assets/')) return reply.sendFile('index.html');
    if (hasConsole) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    return reply
      .status(503)
      .type('text/html; charset=utf-8')
      .send('<!doctype html><meta charset="utf-8"><title>GridCommand</title><p>控制台尚未构建 / The console is not built yet: run <code>npm run build:renderer</code>.</p>');
  });

  const io: GridServer = new Server(app.server, {
    serveClient: false,
    // Browsers send Origin on the WebSocket handshake: only the server's own origins (from its
    // configuration, never from the Host header) or configured ones may open a socket;
    // non-browser clients send none and still need a token.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      const ok = originAllowed(origin, listening(), config.allowedOrigins);
      if (!ok) {
        // refused once the denial is in the audit trail (deny never rejects)
        void denials.deny({
          action: 'access:denied',
          result: 'denied',
          reason: 'origin_not_allowed',
          objectType: 'socket',
          objectId: 'connect',
          sourceIp: addresses.ofRequest(req),
          client: String(req.headers['user-agent'] ?? '').slice(0, 200) || null,
          details: { origin: String(origin).slice(0, 200) },
        }).then(() => callback('origin not allowed', false));
        return;
      }
      callback(null, true);
    },
    // long-polling from the packaged console's origin (WebSocket is covered by allowRequest)
    cors: { origin: config.allowedOrigins, methods: ['GET', 'POST'] },
    // Our largest client message is a ping; refuse anything big before parsing it.
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  // First of the socket middleware: a socket's handshake.address becomes its client address, as
  // req.ip is (Engine.IO took the TCP peer's when the connection opened), for every reader after.
  io.use((socket, next) => {
    socket.handshake.address = addresses.of(socket.handshake.address, socket.request.headers) ?? socket.handshake.address;
    next();
  });
  // Several nodes: broadcasts reach the other nodes' sockets through Redis, commits nudge their feeds.
  const nodes = config.redis
    ? await joinNodes(io, { url: config.redis, bus, nudge: () => feed.nudge(), onError: (err) => app.log.error({ err }, 'Redis of the server nodes failed') })
    : null;
  // Before the feeds: every socket is metered from its first packet.
  const sendBudget = watchSendBudget(io, {
    budgetPackets: config.sendBudget.packets,
    stallMs: config.sendBudget.stallMs,
    hardLimitPackets: config.sendBudget.hardLimitPackets,
    sweepMs: config.sendBudget.sweepMs,
    onCut: (socket, cut) => {
      const principal = (socket.data as Partial<SocketData>).principal;
      app.log.warn({ user: principal?.user.username, ...cut }, 'cut a socket that stopped reading its feed');
      // in a turn of its own: the sweep that cuts runs beside other work (docs/POSTGRES.md)
      const entry = {
        ...(principal ? who(principal) : { username: null }),
        action: 'feed:cut' as const,
        result: 'failure' as const,
        reason: cut.reason === 'hard_limit' ? 'send_hard_limit' : 'send_stalled',
        objectType: 'socket',
        objectId: socket.id,
        sourceIp: socket.handshake.address ?? null,
        client: String(socket.handshake.headers['user-agent'] ?? '').slice(0, 200) || null,
        details: { unsent: cut.unsent, stalledMs: cut.stalledMs },
      };
      setImmediate(() => void audit.record(entry).catch((err: unknown) => app.log.error({ err }, 'could not audit a cut socket')));
    },
    onError: (err) => app.log.error({ err }, 'send budget sweep failed'),
  });
  const unsubscribe = registerEventSocket(io, {
    repo: events,
    bus,
    feed,
    clock,
    replayLimit: config.replayLimit,
    replayBatch: config.replayBatch,
    replayTurnMs: config.replayTurnMs,
    auth,
    denials,
    onError: (err) => app.log.error({ err }, 'socket session sweep failed'),
  });
  // after the event socket, whose per-socket command rate limit then covers team:position too
  const stopTeamSocket = registerTeamSocket(io, { live, bus, auth, clock, regions: regionIndex, onError: (err) => app.log.error({ err }, 'team feed failed') });
  const stopAlertSocket = registerAlertSocket(io, { bus, repo: new AlertsRepo(store), regions: regionIndex, onError: (err) => app.log.error({ err }, 'alert push failed') });
  const stopTriageSocket = registerTriageSocket(io, bus);
  const auditAnchor = new AuditAnchorWriter({
    audit,
    clock,
    paths: anchorPaths(config.dataDir, config.auditAnchor),
    intervalMs: config.auditAnchor.intervalMs,
    syslog: config.auditAnchor.syslog,
    onError: (err) => app.log.error({ err }, 'could not anchor the audit trail'),
    onWarning: (message) => app.log.warn(message),
  });
  const startedAt = clock.now();
  const retention = new RetentionPruner({ store, settings, audit, clock, onError: (err) => app.log.error({ err }, 'retention pruning failed') });
  registerSystemRoutes(app, {
    store,
    databaseFile: databaseFile(config.dataDir),
    dataDir: config.dataDir,
    clock,
    startedAt,
    version: VERSION,
    demo: config.demo,
    audit,
    anchor: auditAnchor,
    settings,
    pruner: retention,
    sockets: () => io.engine.clientsCount,
  });
  // Several nodes on one database: the timed duties run on the one node holding their lease
  // (node-duties.ts), each catching up when it starts there; one server runs them itself, no lease.
  const duties =
    config.changeFeed.mode === 'tail'
      ? new NodeDuties({
          leases: new NodeLeasesRepo(store),
          lease: 'timers',
          nodeId: config.nodeId,
          clock,
          ...config.leases,
          duties: [
            { name: 'deadlines', start: () => deadlines.start(), stop: () => deadlines.stop() },
            { name: 'alerts', start: () => alerts.start(), stop: () => alerts.stop() },
            { name: 'retention', start: () => retention.start(), stop: () => retention.stop() },
            ...(autoBriefing ? [{ name: 'briefing', start: () => autoBriefing.start(), stop: () => autoBriefing.stop() }] : []),
            { name: 'auditAnchor', start: () => auditAnchor.resume(), stop: () => auditAnchor.pause() },
            ...(forwarder ? [{ name: 'forwarding', start: () => forwarder.start(), stop: () => forwarder.stop() }] : []),
          ],
          audit,
          onError: (err) => app.log.error({ err }, 'the lease of the timed duties failed'),
        })
      : null;
  // First, so that a key it cannot read or make stops the start before any timer runs.
  if (duties) await auditAnchor.prepare();
  else await auditAnchor.start();
  denials.start();

  /** The origins this server serves the console from, once it listens (its port may be 0 until then). */
  function listening(): string[] {
    const address = app.server.address();
    return typeof address === 'object' && address ? ownOrigins(config.host, address.port) : [];
  }

  /**
   * Accounts that break the separation rules (made before the rules, or by editing the database)
   * are reported at every start: in the log, and once per start in the audit trail. They cannot
   * log in or use a session until fixed with `npm run admin -- set-roles`.
   */
  async function reportAccountProblems(): Promise<void> {
    const problems = await auth.accountProblems();
    if (problems.length === 0) return;
    app.log.warn({ problems }, `${problems.length} account(s) break the separation rules; fix with npm run admin -- set-roles`);
    await audit.record({ username: 'system', action: 'system:account_check', result: 'failure', reason: 'account_problems', details: { problems } });
  }

  return {
    app,
    store,
    auth,
    users,
    audit,
    io,
    bus,
    deadlines,
    alerts,
    denials,
    addressResolver,
    hotlineIntake,
    auditAnchor,
    retention,
    autoBriefing,
    duties,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      // Catch-up work after downtime (deadlines passed, silences, pruning, a missed shift's
      // briefing) is not needed to accept a connection: it starts once the server listens, so
      // consoles reconnecting after a restart are not kept waiting for it.
      if (duties) {
        await duties.start();
      } else {
        deadlines.start();
        alerts.start();
        retention.start();
        autoBriefing?.start();
        forwarder?.start();
      }
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://${config.host}:${port}/`;
    },
    async close() {
      // several nodes: the holder stops the duties (a last anchor) and releases, so another takes over
      await duties?.close();
      await forwarder?.stop();
      deadlines.stop();
      alerts.stop();
      await denials.stop();
      retention.stop();
      autoBriefing?.stop();
      stopTeamSocket();
      stopAlertSocket();
      stopTriageSocket();
      sendBudget.stop();
      unsubscribe();
      feed.stop();
      io.disconnectSockets(true);
      await new Promise<void>((done) => io.close(() => done()));
      await nodes?.close();
      await app.close().catch(() => undefined);
      // Last: the final head, after every request and denial has been written.
      await auditAnchor.stop();
    },
  };
}
