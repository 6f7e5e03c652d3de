import gcoord from 'gcoord';
import type { Position } from '../../../shared/contracts/workflow.js';

/** The phone's position as the field app holds it. Browsers give WGS84; a host app may give GCJ-02. */
export interface FieldPosition {
  lon: number;
  lat: number;
  accuracy?: number;
  crs: 'wgs84' | 'gcj02';
  /** When it was measured (ms since epoch). */
  at: number;
}

/**
 * A host app (a WebView shell with the phone's map SDK) may hand positions in, usually GCJ-02:
 * `window.gridcommandFieldHost.getPosition()`.
 */
interface FieldHost {
  getPosition(): Promise<{ lon: number; lat: number; accuracy?: number; crs?: 'wgs84' | 'gcj02' } | null>;
}
declare global {
  interface Window {
    gridcommandFieldHost?: FieldHost;
  }
}

/** Position reports are sent at least this often while the page is visible. */
export const REPORT_INTERVAL_MS = 30_000;
/** ...and at once after a move of this many metres. */
export const SIGNIFICANT_MOVE_M = 50;

/** Great-circle distance in metres. */
export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether a new fix should be reported: the first one, after the interval, or after a significant move. */
export function shouldReport(last: { pos: FieldPosition; sentAt: number } | null, next: FieldPosition, now: number): boolean {
  if (!last) return true;
  if (now - last.sentAt >= REPORT_INTERVAL_MS) return true;
  return distanceM(last.pos, next) >= SIGNIFICANT_MOVE_M;
}

/** WGS84 for an action's `position` (the action schema carries no crs). */
export function toWgs84(pos: FieldPosition): Position {
  const [lon, lat] = pos.crs === 'gcj02' ? (gcoord.transform([pos.lon, pos.lat], gcoord.GCJ02, gcoord.WGS84) as [number, number]) : [pos.lon, pos.lat];
  const out: Position = { lon: round6(lon), lat: round6(lat) };
  if (pos.accuracy !== undefined && Number.isFinite(pos.accuracy)) out.accuracy = Math.min(100_000, Math.max(0, Math.round(pos.accuracy)));
  return out;
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** One fix: from the host app if there is one, else the browser's geolocation; null when none comes. */
export async function currentPosition(timeoutMs = 8_000): Promise<FieldPosition | null> {
  const host = window.gridcommandFieldHost;
  if (host) {
    const p = await host.getPosition().catch(() => null);
    if (p) return { lon: p.lon, lat: p.lat, accuracy: p.accuracy, crs: p.crs ?? 'gcj02', at: Date.now() };
  }
  if (!('geolocation' in navigator)) return null;
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy, crs: 'wgs84', at: p.timestamp || Date.now() }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30_000 },
    );
  });
}

/**
 * Watches the phone's position while the page is visible and reports it (`send`) every 30 s or
 * after a significant move. Also keeps the latest fix for actions to carry.
 */
export class PositionTracker {
  private watchId: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private last: { pos: FieldPosition; sentAt: number } | null = null;
  latest: FieldPosition | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly send: (pos: FieldPosition) => Promise<void>) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getLatest = (): FieldPosition | null => this.latest;

  start(): void {
    this.stop();
    const onFix = (pos: FieldPosition) => {
      this.latest = pos;
      for (const l of this.listeners) l();
      this.maybeSend(pos);
    };
    if (!window.gridcommandFieldHost && 'geolocation' in navigator) {
      this.watchId = navigator.geolocation.watchPosition(
        (p) => onFix({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy, crs: 'wgs84', at: p.timestamp || Date.now() }),
        () => undefined,
        { enableHighAccuracy: true, maximumAge: 15_000 },
      );
    }
    // The interval covers a phone standing still (no watch callbacks) and host-app positions.
    this.timer = setInterval(() => {
      void currentPosition().then((p) => p && onFix(p));
    }, REPORT_INTERVAL_MS);
    void currentPosition().then((p) => p && onFix(p));
  }

  stop(): void {
    if (this.watchId !== null && 'geolocation' in navigator) navigator.geolocation.clearWatch(this.watchId);
    if (this.timer) clearInterval(this.timer);
    this.watchId = null;
    this.timer = null;
  }

  private maybeSend(pos: FieldPosition): void {
    const now = Date.now();
    if (!shouldReport(this.last, pos, now)) return;
    this.last = { pos, sentAt: now };
    void this.send(pos).catch(() => {
      // Not delivered: the next fix tries again.
      this.last = null;
    });
  }
}
