import type { FastifyInstance } from 'fastify';
import { compositionQuerySchema, type CompositionResponse } from '../../../../shared/contracts/training.js';
import { chinaDayOf } from '../../../../shared/domain/calendar-days.js';
import type { Clock } from '../../core/clock.js';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { townsOf } from '../kpi/town-filter.js';
import type { RegionIndex } from '../regions/region-index.js';
import type { SettingsRepo } from '../settings/settings.repo.js';
import { roundHours } from '../training/training-progress.js';
import type { TrainingRepo } from '../training/training.repo.js';
import type { CompositionRepo } from './composition.repo.js';
import { buildComposition } from './composition.service.js';

/** `GET /api/v1/workforce/composition`: the workforce's structure by town, as the source paper quotes it. */
export function registerCompositionRoutes(app: FastifyInstance, deps: { composition: CompositionRepo; training: TrainingRepo; settings: SettingsRepo; regions: RegionIndex; audit: AuditRepo; clock: Clock }): void {
  app.get(
    '/api/v1/workforce/composition',
    {
      config: { access: { permission: 'workforce:read' } },
      schema: {
        tags: ['workforce'],
        summary: "The grid workforce's composition on a day, by town and in total: full-/part-time, grades, age bands, education, turnover, 50+ share, trained share",
        description:
          '`asOf` a day (China time; default today), `town` one town of the caller\'s scope (403 `out_of_scope` outside it; default all of them). ' +
          'Workers in service on asOf: started by it (`started_on` empty or ≤ asOf) and not left by it (`left_on` empty or after asOf; status `left` without a date counts as left). ' +
          'Age = asOf\'s year − birth year. Turnover = workers whose `left_on` is in (asOf − 1 year, asOf] ÷ ((in service on asOf − 1 year + in service on asOf) / 2), in percent. ' +
          'Trained = workers in service whose training hours of sessions held from 1 January of asOf\'s year up to asOf meet the yearly requirement (`GET /api/v1/training/settings`). Shares in percent, one decimal, null when nobody is counted.',
        querystring: jsonSchema(compositionQuerySchema),
      },
    },
    async (req): Promise<CompositionResponse> => {
      const q = parseOr400(compositionQuerySchema, req.query, 'query');
      const scope = await townsOf(req, q.town, deps);
      const asOf = q.asOf ?? chinaDayOf(deps.clock.now());
      const [towns, workers, hourRows, settings] = await Promise.all([
        deps.composition.towns(scope),
        deps.composition.workers(scope),
        deps.training.hours({ from: `${asOf.slice(0, 4)}-01-01`, to: asOf, towns: scope }),
        deps.settings.training(),
      ]);
      const hours = new Map<string, number>();
      for (const r of hourRows) hours.set(r.workerId, roundHours((hours.get(r.workerId) ?? 0) + r.hours));
      return buildComposition(workers, towns, { asOf, hours, required: settings.yearlyHours });
    },
  );
}
