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

/**
 * Why the phone has no position, each with its own remedy (i18n-field `position.problem.*`):
 * - `insecure`: the page is on plain http (not localhost); browsers give positions only to https;
 * - `unsupported`: the browser has no geolocation at all;
 * - `denied`: the worker (or the phone's settings) refused this page the position;
 * - `unavailable`: location is switched off, or no fix can be had (indoors, no GPS);
 * - `timeout`: no fix came in time.
 */
export type PositionProblem = 'insecure' | 'unsupported' | 'denied' | 'unavailable' | 'timeout';

/** A fix, or why there is none. */
export type PositionResult = { fix: FieldPosition; problem: null } | { fix: null; problem: PositionProblem };

/**
 * The problem a failed request means. A page on http gets "permission denied" from the browser
 * without anyone being asked, so an insecure page is named as such whatever the error says.
 */
export function problemOf(error: { code: number } | null, env: { secure: boolean; supported: boolean }): PositionProblem {
  if (!env.secure) return 'insecure';
  if (!env.supported) return 'unsupported';
  switch (error?.code) {
    case 1: // PERMISSION_DENIED
      return 'denied';
    case 3: // TIMEOUT
      return 'timeout';
    default: // POSITION_UNAVAILABLE, or no callback at all
      return 'unavailable';
  }
}

function environment(): { secure: boolean; supported: boolean } {
  return { secure: window.isSecureContext !== false, supported: 'geolocation' in navigator };
}

const fromBrowser = (p: GeolocationPosition): FieldPosition => ({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy, crs: 'wgs84', at: p.timestamp || Date.now() });

/** One fix, from the host app if there is one, else the browser's geolocation; or why none came. */
export async function locate(timeoutMs = 8_000): Promise<PositionResult> {
  const host = window.gridcommandFieldHost;
  if (host) {
    const p = await host.getPosition().catch(() => null);
    if (p) return { fix: { lon: p.lon, lat: p.lat, accuracy: p.accuracy, crs: p.crs ?? 'gcj02', at: Date.now() }, problem: null };
  }
  const env = environment();
  if (!env.secure || !env.supported) return { fix: null, problem: problemOf(null, env) };
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ fix: fromBrowser(p), problem: null }),
      (err) => resolve({ fix: null, problem: problemOf(err, env) }),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30_000 },
    );
  });
}

/** One fix, or null when none comes (see `locate` for why). */
export async function currentPosition(timeoutMs = 8_000): Promise<FieldPosition | null> {
  return (await locate(timeoutMs)).fix;
}

/** What the tracker knows: the latest fix, and why the last attempt gave none (null once one came). */
export interface TrackerState {
  latest: FieldPosition | null;
  problem: PositionProblem | null;
}

/**
 * Watches the phone's position while the page is visible and reports it (`send`) every 30 s or
 * after a significant move. Also keeps the latest fix for actions to carry, and why there is
 * none when the phone gives none, for the screens to explain.
 */
export class PositionTracker {
  private watchId: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private last: { pos: FieldPosition; sentAt: number } | null = null;
  private state: TrackerState = { latest: null, problem: null };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly send: (pos: FieldPosition) => Promise<void>) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): TrackerState => this.state;

  getLatest = (): FieldPosition | null => this.state.latest;

  start(): void {
    this.stop();
    if (!window.gridcommandFieldHost && 'geolocation' in navigator && window.isSecureContext !== false) {
      const env = environment();
      this.watchId = navigator.geolocation.watchPosition(
        (p) => this.onFix(fromBrowser(p)),
        (err) => this.onProblem(problemOf(err, env)),
        { enableHighAccuracy: true, maximumAge: 15_000 },
      );
    }
    // The interval covers a phone standing still (no watch callbacks) and host-app positions.
    this.timer = setInterval(() => void this.locateNow(), REPORT_INTERVAL_MS);
    void this.locateNow();
  }

  /** Asks for a fix now (the worker tapped 重新定位, or the interval); resolves with the outcome. */
  async locateNow(timeoutMs?: number): Promise<PositionResult> {
    const result = await locate(timeoutMs);
    if (result.fix) this.onFix(result.fix);
    else this.onProblem(result.problem);
    return result;
  }

  stop(): void {
    if (this.watchId !== null && 'geolocation' in navigator) navigator.geolocation.clearWatch(this.watchId);
    if (this.timer) clearInterval(this.timer);
    this.watchId = null;
    this.timer = null;
  }

  private onFix(pos: FieldPosition): void {
    this.set({ latest: pos, problem: null });
    this.maybeSend(pos);
  }

  private onProblem(problem: PositionProblem): void {
    if (this.state.problem !== problem) this.set({ ...this.state, problem });
  }

  private set(state: TrackerState): void {
    this.state = state;
    for (const l of this.listeners) l();
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
