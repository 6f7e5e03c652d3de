import type { FastifyInstance } from 'fastify';
import { retentionSettingsSchema, shiftScheduleSchema, type RetentionSettings, type ShiftSchedule } from '../../../../shared/contracts/settings.js';
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

  app.get(
    '/api/v1/settings/shifts',
    {
      // Whoever reads the workflow settings (the console's top bar, the wall, the briefing) reads the shifts.
      config: { access: { permission: 'catalog:read' } },
      schema: { tags: ['settings'], summary: 'The command centre\'s shifts (班次): names, start and end (China time), duty lead' },
    },
    async (): Promise<ShiftSchedule> => deps.repo.shifts(),
  );

  app.put(
    '/api/v1/settings/shifts',
    {
      config: { access: { permission: 'settings:manage' } },
      schema: {
        tags: ['settings'],
        summary: 'Replace the shift schedule (system administrator)',
        description: 'The shifts must follow one another around the clock: each ends where the next begins (400 `shift_not_contiguous`, `empty_shift`, `duplicate_name` on the field).',
        body: jsonSchema(shiftScheduleSchema),
      },
    },
    async (req): Promise<ShiftSchedule> => deps.service.updateShifts(req.principal!, parseOr400(shiftScheduleSchema, req.body, 'body'), requestContext(req)),
  );

  app.get(
    '/api/v1/settings/retention',
    {
      config: { access: { permission: 'system:read' } },
      schema: { tags: ['settings'], summary: 'How long team position trails and idempotency keys are kept (the audit trail is never pruned)' },
    },
    async (): Promise<RetentionSettings> => deps.repo.retention(),
  );

  app.put(
    '/api/v1/settings/retention',
    {
      config: { access: { permission: 'settings:manage' } },
      schema: { tags: ['settings'], summary: 'Replace the retention settings (system administrator); the hourly pruning job applies them', body: jsonSchema(retentionSettingsSchema) },
    },
    async (req): Promise<RetentionSettings> => deps.service.updateRetention(req.principal!, parseOr400(retentionSettingsSchema, req.body, 'body'), requestContext(req)),
  );
}
