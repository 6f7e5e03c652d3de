import { describe, expect, it } from 'vitest';
import {
  chooseWallDisplay,
  displayLabel,
  InvalidWallDisplayError,
  parseWallDisplayChoice,
  WALL_DISPLAY_ENV,
  wallDisplayFromStartup,
  wallUrl,
  type DisplayInfo,
} from './wall-display.js';

const display = (id: number, x: number, width = 1920, height = 1080, scaleFactor = 1): DisplayInfo => ({ id, bounds: { x, y: 0, width, height }, scaleFactor });
// the desk's screen (primary), the wall's 4K panel at 200 %, a third screen
const DESK = display(11, 0);
const WALL = display(22, 1920, 1920, 1080, 2);
const SIDE = display(33, 3840);
const ARGV = ['electron', 'out/main/index.js'];

describe('parseWallDisplayChoice', () => {
  it('reads a display number from 1, an Electron display id, or auto', () => {
    expect(parseWallDisplayChoice('2')).toEqual({ kind: 'number', number: 2 });
    expect(parseWallDisplayChoice(' id:2779098405 ')).toEqual({ kind: 'id', id: 2779098405 });
    expect(parseWallDisplayChoice('AUTO')).toEqual({ kind: 'auto' });
  });

  it('refuses anything else with a message naming the flag', () => {
    for (const raw of ['0', '-1', '1.5', 'two', 'id:', 'id:x', '', '1000']) {
      expect(() => parseWallDisplayChoice(raw), raw).toThrow(InvalidWallDisplayError);
    }
    expect(() => parseWallDisplayChoice('0')).toThrow('--wall-display must be a display number from 1, id:<display id> or auto (got "0")');
  });
});

describe('wallDisplayFromStartup', () => {
  it('takes the flag (the last one given) before the environment, and nothing without either', () => {
    expect(wallDisplayFromStartup([...ARGV, '--wall-display=1', '--wall-display=2'], { [WALL_DISPLAY_ENV]: 'auto' })).toEqual({ kind: 'number', number: 2 });
    expect(wallDisplayFromStartup(ARGV, { [WALL_DISPLAY_ENV]: 'id:22' })).toEqual({ kind: 'id', id: 22 });
    expect(wallDisplayFromStartup(ARGV, {})).toBeNull();
    expect(wallDisplayFromStartup(ARGV, { [WALL_DISPLAY_ENV]: '  ' })).toBeNull();
  });
});

describe('chooseWallDisplay', () => {
  const displays = [DESK, WALL, SIDE];

  it('finds the display by its number or its id, and nothing for one that is not there', () => {
    expect(chooseWallDisplay(displays, DESK.id, { kind: 'number', number: 2 })).toBe(WALL);
    expect(chooseWallDisplay(displays, DESK.id, { kind: 'id', id: 33 })).toBe(SIDE);
    expect(chooseWallDisplay(displays, DESK.id, { kind: 'number', number: 4 })).toBeNull();
    expect(chooseWallDisplay(displays, DESK.id, { kind: 'id', id: 44 })).toBeNull();
  });

  it('puts the wall on the first display that is not the desk’s, or on the only one there is', () => {
    expect(chooseWallDisplay(displays, DESK.id, { kind: 'auto' })).toBe(WALL);
    expect(chooseWallDisplay([WALL, DESK], DESK.id, { kind: 'auto' })).toBe(WALL);
    expect(chooseWallDisplay([DESK], DESK.id, { kind: 'auto' })).toBe(DESK);
    expect(chooseWallDisplay([], DESK.id, { kind: 'auto' })).toBeNull();
  });
});

describe('wallUrl', () => {
  it('is /wall on the server, and the packaged console’s page asked for the wall', () => {
    expect(wallUrl('http://10.0.0.5:8600/', 'server')).toBe('http://10.0.0.5:8600/wall');
    expect(wallUrl('app://gridcommand/index.html', 'packaged')).toBe('app://gridcommand/index.html?screen=wall');
  });
});

describe('displayLabel', () => {
  it('names a display by number and physical pixels, and marks the primary one', () => {
    expect(displayLabel(WALL, 1, DESK.id)).toBe('2: 3840×2160');
    expect(displayLabel({ ...DESK, label: 'DELL U2720Q' }, 0, DESK.id)).toBe('1: DELL U2720Q 1920×1080（主屏 primary）');
  });
});
