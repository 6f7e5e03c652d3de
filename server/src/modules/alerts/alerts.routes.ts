import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  alertAckRequestSchema,
  alertBatchAckRequestSchema,
  alertIdSchema,
  alertListQuerySchema,
  MAX_ACK_BATCH,
  type Alert,
  type AlertBatchAckResponse,
  type AlertListResponse,
} from '../../../../shared/contracts/alerts.js';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from '../auth/auth.plugin.js';
import type { AlertsService } from './alerts.service.js';

const idParams = z.object({ id: alertIdSchema }).strict();

/** `GET /api/v1/alerts`, `POST /api/v1/alerts/{id}/ack` and `POST /api/v1/alerts/ack` (a group). */
export function registerAlertRoutes(app: FastifyInstance, deps: { alerts: AlertsService }): void {
  app.get(
    '/api/v1/alerts',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['alerts'],
        summary:
          "Alerts of the caller's towns (urgent_event, near_deadline, overdue, task_returned, team_silent), newest first: open ones (default: neither acknowledged nor cleared), acked, cleared or all; filtered by kind, severity and town; `groups` counts the matches by kind and severity. An open alert clears itself when its cause ends (pushed as `alert:cleared`, with when and why). A console refetches the open ones after it reconnects",
        querystring: jsonSchema(alertListQuerySchema),
      },
    },
    async (req): Promise<AlertListResponse> => {
      const query = parseOr400(alertListQuerySchema, req.query, 'query');
      return deps.alerts.list(query, req.principal!);
    },
  );

  app.post(
    '/api/v1/alerts/:id/ack',
    {
      config: { access: { permission: 'alerts:ack' } },
      schema: {
        tags: ['alerts'],
        summary:
          'Acknowledges an open alert (audited `alert:ack` with who, when and the note); pushed as `alert:acked`. An alert no longer open answers 409: `alert_already_acked` with `acked` (who and when), or `alert_cleared` with `cleared` (when and why its cause ended)',
        params: jsonSchema(idParams),
        body: jsonSchema(alertAckRequestSchema),
      },
    },
    async (req): Promise<{ alert: Alert }> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const body = parseOr400(alertAckRequestSchema, req.body ?? {}, 'body');
      return { alert: await deps.alerts.ack(id, body, { principal: req.principal!, ctx: requestContext(req) }) };
    },
  );

  app.post(
    '/api/v1/alerts/ack',
    {
      config: { access: { permission: 'alerts:ack' } },
      schema: {
        tags: ['alerts'],
        summary: `Acknowledges a group of alerts (1–${MAX_ACK_BATCH} ids, as the console listed them) with one reason, required. An unknown id answers 404 and one outside the caller's towns 403, changing nothing; alerts acknowledged by someone else first or cleared meanwhile are returned in \`skipped\`. Each acknowledged alert is audited \`alert:ack\` with the reason and its batch, and pushed as \`alert:acked\``,
        body: jsonSchema(alertBatchAckRequestSchema),
      },
    },
    async (req): Promise<AlertBatchAckResponse> => {
      const body = parseOr400(alertBatchAckRequestSchema, req.body ?? {}, 'body');
      return deps.alerts.ackBatch(body, { principal: req.principal!, ctx: requestContext(req) });
    },
  );
}
