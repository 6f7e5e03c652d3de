import type { AlertSeverity } from '../../../../shared/contracts/alerts.js';

/** One beep of an alert tone: frequency (Hz), start and length (s) from the moment it plays. */
export interface Beep {
  frequency: number;
  start: number;
  duration: number;
}

/**
 * The tone of an alert, generated (nothing is fetched): a critical alert (a P0 case) sounds three
 * rising beeps, any other two level ones, short enough not to wear a 12-hour shift down.
 */
export function toneFor(severity: AlertSeverity): Beep[] {
  return severity === 'critical'
    ? [
        { frequency: 880, start: 0, duration: 0.16 },
        { frequency: 988, start: 0.22, duration: 0.16 },
        { frequency: 1175, start: 0.44, duration: 0.24 },
      ]
    : [
        { frequency: 660, start: 0, duration: 0.18 },
        { frequency: 660, start: 0.28, duration: 0.18 },
      ];
}

const MUTE_KEY = 'gridcommand.alertSound';

/** Whether the user muted the alert sound (kept in this browser between sessions). */
export function readMuted(): boolean {
  try {
    return window.localStorage.getItem(MUTE_KEY) === 'off';
  } catch {
    return false;
  }
}

export function writeMuted(muted: boolean): void {
  try {
    window.localStorage.setItem(MUTE_KEY, muted ? 'off' : 'on');
  } catch {
    // kept for this session only
  }
}

/**
 * Plays tones with Web Audio. Browsers allow audio only after the user has interacted with the
 * page; before that (a console reloaded and left alone) the banner and the notification speak
 * alone, and no audio context is created (which would only log a warning).
 */
export class AlertSound {
  private context: AudioContext | null = null;

  play(severity: AlertSeverity): void {
    if (typeof window === 'undefined' || typeof window.AudioContext !== 'function') return;
    if (!(navigator.userActivation?.hasBeenActive ?? false)) return;
    try {
      this.context ??= new window.AudioContext();
      const ctx = this.context;
      if (ctx.state === 'suspended') void ctx.resume();
      const t0 = ctx.currentTime + 0.02;
      for (const beep of toneFor(severity)) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = 'sine';
        osc.frequency.value = beep.frequency;
        // short ramps: no clicks at the edges
        gain.gain.setValueAtTime(0, t0 + beep.start);
        gain.gain.linearRampToValueAtTime(0.25, t0 + beep.start + 0.015);
        gain.gain.setValueAtTime(0.25, t0 + beep.start + beep.duration - 0.03);
        gain.gain.linearRampToValueAtTime(0, t0 + beep.start + beep.duration);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t0 + beep.start);
        osc.stop(t0 + beep.start + beep.duration + 0.01);
      }
    } catch {
      // no audio device: the banner still shows
    }
  }

  close(): void {
    void this.context?.close().catch(() => undefined);
    this.context = null;
  }
}
