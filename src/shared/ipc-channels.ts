/** The only two IPC channels between a window and the main process. */
export const IPC_FROM_WINDOW = 'obm:from-window';
export const IPC_TO_WINDOW = 'obm:to-window';
