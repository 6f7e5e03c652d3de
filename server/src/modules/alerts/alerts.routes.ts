import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { alertAckRequestSchema, alertListQuerySchema, type Alert, type AlertListResponse } from '../../../../shared/contracts/alerts.js';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from '../auth/auth.plugin.js';
import type { AlertsService } from './alerts.service.js';

const idParams = z.object({ id: z.string().regex(/^AL\d{8,12}$/) }).strict();

/** `GET /api/v1/alerts` and `POST /api/v1/alerts/{id}/ack`. */
export function registerAlertRoutes(app: FastifyInstance, deps: { alerts: AlertsService }): void {
  app.get(
    '/api/v1/alerts',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['alerts'],
        summary:
          "Alerts of the caller's towns (urgent_event, overdue, task_returned, team_silent), newest first: open ones (default) or all. A console refetches the open ones after it reconnects",
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
        summary: 'Acknowledges an open alert (audited `alert:ack` with who, when and the note); pushed as `alert:acked`. A second acknowledgement answers 409 `alert_already_acked` with `acked` (who and when)',
        params: jsonSchema(idParams),
        body: jsonSchema(alertAckRequestSchema),
      },
    },
    async (req): Promise<{ alert: Alert }> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const body = parseOr400(alertAckRequestSchema, req.body ?? {}, 'body');
      return { alert: deps.alerts.ack(id, body, { principal: req.principal!, ctx: requestContext(req) }) };
    },
  );
}
