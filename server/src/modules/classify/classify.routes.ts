import type { FastifyInstance } from 'fastify';
import { classifyRequestSchema, type ClassifyResponse } from '../../../../shared/contracts/classify.js';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { ClassifyService } from './classify.service.js';

/**
 * `POST /api/v1/classify`: the item suggestion for every intake form and integration. Open to
 * whoever may report a case (`events:create`: dispatchers, duty officers, shift leads, field
 * workers and integration keys), since it only helps fill that form. Not audited: it changes
 * nothing, and the text may name people that the trail should not keep.
 */
export function registerClassifyRoutes(app: FastifyInstance, deps: { classify: ClassifyService }): void {
  app.post(
    '/api/v1/classify',
    {
      config: { access: { permission: 'events:create' } },
      schema: {
        tags: ['events'],
        summary: 'Suggest the admitted item of a matter described in free Chinese text',
        description:
          'Answers the three most likely items of the active catalog, best first, each with `score` (0–1: the model\'s confidence; the scores of every item sum to 1) ' +
          'and `words` (the words of the text that weighed most for it, strongest first). `threshold`: below it for the best suggestion a person picks the item. ' +
          'A text with no word the model knows still gets three suggestions, with low scores and no words. The model learns the catalog\'s names and keywords and the county\'s closed cases, as they close.',
        body: jsonSchema(classifyRequestSchema),
      },
    },
    async (req): Promise<ClassifyResponse> => {
      const { text } = parseOr400(classifyRequestSchema, req.body, 'body');
      return { suggestions: deps.classify.suggest(text), threshold: deps.classify.threshold };
    },
  );
}
