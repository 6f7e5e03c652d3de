/**
 * The new-task alert: a short two-tone beep made with Web Audio (no sound file, nothing fetched)
 * and a vibration where the phone allows it. Browsers only play sound after a user gesture on
 * the page; `unlock` is called on the first touch so later pushes can beep.
 */
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    context = new Ctor();
  } catch {
    context = null;
  }
  return context;
}

export function unlockAudio(): void {
  const ctx = audio();
  if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
}

export function alertNewTask(): void {
  try {
    navigator.vibrate?.([300, 150, 300]);
  } catch {
    // not allowed: the banner still shows
  }
  const ctx = audio();
  if (!ctx) return;
  const t0 = ctx.currentTime;
  for (const [i, freq] of [880, 1320, 880].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.value = freq;
    const start = t0 + i * 0.22;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + 0.21);
  }
}
