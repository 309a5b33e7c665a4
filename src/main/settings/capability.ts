/** The settings page on the contract: settings.get, settings.save, settings.testDelivery. */
import { ContractError } from '../../shared/contract';
import type { SettingsView } from '../../shared/settings';
import type { CommandHandlers } from '../app/contract-host';
import { SettingsError, type SettingsStore } from './settings-store';

export interface SettingsCapabilityOptions {
  store: SettingsStore;
  /** Field → what overrides it (settingsOverrides). */
  overridden: Record<string, string>;
  /** Apply a saved retention now (the store's setting); absent without a database. */
  applyRetention?: (days: number | null) => Promise<unknown>;
  /** Send a test alert through a channel; the alert-delivery service provides it once wired. */
  testDelivery?: (channel: 'webhook' | 'telegram') => Promise<{ ok: boolean; message: string }>;
}

export function settingsView(store: SettingsStore, overridden: Record<string, string>): SettingsView {
  return {
    settings: store.settings(),
    secrets: store.secretsSet(),
    overridden,
    secretStorage: store.cipher.cipher?.name ?? null,
    secretRefusal: store.cipher.refusal,
    file: store.path,
    loadProblem: store.loadProblem,
  };
}

export function settingsCapability(options: SettingsCapabilityOptions): { commands: CommandHandlers } {
  const { store, overridden } = options;
  return {
    commands: {
      'settings.get': () => settingsView(store, overridden),
      'settings.save': async (r) => {
        const before = store.settings().retentionDays;
        try {
          store.save(r.settings, r.secrets);
        } catch (error) {
          if (error instanceof SettingsError) throw new ContractError('bad-request', error.message);
          throw new ContractError('unavailable', `settings not saved: ${(error as Error).message}`);
        }
        if (options.applyRetention && r.settings.retentionDays !== before) await options.applyRetention(r.settings.retentionDays).catch(() => undefined);
        return settingsView(store, overridden);
      },
      'settings.testDelivery': async (r) => {
        const configured = r.channel === 'webhook' ? store.settings().alertDelivery.webhook : store.settings().alertDelivery.telegram;
        if (!configured && !overridden[`alertDelivery.${r.channel}`]) return { ok: false, message: `no ${r.channel} is set up: save one first` };
        if (!options.testDelivery) return { ok: false, message: 'alert delivery is not available in this build' };
        return options.testDelivery(r.channel);
      },
    },
  };
}
