import type { Alert } from '../../../../shared/analytics';

let audio: AudioContext | null = null;

/** A short two-tone chime; louder and lower for critical alerts. */
export function chime(severity: Alert['severity']): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    const tones = severity === 'critical' ? [440, 330] : severity === 'warning' ? [660, 550] : [880];
    tones.forEach((freq, i) => {
      const osc = audio!.createOscillator();
      const gain = audio!.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.14);
      gain.gain.exponentialRampToValueAtTime(severity === 'critical' ? 0.25 : 0.12, now + i * 0.14 + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.14 + 0.12);
      osc.connect(gain).connect(audio!.destination);
      osc.start(now + i * 0.14);
      osc.stop(now + i * 0.14 + 0.13);
    });
  } catch {
    // No audio device: the alert is still in the list.
  }
}

/** An OS notification, if the user allowed them. */
export function osNotify(alert: Alert): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(`${alert.severity === 'critical' ? '⚠ ' : ''}${alert.symbol}: ${alert.kind}`, { body: alert.title, tag: alert.key });
  } catch {
    // Some hosts refuse notifications from this context: the list still shows it.
  }
}
