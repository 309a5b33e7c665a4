/**
 * The web host's stand-in for the Electron preload: gives the renderer the same `window.orderbook`
 * API (invoke + subscribe), carried over a WebSocket to /ws. Reconnects with back-off and replays
 * live subscriptions, so a restarted host or a dropped network heals by itself.
 */
import type { OrderbookApi, ServerMessage } from '../shared/contract';
import { createContractClient } from '../shared/contract-client';

declare global {
  interface Window {
    orderbook?: OrderbookApi;
  }
}

function socketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const token = new URLSearchParams(location.search).get('token');
  return `${scheme}://${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

let socket: WebSocket | null = null;
let queue: string[] = [];
let retryMs = 500;

const client = createContractClient({
  send(message) {
    const text = JSON.stringify(message);
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
    else if (message.t !== 'unsub') queue.push(text);
  },
});

function connect(): void {
  const ws = new WebSocket(socketUrl());
  socket = ws;
  ws.onopen = () => {
    retryMs = 500;
    const pending = queue;
    queue = [];
    for (const text of pending) ws.send(text);
  };
  ws.onmessage = (event: MessageEvent) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    client.receive(message);
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    client.disconnected('connection to the monitor was lost; reconnecting');
    // Anything queued belongs to the old connection; subscriptions are replayed on reconnect.
    queue = [];
    setTimeout(() => {
      connect();
      client.resubscribe();
    }, retryMs);
    retryMs = Math.min(10_000, retryMs * 2);
  };
}

connect();
window.orderbook = Object.freeze(client.api);
