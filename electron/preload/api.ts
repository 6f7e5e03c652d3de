import { IPC_CHANNELS, type PreloadApi } from '../../shared/contracts/ipc.js';

/** `ipcRenderer.invoke`, narrowed to what the API needs. Main validates everything it receives. */
export type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;

/**
 * The object exposed as `window.gridcommand`. Named functions only, each bound to its own channel
 * and forwarding exactly its declared parameters: the renderer never gets `ipcRenderer`, a generic
 * `invoke(channel)`, or a way to slip extra arguments through. No Electron import, so its shape
 * is unit-tested; `index.ts` hands it `ipcRenderer.invoke`.
 */
export function buildPreloadApi(invoke: Invoke): PreloadApi {
  return {
    platform: 'electron',
    getServerUrl: () => invoke(IPC_CHANNELS.getServerUrl) as ReturnType<PreloadApi['getServerUrl']>,
    getVersion: () => invoke(IPC_CHANNELS.getVersion) as ReturnType<PreloadApi['getVersion']>,
    storeToken: (token) => invoke(IPC_CHANNELS.storeToken, token) as ReturnType<PreloadApi['storeToken']>,
    loadToken: () => invoke(IPC_CHANNELS.loadToken) as ReturnType<PreloadApi['loadToken']>,
    clearToken: () => invoke(IPC_CHANNELS.clearToken) as ReturnType<PreloadApi['clearToken']>,
    saveBriefingPdf: (fileName) => invoke(IPC_CHANNELS.saveBriefingPdf, fileName) as ReturnType<PreloadApi['saveBriefingPdf']>,
  };
}
