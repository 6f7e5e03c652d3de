import type { FastifyInstance } from 'fastify';
import { FORWARD_MAX_BATCH, forwardBatchSchema, type ForwardAccepted, type ForwardCursor } from '../../../../shared/contracts/forwarding.js';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from '../auth/auth.plugin.js';
import type { ForwardedService } from './forwarded.service.js';

/** Largest batch body: FORWARD_MAX_BATCH changes of a few KB each. */
export const FORWARD_BODY_LIMIT = 8 * 1024 * 1024;

/** The city's end of a county server forwarding its cases (modules/forwarding/forwarder.ts is the county's). */
export function registerForwardedRoutes(app: FastifyInstance, deps: { forwarded: ForwardedService }): void {
  app.get(
    '/api/v1/forwarded/cursor',
    {
      config: { access: { permission: 'events:forward' } },
      schema: {
        tags: ['events'],
        summary: "A county server's forwarding: the last of its change seqs this (city) server applied",
        description:
          "For an integration API key whose account's scope is exactly one county of this platform (on a platform of one county, the whole platform; 403 `not_forward_scope` otherwise, 403 `channel_mismatch` for a key bound to an intake channel): `{ county, lastSeq }`, 0 before the county's first batch. " +
          'The county server reads it when it starts and after any refusal, and sends its change log from the change after it.',
      },
    },
    async (req): Promise<ForwardCursor> => deps.forwarded.cursor(req.principal!, requestContext(req)),
  );

  app.post(
    '/api/v1/forwarded/changes',
    {
      config: { access: { permission: 'events:forward' } },
      bodyLimit: FORWARD_BODY_LIMIT,
      schema: {
        tags: ['events'],
        summary: "A county server forwards a batch of its case changes, in seq order",
        description:
          `1 to ${FORWARD_MAX_BATCH} changes of the county's change log, consecutive seqs, each with the case as it stood after it (\`event\`) and its timeline entry. ` +
          "Changes at or before the city's cursor are skipped (a re-sent batch changes nothing); the first change after it must be the cursor + 1, otherwise 409 `forward_gap` with `lastSeq` and nothing is stored. " +
          "Every case must lie in the key's county (403 `out_of_scope` naming `changes.N.event.townId`), its village, grid and micro-grid must be regions of this platform (422 `unknown_region`). " +
          "The first change of a county case gives it a city id; the case shows `forwardedFrom: { county, eventId }` and is handled on the county's server (actions on it here: 409 `forwarded_case`). " +
          'The applied changes, the cases and the new cursor commit together; each batch and each refusal is audited `event:forwarded`. Answers `{ county, lastSeq, applied }`.',
        body: jsonSchema(forwardBatchSchema),
      },
    },
    async (req): Promise<ForwardAccepted> => {
      const body = parseOr400(forwardBatchSchema, req.body, 'body');
      return deps.forwarded.accept(body, req.principal!, requestContext(req));
    },
  );
}
