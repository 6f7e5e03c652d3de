import type { FastifyInstance } from 'fastify';
import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';
import type { CatalogRepo } from './catalog.repo.js';

export function registerCatalogRoutes(app: FastifyInstance, repo: CatalogRepo): void {
  app.get('/api/v1/catalog', { config: { access: { permission: 'catalog:read' } }, schema: { tags: ['catalog'], summary: 'Admitted event items (入格事项清单)' } }, async (): Promise<CatalogResponse> => ({
    version: 1,
    items: repo.list(),
  }));
}
