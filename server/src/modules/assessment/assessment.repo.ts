import type { Store } from '../../db/store.js';
import type { AssessmentWeights, Rating } from '../../../../shared/domain/assessment.js';
import type { AssessmentDecision, AssessmentFigures, AssessmentList, AssessmentPeriod } from '../../../../shared/contracts/assessment.js';
import type { Employment } from '../../../../shared/contracts/workforce.js';

interface PeriodRow {
  id: string;
  starts_on: string;
  ends_on: string;
  status: 'open' | 'closed';
  weights: string;
  created_by: string;
  created_at: string;
  closed_by: string | null;
  closed_at: string | null;
}

export type StoredPeriod = Omit<AssessmentPeriod, 'workingDays'>;

const period = (r: PeriodRow): StoredPeriod => ({
  id: r.id,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  status: r.status,
  weights: JSON.parse(r.weights) as AssessmentWeights,
  createdBy: r.created_by,
  createdAt: r.created_at,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
});

/** A worker assessed in a period, with the places the table names. */
export interface AssessedWorker {
  id: string;
  name: string;
  employment: Employment;
  gridId: string;
  gridName: string;
  townId: string;
  townName: string;
}

export interface StoredReview {
  workerId: string;
  de: number;
  neng: number;
  comment: string;
  reviewer: string;
  reviewedAt: string;
}

export interface StoredResult {
  workerId: string;
  townId: string;
  qin: number;
  ji: number;
  de: number | null;
  neng: number | null;
  total: number | null;
  rankTown: number | null;
  rankCounty: number | null;
  rating: Rating | null;
  figures: AssessmentFigures;
}

/** The assessment's rows (migration 25): periods, reviews (德, 能), frozen results, list decisions. */
export class AssessmentRepo {
  constructor(private readonly store: Store) {}

  async period(id: string): Promise<StoredPeriod | null> {
    const r = await this.store.get<PeriodRow>('SELECT * FROM assessment_periods WHERE id = ?', id);
    return r ? period(r) : null;
  }

  async periods(): Promise<StoredPeriod[]> {
    return (await this.store.all<PeriodRow>('SELECT * FROM assessment_periods ORDER BY starts_on DESC, id DESC')).map(period);
  }

  /** A period overlapping [startsOn, endsOn], if any: periods never overlap. */
  async overlapping(startsOn: string, endsOn: string): Promise<string | null> {
    const r = await this.store.get<{ id: string }>('SELECT id FROM assessment_periods WHERE starts_on <= ? AND ends_on >= ? ORDER BY id LIMIT 1', endsOn, startsOn);
    return r?.id ?? null;
  }

  async insertPeriod(p: { id: string; startsOn: string; endsOn: string; weights: AssessmentWeights; by: string; at: string }): Promise<void> {
    await this.store.run(
      "INSERT INTO assessment_periods (id, starts_on, ends_on, status, weights, created_by, created_at) VALUES (?, ?, ?, 'open', ?, ?, ?)",
      p.id,
      p.startsOn,
      p.endsOn,
      JSON.stringify(p.weights),
      p.by,
      p.at,
    );
  }

  /**
   * The workers a period assesses: every worker who had started by its last day (or whose start
   * is unknown) and had not left before its first day, in worker id order.
   */
  async assessedWorkers(startsOn: string, endsOn: string): Promise<AssessedWorker[]> {
    const rows = await this.store.all<{ id: string; name: string; employment: Employment; grid_id: string; grid_name: string; town_id: string; town_name: string }>(
      `SELECT w.id, w.name, w.employment, w.grid_id, g.name AS grid_name, t.id AS town_id, t.name AS town_name
         FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
        WHERE (w.started_on IS NULL OR w.started_on <= ?)
          AND (w.status <> 'left' OR (w.left_on IS NOT NULL AND w.left_on >= ?))
        ORDER BY w.id`,
      endsOn,
      startsOn,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, employment: r.employment, gridId: r.grid_id, gridName: r.grid_name, townId: r.town_id, townName: r.town_name }));
  }

  async reviews(periodId: string): Promise<Map<string, StoredReview>> {
    const rows = await this.store.all<{ worker_id: string; de: number; neng: number; comment: string; reviewer: string; reviewed_at: string }>(
      `SELECT r.worker_id, r.de, r.neng, r.comment, u.display_name AS reviewer, r.reviewed_at
         FROM assessment_reviews r JOIN users u ON u.id = r.reviewer_id WHERE r.period_id = ? ORDER BY r.worker_id`,
      periodId,
    );
    return new Map(rows.map((r) => [r.worker_id, { workerId: r.worker_id, de: r.de, neng: r.neng, comment: r.comment, reviewer: r.reviewer, reviewedAt: r.reviewed_at }]));
  }

  async saveReview(periodId: string, r: { workerId: string; de: number; neng: number; comment: string }, by: string, at: string): Promise<void> {
    await this.store.run(
      `INSERT INTO assessment_reviews (period_id, worker_id, de, neng, comment, reviewer_id, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (period_id, worker_id) DO UPDATE SET de = excluded.de, neng = excluded.neng, comment = excluded.comment, reviewer_id = excluded.reviewer_id, reviewed_at = excluded.reviewed_at`,
      periodId,
      r.workerId,
      r.de,
      r.neng,
      r.comment,
      by,
      at,
    );
  }

  async results(periodId: string): Promise<Map<string, StoredResult>> {
    const rows = await this.store.all<{
      worker_id: string;
      town_id: string;
      qin: number;
      ji: number;
      de: number | null;
      neng: number | null;
      total: number | null;
      rank_town: number | null;
      rank_county: number | null;
      rating: Rating | null;
      figures: string;
    }>('SELECT * FROM assessment_results WHERE period_id = ? ORDER BY worker_id', periodId);
    return new Map(
      rows.map((r) => [
        r.worker_id,
        {
          workerId: r.worker_id,
          townId: r.town_id,
          qin: r.qin,
          ji: r.ji,
          de: r.de,
          neng: r.neng,
          total: r.total,
          rankTown: r.rank_town,
          rankCounty: r.rank_county,
          rating: r.rating,
          figures: JSON.parse(r.figures) as AssessmentFigures,
        },
      ]),
    );
  }

  /** Freezes the results and closes the period; inside the caller's transaction. */
  async close(periodId: string, results: readonly StoredResult[], by: string, at: string): Promise<void> {
    for (const r of results) {
      await this.store.run(
        `INSERT INTO assessment_results (period_id, worker_id, town_id, qin, ji, de, neng, total, rank_town, rank_county, rating, figures)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        periodId,
        r.workerId,
        r.townId,
        r.qin,
        r.ji,
        r.de,
        r.neng,
        r.total,
        r.rankTown,
        r.rankCounty,
        r.rating,
        JSON.stringify(r.figures),
      );
    }
    await this.store.run("UPDATE assessment_periods SET status = 'closed', closed_by = ?, closed_at = ? WHERE id = ? AND status = 'open'", by, at, periodId);
  }

  async decisions(periodId: string): Promise<Map<string, AssessmentDecision[]>> {
    const rows = await this.store.all<{
      worker_id: string;
      list: AssessmentList;
      proposal: string;
      proposer: string;
      proposed_at: string;
      decision: 'approved' | 'rejected' | null;
      decider: string | null;
      decided_at: string | null;
      reason: string | null;
    }>(
      `SELECT d.worker_id, d.list, d.proposal, p.display_name AS proposer, d.proposed_at, d.decision, u.display_name AS decider, d.decided_at, d.reason
         FROM assessment_decisions d JOIN users p ON p.id = d.proposed_by LEFT JOIN users u ON u.id = d.decided_by
        WHERE d.period_id = ? ORDER BY d.worker_id, d.list`,
      periodId,
    );
    const out = new Map<string, AssessmentDecision[]>();
    for (const r of rows) {
      const list = out.get(r.worker_id) ?? [];
      list.push({ list: r.list, proposal: r.proposal, proposedBy: r.proposer, proposedAt: r.proposed_at, decision: r.decision, decidedBy: r.decider, decidedAt: r.decided_at, reason: r.reason });
      out.set(r.worker_id, list);
    }
    return out;
  }

  async proposal(periodId: string, workerId: string, list: AssessmentList): Promise<{ proposedBy: string; decidedAt: string | null } | null> {
    const r = await this.store.get<{ proposed_by: string; decided_at: string | null }>(
      'SELECT proposed_by, decided_at FROM assessment_decisions WHERE period_id = ? AND worker_id = ? AND list = ?',
      periodId,
      workerId,
      list,
    );
    return r ? { proposedBy: r.proposed_by, decidedAt: r.decided_at } : null;
  }

  async propose(periodId: string, workerId: string, list: AssessmentList, proposal: string, by: string, at: string): Promise<void> {
    await this.store.run(
      'INSERT INTO assessment_decisions (period_id, worker_id, list, proposed_by, proposed_at, proposal) VALUES (?, ?, ?, ?, ?, ?)',
      periodId,
      workerId,
      list,
      by,
      at,
      proposal,
    );
  }

  /** Records the decision; false when it was decided in between (the row is decided once). */
  async decide(periodId: string, workerId: string, list: AssessmentList, d: { decision: 'approved' | 'rejected'; reason: string }, by: string, at: string): Promise<boolean> {
    const { changes } = await this.store.run(
      'UPDATE assessment_decisions SET decision = ?, reason = ?, decided_by = ?, decided_at = ? WHERE period_id = ? AND worker_id = ? AND list = ? AND decided_at IS NULL',
      d.decision,
      d.reason,
      by,
      at,
      periodId,
      workerId,
      list,
    );
    return changes === 1;
  }
}
