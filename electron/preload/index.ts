import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type PreloadApi } from '../../shared/contracts/ipc.js';

// Named functions only: the renderer never gets `ipcRenderer` or a generic `invoke(channel)`.
const api: PreloadApi = {
  platform: 'electron',
  getServerUrl: () => ipcRenderer.invoke(IPC_CHANNELS.getServerUrl),
  getVersion: () => ipcRenderer.invoke(IPC_CHANNELS.getVersion),
};

contextBridge.exposeInMainWorld('gridcommand', api);
