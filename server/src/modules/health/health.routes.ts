import type { FastifyInstance } from 'fastify';
import type { ForwardingState } from '../../../../shared/contracts/forwarding.js';
import type { HealthResponse } from '../../../../shared/contracts/health.js';
import type { Clock } from '../../core/clock.js';

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { lastSeq: () => number | Promise<number>; demo: boolean; version: string; clock: Clock; startedAt: Date; forwarding?: () => ForwardingState | null },
): void {
  app.get('/api/v1/health', { config: { access: { public: true } }, schema: { tags: ['system'], summary: 'Liveness and the current change sequence' } }, async (): Promise<HealthResponse> => {
    const now = deps.clock.now();
    const forwarding = deps.forwarding?.() ?? null;
    return {
      status: 'ok',
      version: deps.version,
      seq: await deps.lastSeq(),
      uptimeSeconds: Math.round((now.getTime() - deps.startedAt.getTime()) / 1000),
      demo: deps.demo,
      serverTime: now.toISOString(),
      ...(forwarding ? { forwarding } : {}),
    };
  });
}
