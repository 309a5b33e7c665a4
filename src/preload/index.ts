/**
 * Electron preload: exposes exactly `invoke` and `subscribe` to the window, allow-listed against the
 * contract, over two IPC channels. The renderer never sees ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ServerMessage } from '../shared/contract';
import { createContractClient } from '../shared/contract-client';
import { IPC_FROM_WINDOW, IPC_TO_WINDOW } from '../shared/ipc-channels';

const client = createContractClient({
  send: (message) => ipcRenderer.send(IPC_FROM_WINDOW, message),
});

ipcRenderer.on(IPC_TO_WINDOW, (_event, message: ServerMessage) => client.receive(message));

contextBridge.exposeInMainWorld('orderbook', {
  invoke: client.api.invoke,
  subscribe: client.api.subscribe,
});
