import { useEffect, useMemo, useRef, useState } from 'react';
import { alertChannels, type RuleChannels } from '../../../../shared/alert-routing';
import { ALERT_KINDS, type Alert, type AlertKind, type PriceRule } from '../../../../shared/analytics';
import { getApi } from '../../api';
import { assetsOf, formatBps, formatCompact, formatCount, formatDuration, formatPercent, formatPriceText, formatRatio, formatTrimmed, withUnit } from '../../format';
import { useStream } from '../../hooks/useStream';
import type { PanelProps } from '../types';
import { chime, osNotify } from './notify';
import { RouteEditor } from './RouteEditor';

export interface AlertsSettings {
  scope: 'symbol' | 'all';
  kinds: AlertKind[];
  activeOnly: boolean;
  sound: boolean;
  notify: boolean;
  /** Kinds that chime when `sound` is on (default: every kind). */
  soundKinds?: AlertKind[];
  /** Kinds shown as an OS notification when `notify` is on (default: every kind). */
  notifyKinds?: AlertKind[];
}

const KIND_LABELS: Record<AlertKind, string> = {
  wall: 'Walls',
  layering: 'Layering',
  exhaustion: 'Exhaustion',
  'wide-spread': 'Wide spread',
  feed: 'Feed',
  price: 'Price',
  iceberg: 'Iceberg',
  'large-trade': 'Large trade',
  sweep: 'Sweep',
};

/** "medianSize" → "median size", "distanceBps" → "distance". */
function evidenceLabel(key: string): string {
  if (key === 'heldBack') return 'held back before it';
  return key
    .replace(/Bps$|Ms$|Sec$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** One evidence value with its unit, read from what the key names (sizes in the base asset). */
export function formatEvidence(key: string, value: string | number | boolean | null, symbol: string): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return /^-?\d+(\.\d+)?$/.test(value) ? formatPriceText(value, 0) : value;
  if (/Bps$/.test(key)) return formatBps(value);
  if (/Ms$/.test(key)) return formatDuration(value);
  if (/Sec$/.test(key)) return formatDuration(value * 1000);
  if (/spreadOverAsk|^threshold$/i.test(key)) return `${formatBps(value * 10_000)} of the ask`;
  if (/multiple|Ratio$/i.test(key)) return formatRatio(value);
  if (/fraction/i.test(key)) return formatPercent(value * 100);
  if (/size|depth/i.test(key)) return withUnit(Math.abs(value) >= 10_000 ? formatCompact(value) : formatTrimmed(value, 6), assetsOf(symbol).base);
  if (/levels|count|heldBack|triggers|gaps|crossed|failed/i.test(key)) return formatCount(value);
  return formatTrimmed(value, 10);
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

/** Price alerts for one symbol: add a level, see armed and triggered rules, remove them. */
function PriceAlerts({ venue, symbol }: { venue: Alert['venue']; symbol: string }) {
  const [rules, setRules] = useState<PriceRule[]>([]);
  const [price, setPrice] = useState('');
  const [direction, setDirection] = useState<'auto' | 'above' | 'below'>('auto');
  const [channels, setChannels] = useState<RuleChannels>(null);
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () =>
    getApi()
      .invoke('alerts.price.list', {})
      .then((all) => setRules(all.filter((r) => r.venue === venue && r.symbol === symbol)))
      .catch((e: Error) => setMessage(e.message));
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [venue, symbol]);
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    setMessage(null);
    try {
      await getApi().invoke('alerts.price.set', {
        venue,
        symbol,
        price: price.trim(),
        repeat: false,
        channels,
        ...(direction === 'auto' ? {} : { direction }),
      });
      setPrice('');
      await refresh();
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  return (
    <div className="price-alerts">
      <form onSubmit={(e) => void add(e)} className="price-alert-form">
        <label>
          Alert when {symbol} reaches
          <input value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal" placeholder="price" aria-label="Alert price" />
        </label>
        <select value={direction} onChange={(e) => setDirection(e.target.value as 'auto' | 'above' | 'below')} aria-label="Alert direction">
          <option value="auto">crossing (from where it is now)</option>
          <option value="above">bid at or above</option>
          <option value="below">ask at or below</option>
        </select>
        <RouteEditor value={channels} onChange={setChannels} label="New alert goes to" />
        <button type="submit" className="tool-button" disabled={!price.trim()}>
          Add price alert
        </button>
        {message && (
          <span className="error-text" role="alert">
            {message}
          </span>
        )}
      </form>
      {rules.length > 0 && (
        <ul className="price-rules" aria-label="Price alerts">
          {rules.map((r) => (
            <li key={r.id}>
              {r.direction === 'above' ? '↑' : '↓'} {r.price} · {r.state}
              {r.triggers > 0 ? ` (${r.triggers}×)` : ''}
              <RouteEditor
                value={r.channels}
                label={`Price alert at ${r.price} goes to`}
                onChange={(next) =>
                  void getApi()
                    .invoke('alerts.price.route', { id: r.id, channels: next })
                    .then(refresh)
                    .catch((e: Error) => setMessage(e.message))
                }
              />
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove price alert at ${r.price}`}
                onClick={() => void getApi().invoke('alerts.price.remove', { id: r.id }).then(refresh)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Live alerts: severity, time, evidence; filter by kind and symbol; acknowledge; optional sound and OS notification. */
export function AlertsPanel({ choice, settings, onSettings }: PanelProps<AlertsSettings>) {
  const scope = settings.scope ?? 'symbol';
  const kinds = useMemo(() => settings.kinds ?? [...ALERT_KINDS], [settings.kinds]);
  const activeOnly = settings.activeOnly ?? false;
  const params =
    scope === 'symbol' && choice ? { venue: choice.venue, symbol: choice.symbol, activeOnly, limit: 300 } : { activeOnly, limit: 300 };
  const key = `${scope}:${choice?.venue}:${choice?.symbol}:${activeOnly}`;
  const { frame, error } = useStream('alerts', scope === 'symbol' && !choice ? null : params, key);
  const seen = useRef<Set<string> | null>(null);
  const soundKinds = useMemo(() => settings.soundKinds ?? [...ALERT_KINDS], [settings.soundKinds]);
  const notifyKinds = useMemo(() => settings.notifyKinds ?? [...ALERT_KINDS], [settings.notifyKinds]);
  const [ackError, setAckError] = useState<string | null>(null);

  // Sound and OS notification for alerts raised after the panel opened (not for the backlog).
  useEffect(() => {
    if (!frame) return;
    const first = seen.current === null;
    seen.current ??= new Set();
    for (const a of frame.alerts) {
      if (seen.current.has(a.id)) continue;
      seen.current.add(a.id);
      if (first || a.state !== 'active' || !kinds.includes(a.kind)) continue;
      // A price rule's own channels win over the per-kind choice below (src/shared/alert-routing.ts).
      const { send } = alertChannels(
        { kind: a.kind, ruleChannels: a.channels, quiet: false },
        { sound: settings.sound ? soundKinds : [], notification: settings.notify ? notifyKinds : [], webhook: null, telegram: null },
      );
      if (send.includes('sound')) chime(a.severity);
      if (send.includes('notification')) osNotify(a);
    }
  }, [frame, kinds, settings.sound, settings.notify, soundKinds, notifyKinds]);

  const ack = (ids?: string[]) =>
    getApi()
      .invoke('alerts.ack', ids ? { ids } : { all: true })
      .then(() => setAckError(null))
      .catch((e: Error) => setAckError(e.message));

  const shown = (frame?.alerts ?? []).filter((a) => kinds.includes(a.kind));
  const toggleIn = (list: AlertKind[], k: AlertKind, on: boolean) => (on ? ALERT_KINDS.filter((x) => x === k || list.includes(x)) : list.filter((x) => x !== k));
  const toggleKind = (k: AlertKind) => onSettings({ kinds: kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k] });
  const enableNotify = async (on: boolean) => {
    if (on && typeof Notification !== 'undefined' && Notification.permission === 'default') await Notification.requestPermission();
    onSettings({ notify: on });
  };

  return (
    <div className="alerts-panel">
      <div className="panel-toolbar">
        <select value={scope} onChange={(e) => onSettings({ scope: e.target.value as 'symbol' | 'all' })} aria-label="Alert scope">
          <option value="symbol">{choice ? choice.symbol : 'This symbol'}</option>
          <option value="all">All symbols</option>
        </select>
        <label>
          <input type="checkbox" checked={activeOnly} onChange={(e) => onSettings({ activeOnly: e.target.checked })} /> active only
        </label>
        <label>
          <input type="checkbox" checked={settings.sound ?? false} onChange={(e) => onSettings({ sound: e.target.checked })} /> sound
        </label>
        <label>
          <input type="checkbox" checked={settings.notify ?? false} onChange={(e) => void enableNotify(e.target.checked)} /> notify
        </label>
        <button type="button" className="tool-button" onClick={() => void ack()} disabled={!frame || frame.active === 0}>
          Acknowledge all
        </button>
        {frame && (
          <span className="panel-meta" aria-label="Alert counts">
            {formatCount(frame.active)} active · {formatCount(frame.total)} total
          </span>
        )}
      </div>
      <div className="kind-filters" role="group" aria-label="Alert kinds">
        {ALERT_KINDS.map((k) => (
          <button key={k} type="button" className={kinds.includes(k) ? 'chip on' : 'chip'} aria-pressed={kinds.includes(k)} onClick={() => toggleKind(k)}>
            {KIND_LABELS[k]}
          </button>
        ))}
        <details className="kind-routing">
          <summary>Sound &amp; notification by kind</summary>
          <table aria-label="Sound and notification by kind">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">sound</th>
                <th scope="col">notify</th>
              </tr>
            </thead>
            <tbody>
              {ALERT_KINDS.map((k) => (
                <tr key={k}>
                  <th scope="row">{KIND_LABELS[k]}</th>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Sound for ${KIND_LABELS[k]}`}
                      checked={soundKinds.includes(k)}
                      onChange={(e) => onSettings({ soundKinds: toggleIn(soundKinds, k, e.target.checked) })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Notification for ${KIND_LABELS[k]}`}
                      checked={notifyKinds.includes(k)}
                      onChange={(e) => onSettings({ notifyKinds: toggleIn(notifyKinds, k, e.target.checked) })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </div>
      {choice && <PriceAlerts venue={choice.venue} symbol={choice.symbol} />}
      {(error || ackError) && (
        <p className="error-state" role="alert">
          {error?.message ?? ackError}
        </p>
      )}
      <div className="table-scroll">
        {frame && shown.length === 0 && <p className="empty-state">No alerts{activeOnly ? ' active' : ''} yet.</p>}
        <ul className="alert-list" aria-label="Alerts">
          {shown.map((a) => (
            <li key={a.id} className={`alert alert-${a.severity} alert-${a.state}${a.acknowledged ? ' acked' : ''}`}>
              <span className={`sev sev-${a.severity}`} aria-label={`severity ${a.severity}`} />
              <time dateTime={new Date(a.raisedAt).toISOString()}>{clock(a.raisedAt)}</time>
              <span className="alert-kind">{KIND_LABELS[a.kind]}</span>
              <span className="alert-symbol">{a.symbol}</span>
              <details className="alert-body">
                <summary>
                  {a.title}
                  {a.state === 'cleared' ? ` — cleared${a.outcome ? ` (${a.outcome})` : ''}` : a.updates > 0 ? ` — updated ${formatCount(a.updates)} times` : ''}
                </summary>
                <dl className="evidence">
                  {Object.entries(a.evidence).map(([k, v]) => (
                    <div key={k}>
                      <dt>{evidenceLabel(k)}</dt>
                      <dd>{formatEvidence(k, v, a.symbol)}</dd>
                    </div>
                  ))}
                  <div>
                    <dt>venue</dt>
                    <dd>{a.venue}</dd>
                  </div>
                  {a.clearedAt && (
                    <div>
                      <dt>cleared</dt>
                      <dd>{clock(a.clearedAt)}</dd>
                    </div>
                  )}
                </dl>
              </details>
              {!a.acknowledged && (
                <button type="button" className="icon-button" onClick={() => void ack([a.id])} aria-label={`Acknowledge ${a.title}`}>
                  ✓
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
