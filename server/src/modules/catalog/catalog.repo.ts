import type { Db } from '../../db/connection.js';
import type { CatalogItem, TeamType, TimeLimitUnit } from '../../../../shared/contracts/catalog.js';
import type { Urgency } from '../../../../shared/contracts/events.js';

interface CatalogRow {
  code: string;
  name: string;
  name_en: string;
  category: string;
  category_name: string;
  category_name_en: string;
  department: string;
  team_type: string;
  default_urgency: string;
  self_handle: number;
  handle_limit: number;
  handle_unit: string;
}

const toItem = (r: CatalogRow): CatalogItem => ({
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  category: r.category,
  categoryName: r.category_name,
  categoryNameEn: r.category_name_en,
  department: r.department,
  teamType: r.team_type as TeamType,
  defaultUrgency: r.default_urgency as Urgency,
  selfHandle: r.self_handle === 1,
  handleLimit: { value: r.handle_limit, unit: r.handle_unit as TimeLimitUnit },
});

export class CatalogRepo {
  constructor(private readonly db: Db) {}

  list(): CatalogItem[] {
    return (this.db.prepare('SELECT * FROM catalog_items ORDER BY sort, code').all() as CatalogRow[]).map(toItem);
  }

  get(code: string): CatalogItem | null {
    const row = this.db.prepare('SELECT * FROM catalog_items WHERE code = ?').get(code) as CatalogRow | undefined;
    return row ? toItem(row) : null;
  }
}
