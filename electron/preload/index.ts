import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './api.js';

contextBridge.exposeInMainWorld('gridcommand', buildPreloadApi((channel, ...args) => ipcRenderer.invoke(channel, ...args)));
