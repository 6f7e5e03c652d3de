import type { Employment, WorkerStatus } from '../../../../shared/contracts/workforce.js';
import type { Store } from '../../db/store.js';
import type { CompositionWorkerRow } from './composition.service.js';

const marks = (list: readonly unknown[]) => list.map(() => '?').join(',') || 'NULL';

/** The rows the composition dashboard counts: every worker (left ones too, for turnover) with their town. */
export class CompositionRepo {
  constructor(private readonly store: Store) {}

  /** Towns of the scope (null: all), by code. */
  async towns(towns: readonly string[] | null): Promise<Array<{ id: string; name: string }>> {
    return this.store.all<{ id: string; name: string }>(
      `SELECT id, name FROM regions WHERE level = 'town' ${towns !== null ? `AND id IN (${marks(towns)})` : ''} ORDER BY code, id`,
      ...(towns ?? []),
    );
  }

  async workers(towns: readonly string[] | null): Promise<CompositionWorkerRow[]> {
    const rows = await this.store.all<{
      id: string;
      town_id: string;
      employment: Employment;
      grade: number;
      status: WorkerStatus;
      started_on: string | null;
      left_on: string | null;
      birth_year: number;
      education: string;
    }>(
      `SELECT w.id, t.id AS town_id, w.employment, w.grade, w.status, w.started_on, w.left_on, w.birth_year, w.education
         FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
        ${towns !== null ? `WHERE t.id IN (${marks(towns)})` : ''} ORDER BY w.id`,
      ...(towns ?? []),
    );
    return rows.map((r) => ({
      id: r.id,
      townId: r.town_id,
      employment: r.employment,
      grade: Number(r.grade),
      status: r.status,
      startedOn: r.started_on,
      leftOn: r.left_on,
      birthYear: Number(r.birth_year),
      education: r.education,
    }));
  }
}
