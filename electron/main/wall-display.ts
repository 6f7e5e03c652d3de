/**
 * Where the wall (大屏) window goes: which display, at what address. Pure (no Electron), so the
 * choice is unit-tested; main applies it with `screen.getAllDisplays()` and a BrowserWindow.
 */
import { APP_CONSOLE_URL } from './app-url.js';
import type { ConsoleSource } from './security-policy.js';

export const WALL_DISPLAY_FLAG = '--wall-display';
export const WALL_DISPLAY_ENV = 'GRIDCOMMAND_WALL_DISPLAY';

/** What Electron tells of a display (its `Display`), as far as the choice needs it. */
export interface DisplayInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  /** Pixels per CSS pixel: a 4K panel at 200 % scaling reports 1920×1080 bounds and 2. */
  scaleFactor: number;
  label?: string;
}

/**
 * Which display the operator asked for: `N` is the N-th display as the system lists them (from 1,
 * as people number screens), `id:ID` Electron's display id (stable across restarts on most
 * systems), `auto` the first display other than the primary one (the primary when alone).
 */
export type WallDisplayChoice = { kind: 'number'; number: number } | { kind: 'id'; id: number } | { kind: 'auto' };

export class InvalidWallDisplayError extends Error {}

/** Reads one choice: `2`, `id:2779098405`, `auto`. */
export function parseWallDisplayChoice(raw: string): WallDisplayChoice {
  const value = raw.trim().toLowerCase();
  if (value === 'auto') return { kind: 'auto' };
  if (/^[1-9]\d{0,2}$/.test(value)) return { kind: 'number', number: Number(value) };
  const id = /^id:(\d{1,15})$/.exec(value);
  if (id) return { kind: 'id', id: Number(id[1]) };
  throw new InvalidWallDisplayError(`${WALL_DISPLAY_FLAG} must be a display number from 1, id:<display id> or auto (got "${raw}")`);
}

/**
 * The wall display asked for at start-up: `--wall-display=…` first, then `GRIDCOMMAND_WALL_DISPLAY`;
 * null when neither is given (no wall window until one is opened from the menu).
 */
export function wallDisplayFromStartup(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): WallDisplayChoice | null {
  const prefix = `${WALL_DISPLAY_FLAG}=`;
  const arg = [...argv].reverse().find((a) => a.startsWith(prefix));
  const raw = arg !== undefined ? arg.slice(prefix.length) : env[WALL_DISPLAY_ENV];
  return raw === undefined || raw.trim() === '' ? null : parseWallDisplayChoice(raw);
}

/** The display the choice names among `displays` (in the system's order); null when it names none. */
export function chooseWallDisplay<D extends DisplayInfo>(displays: readonly D[], primaryId: number, choice: WallDisplayChoice): D | null {
  switch (choice.kind) {
    case 'number':
      return displays[choice.number - 1] ?? null;
    case 'id':
      return displays.find((d) => d.id === choice.id) ?? null;
    case 'auto':
      return displays.find((d) => d.id !== primaryId) ?? displays.find((d) => d.id === primaryId) ?? displays[0] ?? null;
  }
}

/** The wall's address: `/wall` on the server, or the packaged console's one page asked for the wall. */
export function wallUrl(consoleUrl: string, source: ConsoleSource): string {
  return source === 'packaged' ? `${APP_CONSOLE_URL}?screen=wall` : new URL('/wall', consoleUrl).href;
}

/** A display as the menu names it: its number, its physical size, and which is the primary one. */
export function displayLabel(display: DisplayInfo, index: number, primaryId: number): string {
  const width = Math.round(display.bounds.width * display.scaleFactor);
  const height = Math.round(display.bounds.height * display.scaleFactor);
  const name = display.label ? ` ${display.label}` : '';
  return `${index + 1}:${name} ${width}×${height}${display.id === primaryId ? '（主屏 primary）' : ''}`;
}
