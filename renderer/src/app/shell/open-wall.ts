import type { Platform } from '../../platform/platform';
import { pathOfScreen } from '../route';

/**
 * Opens the wall in a window of its own, for another display (the same named window each time,
 * so a second click brings it back instead of opening another). In Electron the 大屏 menu places
 * it full screen on a chosen display.
 */
function openWallWindow(): void {
  window.open(pathOfScreen('wall'), 'gridcommand-wall');
}

/** How this platform's pages open the wall; null where the shell's menu does it instead. */
export function wallOpener(platform: Platform): (() => void) | null {
  return platform.kind === 'browser' ? openWallWindow : null;
}
