import { ALERT_CHANNELS, describeRuleChannels, type AlertChannel, type RuleChannels } from '../../../../shared/alert-routing';

const CHANNEL_LABELS: Record<AlertChannel, string> = { sound: 'sound', notification: 'notification', webhook: 'webhook', telegram: 'Telegram' };

/**
 * Where one rule's alerts go: by kind (the panel's sound/notification kinds and the settings' webhook
 * and Telegram kinds), or the channels ticked here.
 */
export function RouteEditor({ value, onChange, label }: { value: RuleChannels; onChange: (next: RuleChannels) => void; label: string }) {
  const own = value !== null;
  const toggle = (channel: AlertChannel, on: boolean) => {
    const current = value ?? [];
    onChange(on ? ALERT_CHANNELS.filter((c) => c === channel || current.includes(c)) : current.filter((c) => c !== channel));
  };
  return (
    <details className="route-editor">
      <summary aria-label={`${label}: ${describeRuleChannels(value)}`}>→ {describeRuleChannels(value)}</summary>
      <div className="route-options" role="group" aria-label={label}>
        <label>
          <input type="checkbox" checked={!own} onChange={(e) => onChange(e.target.checked ? null : [])} /> by kind
        </label>
        {ALERT_CHANNELS.map((channel) => (
          <label key={channel}>
            <input type="checkbox" disabled={!own} checked={own && value.includes(channel)} onChange={(e) => toggle(channel, e.target.checked)} />{' '}
            {CHANNEL_LABELS[channel]}
          </label>
        ))}
      </div>
    </details>
  );
}
