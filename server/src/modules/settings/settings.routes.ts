import type { FastifyInstance } from 'fastify';
import { workflowSettingsSchema, type WorkflowSettings } from '../../../../shared/contracts/workflow.js';
import { assertValidCalendar } from '../../../../shared/domain/working-calendar.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from '../auth/auth.plugin.js';
import type { SettingsRepo } from './settings.repo.js';
import type { SettingsService } from './settings.service.js';

export function registerSettingsRoutes(app: FastifyInstance, deps: { repo: SettingsRepo; service: SettingsService }): void {
  app.get(
    '/api/v1/settings/workflow',
    {
      config: { access: { permission: 'catalog:read' } },
      schema: { tags: ['settings'], summary: 'Workflow settings: the working calendar, the duplicate rule and the deadline warning point' },
    },
    async (): Promise<WorkflowSettings> => deps.repo.workflow(),
  );

  app.put(
    '/api/v1/settings/workflow',
    {
      config: { access: { permission: 'settings:manage' } },
      schema: {
        tags: ['settings'],
        summary: 'Replace the workflow settings (system administrator); applies to deadlines computed from now on',
        body: jsonSchema(workflowSettingsSchema),
      },
    },
    async (req): Promise<WorkflowSettings> => {
      const body = parseOr400(workflowSettingsSchema, req.body, 'body');
      try {
        assertValidCalendar(body.calendar);
      } catch {
        // Periods out of order or overlapping, an impossible date, a day both off and worked.
        throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'calendar', code: 'invalid_calendar' }]);
      }
      return deps.service.updateWorkflow(req.principal!, body, requestContext(req));
    },
  );
}
