import type { FastifyInstance } from 'fastify';
import type { SystemHealthResponse } from '../../../../shared/contracts/system.js';
import { systemHealth, type SystemHealthDeps } from './system-health.js';

/** The system administrator's view of the server (`system:read`); changes go through the settings routes. */
export function registerSystemRoutes(app: FastifyInstance, deps: SystemHealthDeps): void {
  app.get(
    '/api/v1/system/health',
    {
      config: { access: { permission: 'system:read' } },
      schema: {
        tags: ['system'],
        summary: 'Server health for the system administrator: database and WAL size, sockets, last backup, uptime, version, audit anchors, retention',
        description:
          'The last backup is the last line of `backups.jsonl` in the data folder, which `npm run backup` appends to. `audit.unanchored` counts records written since the last signed anchor (anchored every minute when the head moved).',
      },
    },
    async (): Promise<SystemHealthResponse> => systemHealth(deps),
  );
}
