import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { Server } from 'socket.io';
import type { Db } from './db/connection.js';
import type { ServerConfig } from './config.js';
import { ChangeBus } from './core/change-bus.js';
import type { Clock } from './core/clock.js';
import { ApiHttpError } from './http/errors.js';
import { installErrorHandling, requestLang } from './http/error-handler.js';
import { installCors, installSecurityHeaders } from './http/security-headers.js';
import { CatalogRepo } from './modules/catalog/catalog.repo.js';
import { registerCatalogRoutes } from './modules/catalog/catalog.routes.js';
import { CatalogService } from './modules/catalog/catalog.service.js';
import { SettingsRepo } from './modules/settings/settings.repo.js';
import { registerSettingsRoutes } from './modules/settings/settings.routes.js';
import { SettingsService } from './modules/settings/settings.service.js';
import { EventsRepo } from './modules/events/events.repo.js';
import { EventsService } from './modules/events/events.service.js';
import { WorkflowService } from './modules/events/workflow.service.js';
import { DeadlineMonitor } from './modules/events/deadline-monitor.js';
import { registerEventRoutes } from './modules/events/events.routes.js';
import { registerEventSocket, type GridServer } from './modules/events/events.socket.js';
import { RegionLocator } from './modules/geo/locator.js';
import { registerHealthRoutes } from './modules/health/health.routes.js';
import fastifyRateLimit from '@fastify/rate-limit';
import { AuditRepo } from './modules/audit/audit.repo.js';
import { registerAuditRoutes } from './modules/audit/audit.routes.js';
import { credentialsOf, installAuth } from './modules/auth/auth.plugin.js';
import { registerAuthRoutes } from './modules/auth/auth.routes.js';
import { AuthService } from './modules/auth/auth.service.js';
import { UsersRepo } from './modules/auth/users.repo.js';
import { registerUserRoutes } from './modules/auth/users.routes.js';
import { RegionsRepo } from './modules/regions/regions.repo.js';
import { registerRegionRoutes } from './modules/regions/regions.routes.js';
import { TeamsRepo } from './modules/teams/teams.repo.js';
import { registerTeamRoutes } from './modules/teams/teams.routes.js';
import { TeamsLive } from './modules/teams/teams-live.js';
import { registerTeamSocket } from './modules/teams/teams.socket.js';
import { AlertsRepo } from './modules/alerts/alerts.repo.js';
import { AlertsService } from './modules/alerts/alerts.service.js';
import { registerAlertRoutes } from './modules/alerts/alerts.routes.js';
import { registerAlertSocket } from './modules/alerts/alerts.socket.js';
import { caseEffects } from './modules/alerts/case-effects.js';
import { DispatchRecommender } from './modules/dispatch/dispatch.service.js';
import { registerDispatchRoutes } from './modules/dispatch/dispatch.routes.js';
import { KpiRepo } from './modules/kpi/kpi.repo.js';
import { AttachmentStore } from './modules/attachments/attachment-store.js';
import { AttachmentsRepo } from './modules/attachments/attachments.repo.js';
import { AttachmentsService } from './modules/attachments/attachments.service.js';
import { registerAttachmentRoutes } from './modules/attachments/attachments.routes.js';
import { registerKpiRoutes } from './modules/kpi/kpi.routes.js';

export interface ServerHandles {
  app: FastifyInstance;
  auth: AuthService;
  users: UsersRepo;
  audit: AuditRepo;
  io: GridServer;
  bus: ChangeBus;
  /** The deadline monitor (tests sweep it by hand after moving their clock). */
  deadlines: DeadlineMonitor;
  /** Alerts, with the silence monitor (tests sweep it by hand after moving their clock). */
  alerts: AlertsService;
  /** Starts listening; resolves with the console's base URL. */
  listen(): Promise<string>;
  /** Stops accepting work, closes sockets and HTTP; the caller closes the database. */
  close(): Promise<void>;
}

const VERSION = (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

/** Composition root: builds the whole server from its dependencies, with no globals. */
export async function createServer({ db, clock, config, logStream }: { db: Db; clock: Clock; config: ServerConfig; logStream?: NodeJS.WritableStream }): Promise<ServerHandles> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    },
    bodyLimit: config.bodyLimit,
    // Socket.IO owns its own path on the same HTTP server.
    forceCloseConnections: true,
  });
  // zod validates (routes call parseOr400); JSON Schemas on routes only document the API.
  app.setValidatorCompiler(() => (value) => ({ value }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandling(app, config.bodyLimit);
  installSecurityHeaders(app);
  installCors(app, config.allowedOrigins);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'GridCommand companion server API',
        version: VERSION,
        description:
          'REST API of GridCommand (网格智治指挥台). Errors are `{ "error": { "code", "message", "fields"? } }`, messages in the language of Accept-Language (zh-CN default, en). Live changes are pushed over Socket.IO on the same port as `event:changed { seq, event }`; connect with `auth: { lastSeq }` to replay every change after it. The same socket pushes `team:moved { at, teams }` (latest team positions, batched: at most one per client per second), `team:changed { team }`, `alert:raised { alert }` and `alert:acked { alert }` (alerts are stored: refetch `GET /api/v1/alerts` after a reconnect); field devices send `team:position` (the body of `POST /api/v1/teams/{id}/position`) with an ack `{ ok, result | error }`.',
      },
      tags: [{ name: 'system' }, { name: 'regions' }, { name: 'catalog' }, { name: 'settings' }, { name: 'events' }, { name: 'teams' }, { name: 'alerts' }, { name: 'attachments' }],
    },
  });

  // Rate limits: per session (or address when anonymous) for the API; login has its own, tighter one.
  await app.register(fastifyRateLimit, {
    global: true,
    max: config.rateLimit.perMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => credentialsOf(req).token?.slice(0, 16) ?? req.ip,
    errorResponseBuilder: (_req, ctx) => new ApiHttpError(429, 'rate_limited', 'error.rate_limited', [], { after: ctx.after }),
  });

  const bus = new ChangeBus();
  const audit = new AuditRepo(db, clock);
  const users = new UsersRepo(db);
  const regions = new RegionsRepo(db);
  const townName = new Map(regions.featureCollection('town').features.map((f) => [f.properties.id, f.properties.name]));
  const auth = new AuthService({ db, users, audit, clock, config: config.auth, townNames: (ids) => ids.map((id) => townName.get(id) ?? id), demo: config.demo });
  installAuth(app, { auth, audit });
  const catalog = new CatalogRepo(db);
  const settings = new SettingsRepo(db);
  const events = new EventsRepo(db);
  const locator = new RegionLocator(regions.locatableMicroGrids());
  const teams = new TeamsRepo(db);
  const live = new TeamsLive({ db, teams, clock, audit });
  const alerts = new AlertsService({
    db,
    repo: new AlertsRepo(db),
    teams,
    clock,
    audit,
    silentMinutes: config.teamSilentMinutes,
    intervalMs: config.deadlineSweepMs,
    onError: (err) => app.log.error({ err }, 'team silence sweep failed'),
  });
  const effects = caseEffects(live, alerts);
  const recommender = new DispatchRecommender(teams);
  const attachmentsRepo = new AttachmentsRepo(db);
  const attachmentStore = new AttachmentStore(join(config.dataDir, 'attachments'));
  const workflow = new WorkflowService({ db, events, catalog, settings, teams, recommender, bus, clock, audit, effects, attachments: attachmentsRepo });
  const service = new EventsService({ db, events, regions, catalog, settings, workflow, locator, chains: regions.microGridChains(), clock, audit });
  const deadlines = new DeadlineMonitor({ db, events, bus, clock, intervalMs: config.deadlineSweepMs, effects, onError: (err) => app.log.error({ err }, 'deadline monitor sweep failed') });

  registerHealthRoutes(app, { lastSeq: () => events.lastSeq(), demo: config.demo, version: VERSION, clock, startedAt: clock.now() });
  registerRegionRoutes(app, regions);
  registerCatalogRoutes(app, { repo: catalog, service: new CatalogService({ db, repo: catalog, audit, clock }) });
  registerSettingsRoutes(app, { repo: settings, service: new SettingsService({ db, repo: settings, audit, clock }) });
  registerEventRoutes(app, { service, workflow, repo: events, audit });
  registerAttachmentRoutes(app, {
    service: new AttachmentsService({ db, repo: attachmentsRepo, store: attachmentStore, audit, clock }),
    store: attachmentStore,
    auth,
    audit,
    maxBytes: config.attachmentMaxBytes,
  });
  registerTeamRoutes(app, { teams, live, audit });
  registerAlertRoutes(app, { alerts });
  registerDispatchRoutes(app, { recommender, eventOf: (id) => events.get(id), itemOf: (v, code) => catalog.itemOf(v, code), audit, clock });
  registerKpiRoutes(app, { kpis: new KpiRepo(db) });
  registerAuthRoutes(app, auth, { max: config.rateLimit.loginPerMinute, timeWindow: '1 minute' });
  registerAuditRoutes(app, audit);
  registerUserRoutes(app, { auth, users, townIds: new Set(townName.keys()) });
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
    // not an HTML page served as JavaScript.
    const path = req.url.split('?')[0] ?? '';
    // The field app (phones) is its own page: /field and the navigations under it.
    const isFieldPage = path === '/field' || path.startsWith('/field/');
    if (hasConsole && isFieldPage && !/\.[a-z0-9]+$/i.test(path) && existsSync(join(config.staticDir, 'field.html'))) return reply.sendFile('field.html');
    if (hasConsole && !/\.[a-z0-9]+$/i.test(path) && !path.startsWith('/assets/')) return reply.sendFile('index.html');
    if (hasConsole) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    return reply
      .status(503)
      .type('text/html; charset=utf-8')
      .send('<!doctype html><meta charset="utf-8"><title>GridCommand</title><p>控制台尚未构建 / The console is not built yet: run <code>npm run build:renderer</code>.</p>');
  });

  const io: GridServer = new Server(app.server, {
    serveClient: false,
    // Browsers send Origin on the WebSocket handshake: only the console's own origin (or a
    // configured one) may open a socket; non-browser clients send none and still need a token.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      const host = req.headers.host;
      const ok = origin === undefined || origin === `http://${host}` || origin === `https://${host}` || config.allowedOrigins.includes(origin);
      callback(ok ? null : 'origin not allowed', ok);
    },
    // long-polling from the packaged console's origin (WebSocket is covered by allowRequest)
    cors: { origin: config.allowedOrigins, methods: ['GET', 'POST'] },
    // Our largest client message is a ping; refuse anything big before parsing it.
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  const unsubscribe = registerEventSocket(io, { repo: events, bus, clock, replayLimit: config.replayLimit, auth, audit, allowedOrigins: config.allowedOrigins });
  // after the event socket, whose per-socket command rate limit then covers team:position too
  const stopTeamSocket = registerTeamSocket(io, { live, auth, clock, townIds: [...townName.keys()], onError: (err) => app.log.error({ err }, 'team feed failed') });
  const stopAlertSocket = registerAlertSocket(io, alerts);
  deadlines.start();
  alerts.start();

  return {
    app,
    auth,
    users,
    audit,
    io,
    bus,
    deadlines,
    alerts,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://${config.host}:${port}/`;
    },
    async close() {
      deadlines.stop();
      alerts.stop();
      stopTeamSocket();
      stopAlertSocket();
      unsubscribe();
      io.disconnectSockets(true);
      await new Promise<void>((done) => io.close(() => done()));
      await app.close().catch(() => undefined);
    },
  };
}
