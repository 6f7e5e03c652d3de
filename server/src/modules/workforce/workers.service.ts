import type { WorkerPatch, WorkerRecord } from '../../../../shared/contracts/workforce.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditActor } from '../audit/audit.contract.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { WorkerChanges, WorkersRepo } from './workers.repo.js';

export interface WorkersServiceDeps {
  store: Store;
  repo: WorkersRepo;
  audit: AuditRepo;
  clock: Clock;
}

type FieldProblem = { field: string; code: string };

/** What the audit trail keeps of a record: the fields a change may touch. */
function kept(w: WorkerRecord) {
  return {
    grade: w.grade,
    status: w.status,
    leftOn: w.leftOn,
    startedOn: w.startedOn,
    employment: w.employment,
    education: w.education,
    phone: w.phone,
    teamId: w.team?.id ?? null,
    microGridIds: w.microGrids.map((m) => m.id).sort(),
    userId: w.account?.userId ?? null,
  };
}
type Kept = ReturnType<typeof kept>;

/**
 * Changes to a grid worker's record by the grid office (网格办): checked against the record's
 * rules, written with the audit record in one store transaction; a refusal changes nothing and
 * is audited too (`worker:update`, result `failure`, the fields and their codes).
 */
export class WorkersService {
  constructor(private readonly deps: WorkersServiceDeps) {}

  /** The rules a change must keep, read against the stored record (inside the transaction). */
  private async problems(worker: WorkerRecord, patch: WorkerPatch, next: Kept): Promise<FieldProblem[]> {
    const { repo } = this.deps;
    const out: FieldProblem[] = [];
    if (patch.microGridIds !== undefined) {
      const own = new Set(await repo.microGridsOf(worker.grid.id));
      if (patch.microGridIds.some((m) => !own.has(m))) out.push({ field: 'microGridIds', code: 'micro_grid_not_in_grid' });
    }
    if (patch.teamId !== undefined && patch.teamId !== null && !(await repo.teamExists(patch.teamId))) out.push({ field: 'teamId', code: 'unknown_team' });
    if (patch.userId !== undefined && patch.userId !== null) {
      const account = await repo.account(patch.userId);
      if (!account) out.push({ field: 'userId', code: 'unknown_user' });
      else if (!account.roles.includes('field_worker')) out.push({ field: 'userId', code: 'not_field_worker' });
      else if (account.workerId !== null && account.workerId !== worker.id) out.push({ field: 'userId', code: 'linked_to_other_worker' });
    }
    if (next.status === 'left' && next.leftOn === null) out.push({ field: 'leftOn', code: 'left_on_required' });
    if (next.status !== 'left' && next.leftOn !== null) out.push({ field: 'leftOn', code: 'left_on_not_left' });
    if (next.leftOn !== null && next.startedOn !== null && next.leftOn < next.startedOn) out.push({ field: 'leftOn', code: 'before_started_on' });
    return out;
  }

  /**
   * Applies a checked patch to a record the caller may manage (scope checked by the route).
   * `status` other than left without `leftOn` clears the leaving date (a worker who returns).
   */
  async update(worker: WorkerRecord, patch: WorkerPatch, actor: AuditActor): Promise<WorkerRecord> {
    const { store, repo, audit, clock } = this.deps;
    const { reason, microGridIds, ...fields } = patch;
    const before = kept(worker);
    const status = fields.status ?? before.status;
    const leftOn = fields.leftOn !== undefined ? fields.leftOn : fields.status !== undefined && status !== 'left' ? null : before.leftOn;
    const changes: WorkerChanges = { ...fields, ...(leftOn !== before.leftOn ? { leftOn } : {}) };
    const next: Kept = { ...before, ...changes, microGridIds: microGridIds === undefined ? before.microGridIds : [...new Set(microGridIds)].sort() } as Kept;
    const outcome = await store.inTransaction(async () => {
      const found = await this.problems(worker, patch, next);
      if (found.length > 0) return { problems: found };
      await repo.update(worker.id, changes, microGridIds === undefined ? undefined : next.microGridIds, clock.now().toISOString());
      const changed = (Object.keys(next) as Array<keyof Kept>).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]));
      await audit.append({
        ...actor,
        action: 'worker:update',
        result: 'success',
        objectType: 'worker',
        objectId: worker.id,
        details: {
          from: Object.fromEntries(changed.map((k) => [k, before[k]])),
          to: Object.fromEntries(changed.map((k) => [k, next[k]])),
          reason: reason ?? null,
        },
      });
      return { problems: [] as FieldProblem[] };
    });
    if (outcome.problems.length > 0) {
      await audit.record({
        ...actor,
        action: 'worker:update',
        result: 'failure',
        reason: 'worker_change_invalid',
        objectType: 'worker',
        objectId: worker.id,
        details: { fields: outcome.problems.map((p) => `${p.field}:${p.code}`), reason: reason ?? null },
      });
      throw new ApiHttpError(422, 'worker_change_invalid', 'error.worker_change_invalid', outcome.problems, { what: outcome.problems.map((p) => p.field).join(', ') });
    }
    return (await repo.get(worker.id))!;
  }
}
