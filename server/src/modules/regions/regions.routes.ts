import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { regionLevelSchema, type RegionLevel } from '../../../../shared/contracts/regions.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { RegionsRepo } from './regions.repo.js';

const levelParams = z.object({ level: regionLevelSchema }).strict();

/**
 * The county's geography is static while the server runs (a boundary import excepted: it calls
 * the returned `invalidate`), so each level is serialised once and served with an ETag; the
 * console's map re-reads it only when it changes. The region tree is built up front (at start and
 * right after an import), not on the first request: a province's takes ~1.4 s of the event loop,
 * which would otherwise stall every connected console at the first call.
 *
 * The reads are async (the Store): `generation` counts invalidations, so a read begun before one
 * never lands in the cache or the tree after it.
 */
export async function registerRegionRoutes(app: FastifyInstance, repo: RegionsRepo): Promise<{ invalidate(): Promise<void> }> {
  const cache = new Map<RegionLevel, { body: string; etag: string }>();
  let tree: string | null = null;
  let generation = 0;
  const buildTree = async () => {
    const started = generation;
    const value = await repo.platformTree();
    if (started === generation) tree = value ? JSON.stringify(value) : null;
  };
  await buildTree();

  app.get('/api/v1/regions', { config: { access: { permission: 'geo:read' } }, schema: { tags: ['regions'], summary: 'The platform tree (province or city › counties › towns; villages under a single county) with counts per level' } }, async (_req, reply) => {
    if (tree === null) await buildTree();
    if (tree === null) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: 'county' });
    return reply.type('application/json; charset=utf-8').send(tree);
  });

  app.get(
    '/api/v1/geo/:level',
    {
      config: { access: { permission: 'geo:read' } },
      schema: { tags: ['regions'], summary: 'GeoJSON FeatureCollection of one level (town, village, grid, microgrid)', params: jsonSchema(levelParams) },
    },
    async (req, reply) => {
      const { level } = parseOr400(levelParams, req.params, 'params');
      let entry = cache.get(level);
      if (!entry) {
        const started = generation;
        const body = JSON.stringify(await repo.featureCollection(level));
        entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
        if (started === generation) cache.set(level, entry);
      }
      void reply.header('ETag', entry.etag).header('Cache-Control', 'no-cache');
      if (req.headers['if-none-match'] === entry.etag) return reply.status(304).send();
      return reply.type('application/geo+json; charset=utf-8').send(entry.body);
    },
  );

  return {
    /**
     * The GeoJSON cache is dropped at once (in the caller's synchronous step); the tree is rebuilt
     * and swapped in when read, the old one served meanwhile.
     */
    async invalidate() {
      generation += 1;
      cache.clear();
      await buildTree();
    },
  };
}
