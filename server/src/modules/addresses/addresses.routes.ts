import type { FastifyInstance } from 'fastify';
import {
  ADDRESS_LIMIT_DEFAULT,
  ADDRESS_LIMIT_MAX,
  ADDRESS_OPEN_CASES_MAX,
  ADDRESS_QUERY_MAX_LENGTH,
  addressCodeParamsSchema,
  addressQuerySchema,
  type AddressDetail,
  type AddressSearchResponse,
} from '../../../../shared/contracts/addresses.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AddressesService } from './addresses.service.js';

/** `GET /api/v1/addresses` (unified address search) and `GET /api/v1/addresses/{code}` (the place card). */
export function registerAddressRoutes(app: FastifyInstance, deps: { addresses: AddressesService }): void {
  app.get(
    '/api/v1/addresses',
    {
      config: { access: { permission: 'geo:read' } },
      schema: {
        tags: ['regions'],
        summary: "Find households' unified addresses (统一地址) by any part of the address or by code; only in the caller's towns",
        description:
          `\`q\` (1–${ADDRESS_QUERY_MAX_LENGTH} characters): any part of a Chinese address (two characters such as \`新村\` or \`5号\` too; words separated by spaces must all be in it), ` +
          `or an address code or its first digits. Best first: the exact code, codes starting with \`q\` (in code order), then addresses holding it, shortest first ` +
          `(so the address equal to \`q\` leads), then in the order they were registered. \`limit\` 1–${ADDRESS_LIMIT_MAX}, default ${ADDRESS_LIMIT_DEFAULT}. \`location\` is WGS84. ` +
          "Addresses outside the caller's towns are never returned.",
        querystring: jsonSchema(addressQuerySchema),
      },
    },
    async (req): Promise<AddressSearchResponse> => {
      const { q, limit } = parseOr400(addressQuerySchema, req.query, 'query');
      return { items: await deps.addresses.search(q, req.principal!, limit ?? ADDRESS_LIMIT_DEFAULT) };
    },
  );

  app.get(
    '/api/v1/addresses/:code',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['regions'],
        summary: 'One address with its micro-grid, grid, village and town, the people and teams serving it, and its open cases',
        description:
          `The roster lists the grid's workers, then the micro-grid's 5包1 five; teams are the village's, the town's and the county units (dispatch's candidates). ` +
          `At most ${ADDRESS_OPEN_CASES_MAX} open cases, newest first. Names and phones masked for roles that do not see personal data. ` +
          "404 for an unknown code and for an address outside the caller's towns alike.",
        params: jsonSchema(addressCodeParamsSchema),
      },
    },
    async (req): Promise<AddressDetail> => {
      const { code } = parseOr400(addressCodeParamsSchema, req.params, 'params');
      const detail = await deps.addresses.detail(code, req.principal!);
      if (!detail) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: `address ${code}` });
      return detail;
    },
  );
}
