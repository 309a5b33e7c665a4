/** Alert delivery on the contract: the test button, the delivery log and what is configured. */
import type { CommandHandlers } from '../app/contract-host';
import type { AlertDelivery } from './service';

export function alertDeliveryCapability(delivery: AlertDelivery): CommandHandlers {
  return {
    'alerts.delivery.test': ({ channel }) => delivery.test(channel),
    'alerts.delivery.log': ({ limit }) => delivery.log.newest(limit),
    'alerts.delivery.status': () => {
      const { webhook, telegram, quietHours } = delivery.options;
      return {
        webhook: webhook ? { url: webhook.url, signed: webhook.secret !== null, kinds: webhook.kinds } : null,
        telegram: telegram ? { chatId: telegram.chatId, apiBase: telegram.apiBase, kinds: telegram.kinds } : null,
        quietHours,
      };
    },
  };
}
