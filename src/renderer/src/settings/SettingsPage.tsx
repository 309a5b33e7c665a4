/**
 * The settings page (its own window on the desktop, ?panel=settings in a browser): venues, the
 * Coinbase API key, proxy, data folder, retention, theme, number format and alert delivery. Checked
 * with the same zod schema the main process uses, errors shown beside their fields; fields a flag or
 * environment variable overrides say so. Theme and number format apply at once in every window.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { VENUE_IDS, type VenueId } from '../../../shared/market';
import {
  NUMBER_FORMATS,
  PublicSettingsSchema,
  SecretChangesSchema,
  settingsFieldErrors,
  THEMES,
  type PublicSettings,
  type SecretChanges,
  type SecretName,
  type SettingsView,
} from '../../../shared/settings';
import { getApi } from '../api';
import { appearanceStore } from '../theme/theme';
import './settings.css';

const THEME_LABELS: Record<(typeof THEMES)[number], string> = { dark: 'Dark', light: 'Light', 'colour-blind': 'Colour-blind safe (blue bids, orange asks)' };
const NUMBER_LABELS: Record<(typeof NUMBER_FORMATS)[number], string> = { grouped: '1,234.56', plain: '1234.56' };

/** The form's text fields (numbers and lists as typed). */
interface Draft {
  settings: PublicSettings;
  proxyUrl: string;
  noProxy: string;
  dataDir: string;
  natsUrl: string;
  retention: string;
  webhookUrl: string;
  telegramChat: string;
  quietFrom: string;
  quietTo: string;
  quietZone: string;
  secrets: Partial<Record<SecretName, string>>;
  remove: Partial<Record<SecretName, boolean>>;
}

function draftOf(s: PublicSettings): Draft {
  return {
    settings: s,
    proxyUrl: s.proxy.url ?? '',
    noProxy: s.proxy.noProxy.join(', '),
    dataDir: s.dataDir ?? '',
    natsUrl: s.natsUrl ?? '',
    retention: s.retentionDays === null ? '' : String(s.retentionDays),
    webhookUrl: s.alertDelivery.webhook?.url ?? '',
    telegramChat: s.alertDelivery.telegram?.chatId ?? '',
    quietFrom: s.alertDelivery.quietHours?.from ?? '',
    quietTo: s.alertDelivery.quietHours?.to ?? '',
    quietZone: s.alertDelivery.quietHours?.timeZone ?? 'UTC',
    secrets: {},
    remove: {},
  };
}

/** The draft as settings (not yet validated: the schema says what is wrong). */
function settingsOf(d: Draft): unknown {
  const text = (v: string) => v.trim() || null;
  const retention = d.retention.trim();
  return {
    ...d.settings,
    proxy: { url: text(d.proxyUrl), noProxy: d.noProxy.split(',').map((s) => s.trim()).filter(Boolean) },
    dataDir: text(d.dataDir),
    natsUrl: text(d.natsUrl),
    retentionDays: retention === '' ? null : Number(retention),
    alertDelivery: {
      webhook: text(d.webhookUrl) ? { url: d.webhookUrl.trim() } : null,
      telegram: text(d.telegramChat) ? { chatId: d.telegramChat.trim() } : null,
      quietHours: text(d.quietFrom) || text(d.quietTo) ? { from: d.quietFrom.trim(), to: d.quietTo.trim(), timeZone: d.quietZone.trim() || 'UTC' } : null,
    },
  };
}

function secretChangesOf(d: Draft): SecretChanges {
  const out: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(d.secrets)) if (value && value.trim()) out[name] = value.trim();
  for (const [name, remove] of Object.entries(d.remove)) if (remove) out[name] = null;
  return out as SecretChanges;
}

const SECRET_FIELDS: Record<SecretName, string> = {
  coinbaseKey: 'secrets.coinbaseKey',
  coinbaseSecret: 'secrets.coinbaseSecret',
  coinbasePassphrase: 'secrets.coinbasePassphrase',
  webhookSecret: 'secrets.webhookSecret',
  telegramToken: 'secrets.telegramToken',
};

export function SettingsPage() {
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Settings — Order Book Monitor';
    getApi()
      .invoke('settings.get', {})
      .then((v) => {
        setView(v);
        setDraft(draftOf(v.settings));
      })
      .catch((e: Error) => setStatus({ text: `Settings cannot be loaded: ${e.message}`, error: true }));
  }, []);

  if (!view || !draft) {
    return (
      <div className="app settings-page">
        <h1>Settings</h1>
        <p role={status?.error ? 'alert' : 'status'}>{status?.text ?? 'Loading…'}</p>
      </div>
    );
  }

  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setSettings = (patch: Partial<PublicSettings>) => set({ settings: { ...draft.settings, ...patch } });
  const overridden = (field: string): ReactNode =>
    view.overridden[field] ? (
      <span className="override-note" role="note">
        overridden by the {view.overridden[field]}
      </span>
    ) : null;
  const fieldError = (key: string): ReactNode =>
    errors[key] ? (
      <span className="field-error" role="alert">
        {errors[key]}
      </span>
    ) : null;
  const canStoreSecrets = view.secretRefusal === null;

  const secretInput = (name: SecretName, label: string, placeholder = '') => (
    <label className="settings-field">
      <span>{label}</span>
      <span className="secret-row">
        <input
          type="password"
          autoComplete="off"
          aria-label={label}
          disabled={!canStoreSecrets}
          placeholder={view.secrets[name] ? 'saved (type to replace)' : placeholder}
          value={draft.secrets[name] ?? ''}
          onChange={(e) => set({ secrets: { ...draft.secrets, [name]: e.target.value } })}
        />
        {view.secrets[name] && (
          <label className="inline">
            <input type="checkbox" checked={draft.remove[name] ?? false} onChange={(e) => set({ remove: { ...draft.remove, [name]: e.target.checked } })} /> remove
          </label>
        )}
      </span>
      {fieldError(SECRET_FIELDS[name])}
    </label>
  );

  const save = async () => {
    const settings = PublicSettingsSchema.safeParse(settingsOf(draft));
    const secrets = SecretChangesSchema.safeParse(secretChangesOf(draft));
    const found = {
      ...(settings.success ? {} : settingsFieldErrors(settings.error)),
      ...(secrets.success ? {} : Object.fromEntries(Object.entries(settingsFieldErrors(secrets.error)).map(([k, v]) => [`secrets.${k}`, v]))),
    };
    setErrors(found);
    if (!settings.success || !secrets.success) {
      setStatus({ text: `Not saved: ${Object.keys(found).length} field(s) need attention.`, error: true });
      return;
    }
    setBusy(true);
    try {
      const next = await getApi().invoke('settings.save', { settings: settings.data, secrets: secrets.data });
      setView(next);
      setDraft(draftOf(next.settings));
      appearanceStore.set({ theme: next.settings.theme, numberFormat: next.settings.numberFormat });
      setStatus({ text: 'Saved. Venues, proxy, data folder and NATS URL take effect at the next start.', error: false });
    } catch (e) {
      setStatus({ text: `Not saved: ${(e as Error).message}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  const test = async (channel: 'webhook' | 'telegram') => {
    try {
      const r = await getApi().invoke('settings.testDelivery', { channel });
      setStatus({ text: `Test ${channel}: ${r.message}`, error: !r.ok });
    } catch (e) {
      setStatus({ text: `Test ${channel}: ${(e as Error).message}`, error: true });
    }
  };

  const toggleVenue = (id: VenueId, on: boolean) => setSettings({ venues: on ? [...draft.settings.venues, id] : draft.settings.venues.filter((v) => v !== id) });

  return (
    <div className="app settings-page">
      <header className="app-header">
        <h1>Settings</h1>
        <span className="muted settings-file" title={view.file}>
          {view.file}
        </span>
      </header>
      <form
        className="settings-form"
        aria-label="Settings"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {view.loadProblem && (
          <p className="banner error" role="alert">
            {view.loadProblem}
          </p>
        )}
        <fieldset>
          <legend>Appearance</legend>
          <label className="settings-field">
            <span>Theme</span>
            <select
              aria-label="Theme"
              value={draft.settings.theme}
              onChange={(e) => {
                const theme = e.target.value as PublicSettings['theme'];
                setSettings({ theme });
                // A preview in every window at once; Save keeps it.
                appearanceStore.set((a) => ({ ...a, theme }));
              }}
            >
              {THEMES.map((t) => (
                <option key={t} value={t}>
                  {THEME_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          <label className="settings-field">
            <span>Number format</span>
            <select
              aria-label="Number format"
              value={draft.settings.numberFormat}
              onChange={(e) => {
                const numberFormat = e.target.value as PublicSettings['numberFormat'];
                setSettings({ numberFormat });
                appearanceStore.set((a) => ({ ...a, numberFormat }));
              }}
            >
              {NUMBER_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {NUMBER_LABELS[f]}
                </option>
              ))}
            </select>
          </label>
        </fieldset>

        <fieldset>
          <legend>Venues {overridden('venues')}</legend>
          <div className="venue-checks" role="group" aria-label="Enabled venues">
            {VENUE_IDS.map((id) => (
              <label key={id} className="inline">
                <input type="checkbox" checked={draft.settings.venues.includes(id)} onChange={(e) => toggleVenue(id, e.target.checked)} /> {id}
              </label>
            ))}
          </div>
          {fieldError('venues')}
        </fieldset>

        <fieldset>
          <legend>Coinbase API key {overridden('coinbaseKey')}</legend>
          <p className="muted">
            {canStoreSecrets ? `Stored encrypted (${view.secretStorage}), never shown again.` : `Cannot be stored here: ${view.secretRefusal}.`}
          </p>
          {secretInput('coinbaseKey', 'Key')}
          {secretInput('coinbaseSecret', 'Secret')}
          {secretInput('coinbasePassphrase', 'Passphrase')}
        </fieldset>

        <fieldset>
          <legend>Network and data</legend>
          <label className="settings-field">
            <span>Proxy</span>
            <input aria-label="Proxy URL" placeholder="none (e.g. socks5h://127.0.0.1:1080)" value={draft.proxyUrl} onChange={(e) => set({ proxyUrl: e.target.value })} />
            {overridden('proxy')}
            {fieldError('proxy.url')}
          </label>
          <label className="settings-field">
            <span>Reach directly</span>
            <input aria-label="Hosts reached without the proxy" placeholder="comma-separated, e.g. .internal, 10.0.0.5" value={draft.noProxy} onChange={(e) => set({ noProxy: e.target.value })} />
            {fieldError('proxy.noProxy')}
          </label>
          <label className="settings-field">
            <span>Data folder</span>
            <input aria-label="Data folder" placeholder="the app's own folder" value={draft.dataDir} onChange={(e) => set({ dataDir: e.target.value })} />
            {overridden('dataDir')}
            {fieldError('dataDir')}
          </label>
          <label className="settings-field">
            <span>NATS URL (desk)</span>
            <input aria-label="NATS URL (desk)" placeholder="none: connect to the venues (e.g. nats://10.0.0.5:4222)" value={draft.natsUrl} onChange={(e) => set({ natsUrl: e.target.value })} />
            {overridden('natsUrl')}
            {fieldError('natsUrl')}
          </label>
          <label className="settings-field">
            <span>Keep history (days)</span>
            <input aria-label="Retention in days" inputMode="numeric" placeholder="forever" value={draft.retention} onChange={(e) => set({ retention: e.target.value })} />
            {fieldError('retentionDays')}
          </label>
        </fieldset>

        <fieldset>
          <legend>Alert delivery</legend>
          <label className="settings-field">
            <span>Webhook URL</span>
            <input aria-label="Webhook URL" placeholder="https://…" value={draft.webhookUrl} onChange={(e) => set({ webhookUrl: e.target.value })} />
            {overridden('alertDelivery.webhook')}
            {fieldError('alertDelivery.webhook.url')}
          </label>
          {secretInput('webhookSecret', 'Webhook secret', 'signs each request (HMAC-SHA256)')}
          <label className="settings-field">
            <span>Telegram chat</span>
            <input aria-label="Telegram chat id" placeholder="numeric id or @channel" value={draft.telegramChat} onChange={(e) => set({ telegramChat: e.target.value })} />
            {overridden('alertDelivery.telegram')}
            {fieldError('alertDelivery.telegram.chatId')}
          </label>
          {secretInput('telegramToken', 'Telegram bot token', '123456789:AA…')}
          <div className="settings-field">
            <span>Quiet hours</span>
            <span className="quiet-row">
              <input aria-label="Quiet from" placeholder="22:00" value={draft.quietFrom} onChange={(e) => set({ quietFrom: e.target.value })} />
              <span>to</span>
              <input aria-label="Quiet to" placeholder="07:00" value={draft.quietTo} onChange={(e) => set({ quietTo: e.target.value })} />
              <input aria-label="Time zone" placeholder="UTC" value={draft.quietZone} onChange={(e) => set({ quietZone: e.target.value })} />
            </span>
            {overridden('alertDelivery.quietHours')}
            {fieldError('alertDelivery.quietHours.from') ?? fieldError('alertDelivery.quietHours.to') ?? fieldError('alertDelivery.quietHours.timeZone')}
          </div>
          <div className="settings-actions">
            <button type="button" className="tool-button" onClick={() => void test('webhook')}>
              Test webhook
            </button>
            <button type="button" className="tool-button" onClick={() => void test('telegram')}>
              Test Telegram
            </button>
          </div>
        </fieldset>

        <div className="settings-actions sticky">
          <button type="submit" className="tool-button primary" disabled={busy}>
            Save settings
          </button>
          {status && (
            <span role={status.error ? 'alert' : 'status'} className={status.error ? 'error-text' : 'muted'}>
              {status.text}
            </span>
          )}
        </div>
      </form>
    </div>
  );
}
