/**
 * Carries the contract over Electron IPC: one ClientConnection per window, created on its first
 * message and closed (with all its subscriptions) when the window's webContents is destroyed.
 * Messages from any frame that is not one of our own pages are dropped.
 */
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import type { ServerMessage } from '../../shared/contract';
import { IPC_FROM_WINDOW, IPC_TO_WINDOW } from '../../shared/ipc-channels';
import type { ClientConnection, ContractHost } from '../app/contract-host';
import type { Logger } from '../log';

export function installIpcBridge(contract: ContractHost, isTrustedUrl: (url: string) => boolean, logger: Logger): () => void {
  const connections = new Map<number, ClientConnection>();

  const connectionFor = (contents: WebContents): ClientConnection => {
    let conn = connections.get(contents.id);
    if (conn) return conn;
    conn = contract.connect({
      send: (message: ServerMessage) => {
        if (!contents.isDestroyed()) contents.send(IPC_TO_WINDOW, message);
      },
    });
    connections.set(contents.id, conn);
    contents.once('destroyed', () => {
      connections.get(contents.id)?.close();
      connections.delete(contents.id);
    });
    return conn;
  };

  const onMessage = (event: IpcMainEvent, message: unknown): void => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedUrl(url)) {
      logger.log('warn', 'ipc-untrusted-sender', { url });
      return;
    }
    connectionFor(event.sender).handle(message);
  };

  ipcMain.on(IPC_FROM_WINDOW, onMessage);
  return () => {
    ipcMain.removeListener(IPC_FROM_WINDOW, onMessage);
    for (const c of connections.values()) c.close();
    connections.clear();
  };
}
