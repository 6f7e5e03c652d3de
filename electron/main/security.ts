import { app, ipcMain, shell, type Session } from 'electron';
import { IPC_CHANNELS, type PreloadApi } from '../../shared/contracts/ipc.js';
import {
  buildContentSecurityPolicy,
  EXTERNAL_ORIGIN_ALLOW_LIST,
  hasContentSecurityPolicy,
  isAllowedExternalUrl,
  isPermissionAllowed,
  isSameOrigin,
} from './security-policy.js';

type Log = (message: string) => void;

/**
 * Locks every web contents the app ever creates (the console window and anything it might spawn)
 * to the server origin: no navigation or redirect elsewhere, no new windows, no `<webview>`.
 * Registered before any window exists so nothing escapes it.
 */
export function hardenWebContents(serverOrigin: string, log: Log): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!isSameOrigin(event.url, serverOrigin)) {
        event.preventDefault();
        log(`blocked navigation to ${event.url}`);
      }
    });
    contents.on('will-redirect', (event) => {
      if (!isSameOrigin(event.url, serverOrigin)) {
        event.preventDefault();
        log(`blocked redirect to ${event.url}`);
      }
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log('blocked <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url, EXTERNAL_ORIGIN_ALLOW_LIST)) {
        // Electronegativity flags any non-constant openExternal for manual review; reviewed: the URL
        // passed isAllowedExternalUrl (https, exact allow-listed origin; the list ships empty).
        void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      } else {
        log(`denied window.open for ${url}`);
      }
      return { action: 'deny' };
    });
  });
}

/** Permissions and CSP for the session the console runs in. */
export function hardenSession(session: Session, serverOrigin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, serverOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, serverOrigin),
  );

  const csp = buildContentSecurityPolicy(serverOrigin);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isSameOrigin(details.url, serverOrigin) || hasContentSecurityPolicy(details.responseHeaders)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

type IpcMethod = keyof typeof IPC_CHANNELS;

/** What main answers on each IPC channel; keyed like `PreloadApi`, so both sides share one type. */
export type IpcHandlers = { [M in IpcMethod]: () => Awaited<ReturnType<PreloadApi[M]>> };

/**
 * Answers IPC only for frames on the server origin. The check is per call because the sender frame
 * could have navigated (or been replaced) since the preload ran.
 */
export function registerIpcHandlers(handlers: IpcHandlers, serverOrigin: string, log: Log): void {
  for (const method of Object.keys(IPC_CHANNELS) as IpcMethod[]) {
    const channel = IPC_CHANNELS[method];
    ipcMain.handle(channel, (event) => {
      const senderUrl = event.senderFrame?.url;
      if (!isSameOrigin(senderUrl, serverOrigin)) {
        log(`refused ${channel} from ${senderUrl ?? 'a detached frame'}`);
        throw new Error(`${channel} is only answered for the console origin`);
      }
      return handlers[method]();
    });
  }
}
