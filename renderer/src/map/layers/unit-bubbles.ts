import type { FeatureCollection, Point } from 'geojson';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { deadlineStanding, isOpen } from '../../../../shared/domain/case-state.js';
import { markerPhase, type ShownEvents } from './event-layers';
import type { UnitAnchor, UnitLevel } from './unit-anchors';

/** An event's county and city ids: the first 6 digits of its town, and the first 4 + '00'. */
export const countyOf = (townId: string) => townId.slice(0, 6);
export const cityOf = (townId: string) => `${townId.slice(0, 4)}00`;

/** One open case's share of its units' bubbles. */
interface Share {
  county: string;
  city: string;
  /** 0 (P0) … 3 (P3). */
  rank: number;
  overdue: boolean;
  warning: boolean;
}

/** A unit's running sums: counts per urgency (so the worst survives a removal), overdue and near-deadline counts. */
interface UnitSum {
  count: number;
  byRank: [number, number, number, number];
  overdue: number;
  warning: number;
}

const URGENCY_RANK = { P0: 0, P1: 1, P2: 2, P3: 3 } as const;

/** The properties of a unit bubble: the names the cluster bubbles' expressions read, so both look alike. */
export interface UnitFeatureProperties {
  id: string;
  level: UnitLevel;
  /** The unit's name, written beside its bubble. */
  name: string;
  point_count: number;
  point_count_abbreviated: string;
  worst: number;
  overdue: number;
  warning: number;
}

/**
 * Open cases per county and city, kept up to date from the live events. A feed batch costs an
 * identity check per event and a re-count of the changed ones only; a new clock minute or a
 * switched phase recounts every case (the deadline standings move), once. Finished cases and
 * those of a phase switched off add nothing.
 */
export class UnitTally {
  private shares = new Map<string, Share>();
  private sums = new Map<string, UnitSum>();
  private shown: ShownEvents | null = null;
  private shownKey = '';

  /** Brings the sums in line with `next`; true when any changed. */
  update(next: ShownEvents): boolean {
    const prev = this.shown;
    this.shown = next;
    if (!prev || prev.phases !== next.phases || prev.now !== next.now) {
      this.shares.clear();
      this.sums.clear();
      for (const [id, event] of next.events) this.add(id, this.shareOf(event, next));
    } else {
      for (const [id, event] of next.events) {
        if (prev.events.get(id) === event) continue;
        this.remove(id);
        this.add(id, this.shareOf(event, next));
      }
      for (const id of prev.events.keys()) if (!next.events.has(id)) this.remove(id);
    }
    const key = this.key();
    if (key === this.shownKey) return false;
    this.shownKey = key;
    return true;
  }

  private shareOf(event: EventRecord, shown: ShownEvents): Share | null {
    if (!isOpen(event) || !shown.phases.has(markerPhase(event.status))) return null;
    const standing = deadlineStanding(event, shown.now).kind;
    return { county: countyOf(event.townId), city: cityOf(event.townId), rank: URGENCY_RANK[event.urgency], overdue: standing === 'overdue', warning: standing === 'warning' };
  }

  private add(id: string, share: Share | null): void {
    if (!share) return;
    this.shares.set(id, share);
    this.bump(share.county, share, 1);
    this.bump(share.city, share, 1);
  }

  private remove(id: string): void {
    const share = this.shares.get(id);
    if (!share) return;
    this.shares.delete(id);
    this.bump(share.county, share, -1);
    this.bump(share.city, share, -1);
  }

  private bump(unit: string, share: Share, by: 1 | -1): void {
    let sum = this.sums.get(unit);
    if (!sum) {
      sum = { count: 0, byRank: [0, 0, 0, 0], overdue: 0, warning: 0 };
      this.sums.set(unit, sum);
    }
    sum.count += by;
    sum.byRank[share.rank] = (sum.byRank[share.rank] ?? 0) + by;
    if (share.overdue) sum.overdue += by;
    if (share.warning) sum.warning += by;
  }

  /** The sums as text: what the bubbles show changed when this did. */
  private key(): string {
    const parts: string[] = [];
    for (const [unit, s] of this.sums) if (s.count > 0) parts.push(`${unit}:${s.count}:${s.byRank.join(',')}:${s.overdue}:${s.warning}`);
    return parts.sort().join('|');
  }

  /** One bubble per unit holding open cases, at its anchor. */
  collection(anchors: readonly UnitAnchor[]): FeatureCollection<Point, UnitFeatureProperties> {
    const features: FeatureCollection<Point, UnitFeatureProperties>['features'] = [];
    for (const a of anchors) {
      const s = this.sums.get(a.id);
      if (!s || s.count <= 0) continue;
      const worst = s.byRank.findIndex((n) => n > 0);
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
        // A command room reads whole numbers: 3,214 cases, not 3.2k.
        properties: { id: a.id, level: a.level, name: a.name, point_count: s.count, point_count_abbreviated: String(s.count), worst, overdue: s.overdue, warning: s.warning },
      });
    }
    return { type: 'FeatureCollection', features };
  }
}
