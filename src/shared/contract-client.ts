/**
 * The window side of the contract, shared by the Electron preload and the web bridge: request ids,
 * pending results, subscription callbacks. Only names the contract declares can be sent.
 */
import type { ClientMessage, ContractErrorInfo, OrderbookApi, ServerMessage } from './contract';
import { isCommandName, isStreamName } from './contract-names';

export interface ContractChannel {
  send(message: ClientMessage): void;
}

export interface ContractClient {
  api: OrderbookApi;
  /** Feed every message from the host here. */
  receive(message: ServerMessage): void;
  /** The connection dropped: fail pending calls; `resubscribe` replays live subscriptions on reconnect. */
  disconnected(reason: string): void;
  resubscribe(): void;
}

export class ContractCallError extends Error {
  constructor(readonly info: ContractErrorInfo) {
    super(info.message);
  }
}

export function createContractClient(channel: ContractChannel): ContractClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const subs = new Map<number, { stream: string; params: unknown; onFrame: (f: unknown) => void; onError?: (e: ContractErrorInfo) => void }>();

  const api: OrderbookApi = {
    invoke(command, payload) {
      if (!isCommandName(command)) return Promise.reject(new ContractCallError({ code: 'bad-request', message: `unknown command ${String(command)}` }));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        channel.send({ t: 'invoke', id, command, payload });
      });
    },
    subscribe(stream, params, onFrame, onError) {
      if (!isStreamName(stream)) {
        onError?.({ code: 'bad-request', message: `unknown stream ${String(stream)}` });
        return () => {};
      }
      const id = nextId++;
      subs.set(id, { stream, params, onFrame: onFrame as (f: unknown) => void, onError });
      channel.send({ t: 'sub', id, stream, params });
      return () => {
        if (subs.delete(id)) channel.send({ t: 'unsub', id });
      };
    },
  };

  return {
    api,
    receive(message) {
      switch (message.t) {
        case 'result': {
          const p = pending.get(message.id);
          if (!p) return;
          pending.delete(message.id);
          if (message.ok) p.resolve(message.value);
          else p.reject(new ContractCallError(message.error));
          return;
        }
        case 'frames':
          for (const { id, frame } of message.frames) subs.get(id)?.onFrame(frame);
          return;
        case 'suberror': {
          const sub = subs.get(message.id);
          subs.delete(message.id);
          sub?.onError?.(message.error);
          return;
        }
      }
    },
    disconnected(reason) {
      for (const p of pending.values()) p.reject(new ContractCallError({ code: 'unavailable', message: reason }));
      pending.clear();
    },
    resubscribe() {
      for (const [id, s] of subs) channel.send({ t: 'sub', id, stream: s.stream, params: s.params });
    },
  };
}
