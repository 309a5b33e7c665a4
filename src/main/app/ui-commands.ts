/**
 * Commands the host sends to a window (the desktop menus: export, record, search), queued per target
 * window and delivered through the `ui.commands` stream so the preload needs nothing beyond the
 * contract. A window that is not listening simply never drains its queue (bounded).
 */
import type { UiCommand } from '../../shared/contract';
import type { FrameSource } from '../publish/publisher';
import type { StreamFactories } from './contract-host';

const MAX_QUEUED = 20;

export class UiCommandBus {
  private readonly queues = new Map<string, UiCommand[]>();
  private nextId = 1;
  private posted = 0;

  post(target: string, action: UiCommand['action'], interval?: UiCommand['interval']): void {
    const queue = this.queues.get(target) ?? [];
    queue.push(interval === undefined ? { id: this.nextId++, action } : { id: this.nextId++, action, interval });
    if (queue.length > MAX_QUEUED) queue.shift();
    this.queues.set(target, queue);
    this.posted++;
  }

  source(target: string): FrameSource {
    return {
      version: () => `${this.posted}:${this.queues.get(target)?.length ?? 0}`,
      build: () => {
        const commands = this.queues.get(target) ?? [];
        this.queues.delete(target);
        return { commands };
      },
    };
  }

  streams(): StreamFactories {
    return { 'ui.commands': ({ target }) => this.source(target) };
  }
}
