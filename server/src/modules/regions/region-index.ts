import type { Scope } from '../../../../shared/contracts/auth.js';
import { UPPER_REGION_LEVELS, type UpperRegionLevel } from '../../../../shared/contracts/regions.js';

/** A region a scope can be granted at: the province, a city, a county or a town. */
export type AreaLevel = UpperRegionLevel | 'town';

export interface IndexedRegion {
  id: string;
  code: string;
  name: string;
  level: AreaLevel;
  parentId: string | null;
}

/**
 * The platform's regions from the province down to the towns, in memory (a province holds ~90
 * counties and ~1,300 towns): what a town belongs to, what a city or county holds, and an account's
 * granted areas expanded into the towns it sees. Built at start from the database and refilled in
 * place after a boundary import (`replace`), so every holder keeps the same object.
 */
export class RegionIndex {
  private byId = new Map<string, IndexedRegion>();
  private below = new Map<string, IndexedRegion[]>();
  private top: IndexedRegion | null = null;
  /**
   * scopeOf's answers by the areas as granted: every request loads its account and expands its
   * scope, a city's being some hundred towns. Emptied when the regions are replaced.
   */
  private scopes = new Map<string, Scope>();

  constructor(rows: readonly IndexedRegion[]) {
    this.replace(rows);
  }

  replace(rows: readonly IndexedRegion[]): void {
    this.byId = new Map(rows.map((r) => [r.id, r]));
    this.scopes = new Map();
    this.below = new Map();
    for (const r of rows) {
      if (r.parentId === null) continue;
      const siblings = this.below.get(r.parentId);
      if (siblings) siblings.push(r);
      else this.below.set(r.parentId, [r]);
    }
    const rank = (level: AreaLevel) => (level === 'town' ? UPPER_REGION_LEVELS.length : UPPER_REGION_LEVELS.indexOf(level));
    this.top = rows.reduce<IndexedRegion | null>((best, r) => (best === null || rank(r.level) < rank(best.level) ? r : best), null);
  }

  get(id: string): IndexedRegion | undefined {
    return this.byId.get(id);
  }

  /** The platform's top region: the county of a county server, else the city or province. */
  root(): IndexedRegion | null {
    return this.top;
  }

  /** The level of the platform's top region (a county server's is its county, as when it is empty). */
  platformLevel(): UpperRegionLevel {
    const level = this.top?.level;
    return level === undefined || level === 'town' ? 'county' : level;
  }

  /** The region and its ancestors, nearest first. */
  chain(id: string): IndexedRegion[] {
    const out: IndexedRegion[] = [];
    for (let r = this.byId.get(id); r; r = r.parentId === null ? undefined : this.byId.get(r.parentId)) out.push(r);
    return out;
  }

  /** The county a town or county belongs to (itself for a county); null above the county or when unknown. */
  countyOf(id: string): string | null {
    return this.chain(id).find((r) => r.level === 'county')?.id ?? null;
  }

  /** The city a town, county or city belongs to; null on a county server or when unknown. */
  cityOf(id: string): string | null {
    return this.chain(id).find((r) => r.level === 'city')?.id ?? null;
  }

  /** Every region of `level` at or below `id`, in code order. */
  under(id: string, level: AreaLevel): IndexedRegion[] {
    const self = this.byId.get(id);
    if (!self) return [];
    if (self.level === level) return [self];
    const out: IndexedRegion[] = [];
    const walk = (r: IndexedRegion) => {
      for (const child of this.below.get(r.id) ?? []) {
        if (child.level === level) out.push(child);
        else walk(child);
      }
    };
    walk(self);
    return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  /** Towns at or below the region (a town itself, a county's towns, a city's or province's). */
  townsUnder(id: string): string[] {
    return this.under(id, 'town').map((r) => r.id);
  }

  /** The ids among `areas` that cannot be granted: not a town, county, city or province of this platform. */
  unknownAreas(areas: readonly string[]): string[] {
    return areas.filter((a) => !this.byId.has(a));
  }

  /**
   * The region a scope is named and drawn after (a briefing's title, the KPI sheet's area): the
   * platform's root for the whole platform, else the nearest region holding every granted area — a
   * city user's city, a county user's county, one town's town, two towns' county.
   */
  rootOf(scope: Scope): IndexedRegion | null {
    if (scope.kind === 'county') return this.top;
    const chains = scope.areas.map((a) => this.chain(a).reverse()).filter((c) => c.length > 0);
    if (chains.length === 0) return this.top;
    let common: IndexedRegion | null = null;
    for (let i = 0; chains.every((c) => c[i] !== undefined && c[i]!.id === chains[0]![i]!.id); i++) common = chains[0]![i]!;
    return common ?? this.top;
  }

  /**
   * What an account granted `areas` sees (null: the whole platform). Areas are town, county, city
   * or province ids; the root (or the province) is the whole platform. Unknown ids expand to nothing,
   * so an area removed by a boundary import narrows a scope, never widens it.
   */
  scopeOf(areas: readonly string[] | null): Scope {
    if (areas === null) return WHOLE_PLATFORM;
    const key = areas.join('\n');
    let scope = this.scopes.get(key);
    if (scope === undefined) {
      scope = deepFreeze(this.expand(areas));
      this.scopes.set(key, scope);
    }
    return scope;
  }

  private expand(areas: readonly string[]): Scope {
    const root = this.top;
    if (root && areas.includes(root.id)) return WHOLE_PLATFORM;
    const towns = new Set<string>();
    for (const area of areas) for (const town of this.townsUnder(area)) towns.add(town);
    const counties = new Set<string>();
    for (const town of towns) {
      const county = this.countyOf(town);
      if (county) counties.add(county);
    }
    return { kind: 'towns', towns: [...towns].sort(), counties: [...counties].sort(), areas: [...areas] };
  }
}

const WHOLE_PLATFORM: Scope = Object.freeze({ kind: 'county' });

/** A shared scope is read by every request of its accounts: frozen, so no holder can change another's. */
function deepFreeze(scope: Scope): Scope {
  if (scope.kind === 'towns') {
    Object.freeze(scope.towns);
    Object.freeze(scope.counties);
    Object.freeze(scope.areas);
  }
  return Object.freeze(scope);
}
