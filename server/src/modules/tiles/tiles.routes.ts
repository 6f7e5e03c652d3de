import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TILE_MAX_ZOOM, TILE_MIN_ZOOM, tileLayerSchema } from '../../../../shared/contracts/regions.js';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { TileService } from './tile-service.js';

/** A tile coordinate: plain decimal digits (no sign, no fraction, no exponent), as in every tile URL. */
const coordinate = z
  .string()
  .regex(/^(0|[1-9]\d{0,6})$/, { abort: true })
  .transform(Number);

const tileParams = z
  .object({ layer: tileLayerSchema, z: coordinate.pipe(z.number().int().min(0).max(TILE_MAX_ZOOM)), x: coordinate, y: coordinate })
  .strict()
  .superRefine((p, ctx) => {
    // zod refines the object even when a field failed: judge x and y only against a valid z
    if (!Number.isInteger(p.z) || p.z < 0 || p.z > TILE_MAX_ZOOM) return;
    const max = 2 ** p.z - 1;
    for (const field of ['x', 'y'] as const) {
      if (Number.isInteger(p[field]) && p[field] > max) ctx.addIssue({ code: 'too_big', origin: 'number', maximum: max, inclusive: true, input: p[field], path: [field] });
    }
  });

const minZooms = Object.entries(TILE_MIN_ZOOM)
  .map(([layer, zoom]) => `${layer} ${zoom}`)
  .join(', ');

/**
 * `GET /api/v1/tiles/{layer}/{z}/{x}/{y}.mvt`: the static layers as Mapbox vector tiles (extent
 * 4096, buffer 64), for maps where one GeoJSON document per level would be too large (a city's
 * micro-grids, a province's villages). Each tile holds the vector-tile layers `{layer}` (polygons:
 * id, code, name, parentId, level, kind) and `{layer}_label` (one point per region whose label
 * anchor is inside the tile: id, name, level). Below a layer's minimum zoom (TILE_MIN_ZOOM) and
 * where the layer has nothing, 204 without a body.
 *
 * URLs are not versioned: a boundary import changes tiles in place (the caller invalidates the
 * service), so tiles go out with `Cache-Control: no-cache` and a strong ETag the browser
 * revalidates with (304). Bodies are not compressed: the server compresses nothing today, and a
 * reverse proxy in front gzips application/vnd.mapbox-vector-tile like any other type.
 */
export function registerTileRoutes(app: FastifyInstance, tiles: TileService): void {
  app.get(
    '/api/v1/tiles/:layer/:z/:x/:y.mvt',
    {
      config: { access: { permission: 'geo:read' } },
      schema: {
        tags: ['regions'],
        summary: `Vector tile of one static layer (minimum zoom per layer: ${minZooms}; 204 when empty)`,
        params: jsonSchema(tileParams),
      },
    },
    async (req, reply) => {
      const p = parseOr400(tileParams, req.params, 'params');
      const tile = await tiles.tile(p.layer, p.z, p.x, p.y);
      if (!tile) return reply.status(204).send();
      void reply.header('ETag', tile.etag).header('Cache-Control', 'no-cache');
      if (req.headers['if-none-match'] === tile.etag) return reply.status(304).send();
      return reply.type('application/vnd.mapbox-vector-tile').send(Buffer.from(tile.body.buffer, tile.body.byteOffset, tile.body.byteLength));
    },
  );
}
