import type { FastifyInstance } from 'fastify';
import { searchQuerySchema, SEARCH_MAX_LENGTH, type SearchResponse } from '../../../../shared/contracts/search.js';
import { parseOr400 } from '../../http/errors.js';
import { requestLang } from '../../http/error-handler.js';
import { t } from '../../http/messages.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from '../auth/auth.plugin.js';
import { SEARCH_LIMITS, type SearchService } from './search.service.js';

/** `GET /api/v1/search`: the console's search box. */
export function registerSearchRoutes(app: FastifyInstance, deps: { search: SearchService }): void {
  app.get(
    '/api/v1/search',
    {
      config: { access: { permission: 'events:read' } },
      schema: {
        tags: ['events'],
        summary: 'Find cases by id, reporter phone or address; towns, villages and grids by name; catalog items by name or code; only in the caller\'s towns',
        description:
          `\`q\` (1–${SEARCH_MAX_LENGTH} characters) is read every way it can mean: a case id (\`EV…\`, or its digits), 1–8 digits as the number of a case reported today (China time), ` +
          `4–12 digits as a reporter's phone or its last digits (\`+86\`, spaces and dashes ignored), and text with words as an address, a place name and an item. ` +
          `\`cases\` carry how each was found (\`match\`: id, phone, address) and the case as the caller may see it; at most ${SEARCH_LIMITS.phone} by phone and ${SEARCH_LIMITS.address} by address, the newest first. ` +
          `\`places\` (at most ${SEARCH_LIMITS.places}) carry their bounds for the map; \`items\` (at most ${SEARCH_LIMITS.items}) the open cases of each in the caller's towns. \`truncated\` says a group had more. ` +
          'A phone search is personal-data access: it is made only for roles that see reporters\' phones and audited as `personal_data:search` with the number masked and the cases it returned. ' +
          'For other roles the phone reading is skipped, audited as refused, and `notices` says so (`phone_not_permitted`, in the request\'s language). ' +
          'Cases and places outside the caller\'s towns are never returned nor counted.',
        querystring: jsonSchema(searchQuerySchema),
      },
    },
    async (req): Promise<SearchResponse> => {
      const { q } = parseOr400(searchQuerySchema, req.query, 'query');
      const result = await deps.search.search(q, { principal: req.principal!, ctx: requestContext(req) });
      const lang = requestLang(req);
      return { ...result, notices: result.notices.map((code) => ({ code, message: t(lang, `search.${code}`) })) };
    },
  );
}
